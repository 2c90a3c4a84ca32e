// The access rules every table with an organization's data gets (migration
// 1763800012000 explains the two roles): row-level security forced even on the owner,
// a `tenant` policy for mc_app scoped by the transaction's app.org_id, and a `system`
// policy for mc_system. One place, so every table gets the same rules.
import type { QueryRunner } from 'typeorm';

/** The organization the current transaction acts for, or NULL when none is set. */
export const ORG_SETTING = `nullif(current_setting('app.org_id', true), '')::uuid`;

/** The usual rule: the row's organization_id is the transaction's organization. */
export const OWN_ORGANIZATION = `organization_id = ${ORG_SETTING}`;

export async function secureTable(q: QueryRunner, table: string, using: string = OWN_ORGANIZATION, check: string = using): Promise<void> {
  await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
  await q.query(`CREATE POLICY tenant ON ${table} TO mc_app USING (${using}) WITH CHECK (${check})`);
  await q.query(`CREATE POLICY system ON ${table} TO mc_system USING (true) WITH CHECK (true)`);
}

export async function unsecureTable(q: QueryRunner, table: string): Promise<void> {
  await q.query(`DROP POLICY IF EXISTS tenant ON ${table}`);
  await q.query(`DROP POLICY IF EXISTS system ON ${table}`);
  await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
  await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
}
