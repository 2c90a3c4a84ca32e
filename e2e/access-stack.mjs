// The stack the access tests walk: the demo organizations plus Globex's admin and
// finance, a token for every role and principal, and one completed course in each
// organization with the ids of its trace, lesson, user, audit row, model and first job
// (`own` for Acme, `foreign` for Globex).
import { Client, startStack, waitFor } from './harness.mjs';
import { PRINCIPALS, ROLES } from './access-table.mjs';

export async function accessStack() {
  const tokens = {};
  const own = {};
  const foreign = {};
  const principalTokens = {};
  let globexToken;
  let globexFinanceToken;
  const stack = await startStack({ env: { RATE_LIMIT_FACTOR: '100' } });
  const db = await stack.sql();
  // Globex's admin and finance: a tenant's admin and finance, beside its ops.
  for (const [email, role] of [
    ['admin@globex.test', 'admin'],
    ['finance@globex.test', 'finance'],
  ]) {
    await db.query(
      `INSERT INTO users (organization_id, email, name, role, password_hash)
      SELECT u.organization_id, $1::text, $1::text, $2, u.password_hash FROM users u WHERE u.email = 'ops@globex.test'`,
      [email, role],
    );
  }
  for (const role of ROLES) tokens[role] = (await Client.login(stack.baseUrl, `${role}@acme.test`)).token;
  for (const p of PRINCIPALS) principalTokens[p.name] = p.email.endsWith('@acme.test') ? tokens[p.role] : (await Client.login(stack.baseUrl, p.email)).token;
  globexFinanceToken = (await Client.login(stack.baseUrl, 'finance@globex.test')).token;
  const globex = await Client.login(stack.baseUrl, 'ops@globex.test');
  globexToken = globex.token;
  const ops = new Client(stack.baseUrl, tokens.ops);
  const mine = (await ops.post('/courses', { title: 'Own course', approvalGates: [] })).body;
  const theirs = (await globex.post('/courses', { title: 'Foreign course', approvalGates: [] })).body;
  await ops.post(`/courses/${mine.id}/generation`);
  await globex.post(`/courses/${theirs.id}/generation`);
  await waitFor(
    async () => (await ops.get(`/courses/${mine.id}`)).body.status === 'completed' && (await globex.get(`/courses/${theirs.id}`)).body.status === 'completed',
    { what: 'both courses', timeoutMs: 180_000, intervalMs: 300 },
  );
  const pick = async (org, sql) => (await db.query(sql, [org])).rows[0].id;
  for (const [bag, org] of [
    [own, mine.organizationId],
    [foreign, theirs.organizationId],
  ]) {
    bag.course = org === mine.organizationId ? mine.id : theirs.id;
    bag.trace = await pick(org, `SELECT id FROM generation_trace WHERE organization_id = $1 LIMIT 1`);
    bag.lesson = await pick(org, `SELECT id FROM lessons WHERE organization_id = $1 LIMIT 1`);
    bag.user = await pick(org, `SELECT id FROM users WHERE organization_id = $1 ORDER BY email LIMIT 1`);
    bag.audit = await pick(org, `SELECT id::text FROM audit_log WHERE organization_id = $1 LIMIT 1`);
    bag.model = await pick(org, `SELECT id FROM llm_models WHERE $1::uuid IS NOT NULL LIMIT 1`);
    // The course's first phase job (deterministic id, pipeline/stages.ts), kept completed in BullMQ.
    bag.job = `${bag.course}-r1-s4-phase_1_classifier-0`;
  }
  return { stack, db, tokens, own, foreign, bags: { acme: own, globex: foreign }, principalTokens, globexToken, globexFinanceToken };
}
