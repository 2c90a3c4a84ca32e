// Counts that belong to the whole deployment, for request paths that run as mc_app:
// /api/health (no organization at all) shows the open stall alerts by kind across
// organizations, and /api/metrics shows the outbox rows not yet carried out (the outbox
// belongs to no organization). Under row-level security mc_app would see only its own
// organization's alerts (or, with none, the system-wide ones), so these are SECURITY
// DEFINER functions owned by the migrating user that return exactly those numbers —
// counts, never rows.
import { MigrationInterface, QueryRunner } from 'typeorm';

const FUNCTIONS: { signature: string; body: string }[] = [
  {
    signature: 'open_alert_counts()',
    body: `RETURNS TABLE (kind text, n int) LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT a.kind, count(*)::int FROM alerts a WHERE a.cleared_at IS NULL GROUP BY a.kind
    $$`,
  },
  {
    signature: 'pending_outbox_count()',
    body: `RETURNS int LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
      SELECT count(*)::int FROM outbox WHERE processed_at IS NULL
    $$`,
  },
];

export class DeploymentCounts1763800021000 implements MigrationInterface {
  name = 'DeploymentCounts1763800021000';

  async up(q: QueryRunner): Promise<void> {
    for (const f of FUNCTIONS) {
      await q.query(`CREATE FUNCTION ${f.signature} ${f.body}`);
      await q.query(`REVOKE ALL ON FUNCTION ${f.signature} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${f.signature} TO mc_app, mc_system`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const f of FUNCTIONS) await q.query(`DROP FUNCTION ${f.signature}`);
  }
}
