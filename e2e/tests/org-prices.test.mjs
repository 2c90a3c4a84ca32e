// Prices per organization over a shared model catalog, end to end: only the platform's
// operators change the catalog (a new model is priced nowhere); each organization's
// admin/finance change only their own price table, whose history names only their own
// editors; a course whose route names a model its organization has no price for fails
// before any call is made, with the reason and a price_missing metric, and completes on
// retry once finance adds the price; the same course generated in two organizations is
// charged at each one's prices, and each cost report equals its own traces exactly.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';

/** A model added to the catalog by the test; the analysis phases (the first calls of a course without documents) are routed to it. */
const NEW_MODEL = 'acme-lab/tutor-1';
const SHARED = 'openai/gpt-oss-120b';
const enc = encodeURIComponent;
const today = new Date().toISOString().slice(0, 10);

describe('prices per organization over a shared model catalog', () => {
  let stack;
  let db;
  let acme;
  let globex;

  before(async () => {
    stack = await startStack({ workerEnv: { MODEL_ROUTES: JSON.stringify({ analysis_phase: { primary: NEW_MODEL } }) } });
    db = await stack.sql();
    // Globex gets an admin and a finance user (the demo seed has only its ops).
    for (const role of ['admin', 'finance']) {
      await db.query(
        `INSERT INTO users (organization_id, email, name, role, password_hash)
         SELECT o.id, $1, $2, $3, u.password_hash FROM organizations o, users u WHERE o.slug = 'globex' AND u.email = 'ops@globex.test'`,
        [`${role}@globex.test`, `Globex ${role}`, role],
      );
    }
    acme = {};
    globex = {};
    for (const role of ['admin', 'ops', 'finance']) {
      acme[role] = await Client.login(stack.baseUrl, `${role}@acme.test`);
      globex[role] = await Client.login(stack.baseUrl, `${role}@globex.test`);
    }
  });
  after(async () => {
    await stack?.stop();
  });

  const runCourse = async (client, title) => {
    const c = (await client.post('/courses', { title, description: 'Sampling and estimation', approvalGates: [] })).body;
    assert.equal((await client.post(`/courses/${c.id}/generation`)).status, 202);
    return c.id;
  };
  const ended = (client, id, timeoutMs = 150_000) =>
    waitFor(
      async () => {
        const c = (await client.get(`/courses/${id}`)).body;
        return ['failed', 'completed'].includes(c.status) ? c : null;
      },
      { what: `course ${id} to end`, timeoutMs, intervalMs: 250 },
    );

  it("lets only the platform's operators change the shared catalog; a new model is priced nowhere", async () => {
    const list = await acme.ops.get('/catalog');
    assert.equal(list.status, 200);
    const m = list.body.find((x) => x.id === SHARED);
    assert.ok(m, 'the catalog lists the seeded models');
    assert.equal(typeof m.maxOutputTokens, 'number');
    assert.equal(typeof m.supportsJsonSchema, 'boolean');
    assert.equal(typeof m.supportsJsonMode, 'boolean');
    assert.equal(m.defaultInputPricePer1m, 0.8);

    const body = {
      contextWindow: 64_000,
      maxOutputTokens: 8_192,
      supportsJsonSchema: true,
      supportsJsonMode: true,
      defaultInputPricePer1m: 0.5,
      defaultOutputPricePer1m: 0.7,
      displayName: 'Tutor 1',
    };
    // Globex is not the platform: its admin is refused; other roles are refused by role.
    for (const who of [globex.admin, globex.finance, acme.finance, acme.ops]) {
      assert.equal((await who.request('PUT', `/catalog/${enc(NEW_MODEL)}`, body)).status, 403);
    }
    assert.equal((await globex.admin.request('PUT', `/catalog/${enc(SHARED)}`, { defaultInputPricePer1m: 0 })).status, 403);
    assert.equal((await acme.ops.get(`/catalog/${enc(NEW_MODEL)}`)).status, 404);
    const missing = await acme.admin.request('PUT', `/catalog/${enc(NEW_MODEL)}`, { displayName: 'Tutor 1' });
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /^contextWindow/);
    const created = await acme.admin.request('PUT', `/catalog/${enc(NEW_MODEL)}`, body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.equal(created.body.id, NEW_MODEL);
    assert.equal(created.body.maxOutputTokens, 8_192);
    assert.equal(created.body.defaultOutputPricePer1m, 0.7);

    // Every organization's table lists it, without a price.
    for (const org of [acme, globex]) {
      const row = (await org.finance.get('/models?range=[0,999]')).body.find((x) => x.id === NEW_MODEL);
      assert.ok(row, 'the price table lists every catalog model');
      assert.equal(row.priced, false);
      assert.equal(row.inputPricePer1m, null);
      assert.equal(row.defaultInputPricePer1m, 0.5);
    }
    const {
      rows: [{ n }],
    } = await db.query(`SELECT count(*)::int AS n FROM llm_model_prices WHERE model_id = $1`, [NEW_MODEL]);
    assert.equal(n, 0);
    // A model outside the catalog cannot be priced.
    assert.equal((await acme.finance.request('PUT', `/models/${enc('nobody/nothing')}`, { inputPricePer1m: 1, outputPricePer1m: 1 })).status, 404);
  });

  it("changes only the caller's own organization's prices, and shows only its own editors", async () => {
    const before = (await acme.finance.get(`/models/${enc(SHARED)}`)).body;
    const put = await globex.finance.request('PUT', `/models/${enc(SHARED)}`, { inputPricePer1m: 0.5, outputPricePer1m: 0.6 });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.inputPricePer1m, 0.5);
    assert.equal(put.body.history[0].createdBy, 'finance@globex.test');
    const after = (await acme.finance.get(`/models/${enc(SHARED)}`)).body;
    assert.deepEqual(after, before, "Acme's table is unchanged by Globex's edit");
    assert.equal(after.inputPricePer1m, 0.8);

    const own = await acme.admin.request('PUT', `/models/${enc(SHARED)}`, { inputPricePer1m: 0.9, outputPricePer1m: 0.9 });
    assert.equal(own.status, 200);
    assert.equal(own.body.history[0].createdBy, 'admin@acme.test');
    const theirs = (await globex.finance.get(`/models/${enc(SHARED)}`)).body;
    assert.equal(theirs.inputPricePer1m, 0.5, "Globex's table is unchanged by Acme's edit");
    assert.equal(theirs.history.length, 2);

    // Nobody sees another organization's versions or its editors' e-mails.
    for (const [org, other] of [
      [acme, /@globex\.test/],
      [globex, /@acme\.test/],
    ]) {
      for (const who of [org.admin, org.finance, org.ops]) {
        const models = (await who.get('/models?range=[0,999]')).body;
        for (const m of models) {
          const detail = await who.get(`/models/${enc(m.id)}`);
          assert.equal(detail.status, 200);
          assert.doesNotMatch(JSON.stringify(detail.body), other, `${who.user.email} sees another organization's editor on ${m.id}`);
        }
      }
    }
    const { rows } = await db.query(
      `SELECT o.slug, p.input_price_per_1m::float8 AS price FROM llm_model_prices p JOIN organizations o ON o.id = p.organization_id
        WHERE p.model_id = $1 AND p.effective_from <= now() ORDER BY o.slug, p.effective_from`,
      [SHARED],
    );
    assert.deepEqual(
      rows.map((r) => `${r.slug} ${r.price}`),
      ['acme 0.8', 'acme 0.9', 'globex 0.8', 'globex 0.5'],
    );
  });

  it('refuses a course whose route names an unpriced model before any call, and completes it on retry once the price exists', async () => {
    const id = await runCourse(acme.ops, 'Unpriced route');
    const failed = await ended(acme.ops, id);
    assert.equal(failed.status, 'failed');
    assert.match(
      failed.errorMessage,
      /no price for model acme-lab\/tutor-1 in this organization's price table \(Acme Academy\); add one in Costs → Prices, then retry/,
    );
    const status = (await acme.ops.get(`/courses/${id}/status`)).body;
    assert.equal(status.metadata.retryable, true);
    const {
      rows: [t],
    } = await db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE model_used = $2)::int AS of_model, count(*) FILTER (WHERE cost_usd = 0)::int AS free
         FROM generation_trace WHERE course_id = $1`,
      [id, NEW_MODEL],
    );
    assert.deepEqual(t, { n: 0, of_model: 0, free: 0 }, 'no model was called');
    const { rows: metrics } = await db.query(
      `SELECT organization_id, severity, message, metadata FROM system_metrics WHERE metric_type = 'price_missing' AND course_id = $1`,
      [id],
    );
    assert.equal(metrics.length, 1);
    assert.equal(metrics[0].metadata.model, NEW_MODEL);
    assert.equal(metrics[0].severity, 'error');
    assert.equal(metrics[0].organization_id, (await db.query(`SELECT id FROM organizations WHERE slug = 'acme'`)).rows[0].id);

    const priced = await acme.finance.request('PUT', `/models/${enc(NEW_MODEL)}`, { inputPricePer1m: 0.4, outputPricePer1m: 0.6 });
    assert.equal(priced.status, 200, JSON.stringify(priced.body));
    assert.equal(priced.body.priced, true);
    const retry = await acme.ops.post(`/courses/${id}/retry`);
    assert.ok(retry.status < 300, JSON.stringify(retry.body));
    const done = await ended(acme.ops, id);
    assert.equal(done.status, 'completed', done.errorMessage);
    const {
      rows: [after],
    } = await db.query(
      `SELECT count(*) FILTER (WHERE t.model_used = $2)::int AS of_model,
              count(*) FILTER (WHERE t.price_version_id IS NULL OR t.cost_usd = 0)::int AS unpriced,
              count(*) FILTER (WHERE t.model_used = $2 AND p.id <> $3)::int AS wrong_version
         FROM generation_trace t LEFT JOIN llm_model_prices p ON p.id = t.price_version_id WHERE t.course_id = $1`,
      [id, NEW_MODEL, priced.body.priceVersionId],
    );
    assert.ok(after.of_model > 0, 'the retried run called the newly priced model');
    assert.deepEqual([after.unpriced, after.wrong_version], [0, 0]);
  });

  it("charges the same course in two organizations at each one's prices; each cost report equals its own traces", async () => {
    const g = await globex.finance.request('PUT', `/models/${enc(NEW_MODEL)}`, { inputPricePer1m: 0.25, outputPricePer1m: 0.35 });
    assert.equal(g.status, 200);
    const ids = { acme: await runCourse(acme.ops, 'Statistics for everyone'), globex: await runCourse(globex.ops, 'Statistics for everyone') };
    for (const [slug, org] of [
      ['acme', acme],
      ['globex', globex],
    ])
      assert.equal((await ended(org.ops, ids[slug])).status, 'completed');

    const check = async (courseId) =>
      (
        await db.query(
          `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE p.id IS NULL OR p.organization_id <> t.organization_id)::int AS foreign_version,
              count(*) FILTER (WHERE t.cost_usd <> round((t.input_tokens * p.input_price_per_1m + t.output_tokens * p.output_price_per_1m) / 1000000, 8))::int AS mispriced,
              coalesce(sum(t.cost_usd), 0)::numeric(18, 8)::text AS total
         FROM generation_trace t LEFT JOIN llm_model_prices p ON p.id = t.price_version_id WHERE t.course_id = $1`,
          [courseId],
        )
      ).rows[0];
    const a = await check(ids.acme);
    const b = await check(ids.globex);
    for (const c of [a, b]) {
      assert.ok(c.n > 0);
      assert.deepEqual([c.foreign_version, c.mispriced], [0, 0], JSON.stringify(c));
    }
    // Same models and tokens, each organization's price: per model, the price charged per
    // token differs where the two tables differ (gpt-oss-20b by the seed, tutor-1 and 120b here).
    const { rows: perModel } = await db.query(
      `SELECT t.model_used AS model, o.slug, min(p.input_price_per_1m)::float8 AS input, max(p.input_price_per_1m)::float8 AS input_max
         FROM generation_trace t JOIN llm_model_prices p ON p.id = t.price_version_id JOIN organizations o ON o.id = t.organization_id
        WHERE t.course_id = ANY($1::uuid[]) GROUP BY 1, 2 ORDER BY 1, 2`,
      [[ids.acme, ids.globex]],
    );
    const price = (model, slug) => perModel.find((r) => r.model === model && r.slug === slug);
    assert.deepEqual([price(NEW_MODEL, 'acme').input, price(NEW_MODEL, 'globex').input], [0.4, 0.25]);
    assert.deepEqual([price('openai/gpt-oss-20b', 'acme').input, price('openai/gpt-oss-20b', 'globex').input], [0.1, 0.06]);
    // Globex's course re-priced at Acme's prices would cost something else: it was charged differently.
    const {
      rows: [{ atAcme }],
    } = await db.query(
      `SELECT sum(round((t.input_tokens * a.input_price_per_1m + t.output_tokens * a.output_price_per_1m) / 1000000, 8))::numeric(18, 8)::text AS "atAcme"
         FROM generation_trace t JOIN llm_model_prices a ON a.model_id = t.model_used AND a.effective_from <= now()
          AND a.organization_id = (SELECT id FROM organizations WHERE slug = 'acme')
          AND a.effective_from = (SELECT max(x.effective_from) FROM llm_model_prices x WHERE x.organization_id = a.organization_id AND x.model_id = a.model_id AND x.effective_from <= now())
        WHERE t.course_id = $1`,
      [ids.globex],
    );
    assert.notEqual(atAcme, b.total);

    // Each organization's report equals its own traces to the last decimal.
    for (const [slug, org] of [
      ['acme', acme],
      ['globex', globex],
    ]) {
      const report = await org.finance.get(`/reports/costs?from=${today}&to=${today}&groupBy=course`);
      assert.equal(report.status, 200);
      const row = report.body.rows.find((r) => r.courseId === ids[slug]);
      assert.equal(row.costUsd, slug === 'acme' ? a.total : b.total);
      const {
        rows: [{ total }],
      } = await db.query(
        `SELECT coalesce(sum(t.cost_usd), 0)::numeric(18, 8)::text AS total FROM generation_trace t JOIN organizations o ON o.id = t.organization_id
          WHERE o.slug = $1 AND t.created_at >= ($2::date)::timestamp AT TIME ZONE 'UTC' AND t.created_at < ($2::date + 1)::timestamp AT TIME ZONE 'UTC'`,
        [slug, today],
      );
      assert.equal(report.body.totals.costUsd, total);
      assert.ok(!report.body.rows.some((r) => r.courseId === ids[slug === 'acme' ? 'globex' : 'acme']));
    }
  });
});
