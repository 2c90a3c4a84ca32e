// The deployment's operating organization. `organizations.is_platform` marks it (at
// most one: a partial unique index); its admins are the deployment's operators
// (backend/src/auth/permissions.ts): they alone open Bull Board, read the cost report
// across organizations and edit the shared model catalog. The demo seed marks Acme
// Academy; `npm run bootstrap` marks the organization it creates.
//
// The cross-tenant cost report cannot widen the tenant policies, so it reads through
// mc_platform_cost_rollup: a SECURITY DEFINER function that hands back the per-organization
// cost rollup of every organization for a period — and only when the transaction's
// organization (`app.org_id`, set by TenantScope) is the platform organization, so a
// tenant's scope gets an error even if a route forgot its check.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { ORG_SETTING } from './tenant-rules';

const SIGNATURE = 'mc_platform_cost_rollup(date,date)';

export class PlatformOrganization1763800030000 implements MigrationInterface {
  name = 'PlatformOrganization1763800030000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations ADD COLUMN is_platform boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE UNIQUE INDEX organizations_one_platform ON organizations ((true)) WHERE is_platform`);
    await q.query(`
      CREATE FUNCTION mc_platform_cost_rollup(p_from date, p_to date)
      RETURNS TABLE (organization_id uuid, organization_name text, day date, model text, stage text, label text,
                     calls bigint, input_tokens bigint, output_tokens bigint, cost_usd numeric)
      LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM organizations o WHERE o.id = ${ORG_SETTING} AND o.is_platform) THEN
          RAISE EXCEPTION 'the cost report across organizations is for the platform organization only' USING ERRCODE = '42501';
        END IF;
        RETURN QUERY
          SELECT r.organization_id, o.name, r.day, r.model, r.stage, r.label, r.calls, r.input_tokens, r.output_tokens, r.cost_usd
            FROM cost_daily_org_rollup r JOIN organizations o ON o.id = r.organization_id
           WHERE r.day BETWEEN p_from AND p_to;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION ${SIGNATURE} FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION ${SIGNATURE} TO mc_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION ${SIGNATURE}`);
    await q.query(`DROP INDEX organizations_one_platform`);
    await q.query(`ALTER TABLE organizations DROP COLUMN is_platform`);
  }
}
