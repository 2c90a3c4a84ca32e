// Alerts and phase claims join the access rules of migration 1763800012000: through
// mc_app an organization sees its own alerts and the system-wide ones (no organization),
// and the claims of its own courses; mc_system sees all.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { OWN_ORGANIZATION, secureTable, unsecureTable } from './tenant-rules';

const RULES: Record<string, { using: string; check: string }> = {
  alerts: { using: `${OWN_ORGANIZATION} OR organization_id IS NULL`, check: OWN_ORGANIZATION },
  phase_claims: { using: `EXISTS (SELECT 1 FROM courses c WHERE c.id = course_id)`, check: `EXISTS (SELECT 1 FROM courses c WHERE c.id = course_id)` },
};

export class AlertsUnderAccessRules1763800017000 implements MigrationInterface {
  name = 'AlertsUnderAccessRules1763800017000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, rule] of Object.entries(RULES)) {
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO mc_app, mc_system`);
      await secureTable(q, table, rule.using, rule.check);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of Object.keys(RULES)) {
      await unsecureTable(q, table);
    }
  }
}
