// Alerts and phase claims join the access rules of migration 1763800012000: through
// mc_app an organization sees its own alerts and the system-wide ones (no organization),
// and the claims of its own courses; mc_system sees all.
import { MigrationInterface, QueryRunner } from 'typeorm';

const ORG = `nullif(current_setting('app.org_id', true), '')::uuid`;
const RULES: Record<string, { using: string; check: string }> = {
  alerts: { using: `organization_id = ${ORG} OR organization_id IS NULL`, check: `organization_id = ${ORG}` },
  phase_claims: { using: `EXISTS (SELECT 1 FROM courses c WHERE c.id = course_id)`, check: `EXISTS (SELECT 1 FROM courses c WHERE c.id = course_id)` },
};

export class AlertsUnderAccessRules1763800017000 implements MigrationInterface {
  name = 'AlertsUnderAccessRules1763800017000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, rule] of Object.entries(RULES)) {
      await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO mc_app, mc_system`);
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY tenant ON ${table} TO mc_app USING (${rule.using}) WITH CHECK (${rule.check})`);
      await q.query(`CREATE POLICY system ON ${table} TO mc_system USING (true) WITH CHECK (true)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of Object.keys(RULES)) {
      await q.query(`DROP POLICY tenant ON ${table}`);
      await q.query(`DROP POLICY system ON ${table}`);
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
