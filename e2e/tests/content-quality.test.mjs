// Content a reviewer can judge and quality that acts, through the running system on the
// simulated provider: lessons about the course's own subject in its style, the quality
// score held to the organization's threshold (a quality_low flag, filter, event and
// history entry, and with the organization's quality gate a review gate before the
// lessons), a rerun that answers the reviewer's reasons, cost_overrun past a course's
// budget, and generation_progress.estimated_completion kept while a course runs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';

const course = async (c, id) => (await c.get(`/courses/${id}`)).body;
const until = (c, id, pred, what, timeoutMs = 120_000) =>
  waitFor(
    async () => {
      const s = await course(c, id);
      return pred(s) && s;
    },
    { what, timeoutMs },
  );
const lessonsOf = (s) => s.courseStructure.sections.flatMap((x) => x.lessons);
const listIds = async (c, filter) => (await c.get(`/courses?filter=${encodeURIComponent(JSON.stringify(filter))}&range=[0,99]`)).body.map((x) => x.id);

const POSTGRES = {
  title: 'PostgreSQL for application developers',
  description: 'Indexes, transactions, query planning and replication',
  contentStyle: 'socratic',
};

describe('content and quality', () => {
  let stack;
  let db;
  let ops;
  let reviewer;
  let admin;
  before(async () => {
    stack = await startStack();
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    reviewer = await Client.login(stack.baseUrl, 'reviewer@acme.test');
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
  });
  after(async () => {
    await stack?.stop();
  });

  async function started(body) {
    // No review gates of the organization's defaults: only the quality gate may stop these.
    const c = (await ops.post('/courses', { approvalGates: [], ...body })).body;
    assert.ok(c.id, JSON.stringify(c));
    assert.equal((await ops.post(`/courses/${c.id}/generation`)).status, 202);
    return c.id;
  }

  it('at the default threshold a good course passes, about its own subject, in its style, with its ETA kept', async () => {
    const settings = (await admin.get('/organization')).body;
    assert.equal(settings.qualityThreshold, 0.75);
    assert.equal(settings.qualityGate, false);
    const id = await started(POSTGRES);
    const running = await waitFor(
      async () => {
        const {
          rows: [r],
        } = await db.query(`SELECT status, generation_progress->>'estimated_completion' AS eta FROM courses WHERE id = $1`, [id]);
        return r.status === 'generating' && r.eta ? r : null;
      },
      { what: 'an estimated completion while generating' },
    );
    assert.ok(Date.parse(running.eta) >= Date.now() - 60_000, running.eta);
    const done = await until(ops, id, (s) => s.status === 'completed', 'completion');
    const {
      rows: [end],
    } = await db.query(`SELECT generation_progress->>'estimated_completion' AS eta FROM courses WHERE id = $1`, [id]);
    assert.equal(end.eta, null);
    assert.equal(done.qualityLow, false);
    assert.equal(done.quality.method, 'lexical');
    assert.ok(done.quality.overall >= 0.75, `quality ${done.quality.overall}`);
    assert.equal(done.generationMetadata.quality_scores.overall, done.quality.overall);
    const lessons = lessonsOf(done);
    for (const l of lessons) assert.match([...l.lesson_objectives, ...l.key_topics].join(' '), /PostgreSQL/);
    assert.match(lessons.map((l) => l.lesson_title).join(' '), /Indexes|transactions|replication|query planning/i);
    for (const l of lessons) assert.match(l.lesson_title, /^What is really going on with .+\?$/);
    assert.equal(done.contentStyleGuide.name, 'Socratic');
    const ru = new Client(stack.baseUrl, ops.token, 'ru');
    assert.equal((await ru.get(`/courses/${id}`)).body.contentStyleGuide.name, 'Сократический');
    const {
      rows: [tsx],
    } = await db.query(
      `SELECT lc.typescript_source AS src FROM lesson_contents lc JOIN lessons l ON l.id = lc.lesson_id WHERE l.course_id = $1 ORDER BY l.ordinal LIMIT 1`,
      [id],
    );
    assert.match(tsx.src, /<h2>The question<\/h2>/);
    assert.match(tsx.src, /PostgreSQL/);
    assert.ok(!(await listIds(ops, { qualityLow: true })).includes(id));
  });

  it('below the threshold a course is flagged; with the quality gate it stops for review, and a rerun for too_shallow goes deeper', async () => {
    const put = await admin.request('PUT', '/organization', { qualityThreshold: 0.99, qualityGate: true });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.qualityThreshold, 0.99);
    assert.equal((await ops.request('PUT', '/organization', { qualityGate: false })).status, 403);
    try {
      const id = await started(POSTGRES);
      const gated = await until(ops, id, (s) => s.generationStatus === 'stage_5_awaiting_approval', 'the quality gate');
      assert.equal(gated.gateKind, 'review');
      assert.equal(gated.qualityLow, true);
      assert.deepEqual({ ...gated.quality, overall: undefined }, { overall: undefined, threshold: 0.99, method: 'lexical', model: null, gate: true });
      assert.ok((await listIds(ops, { qualityLow: true })).includes(id));
      assert.ok(!(await listIds(ops, { qualityLow: false })).includes(id));
      const { rows: metrics } = await db.query(`SELECT severity, metadata FROM system_metrics WHERE metric_type = 'quality_low' AND course_id = $1`, [id]);
      assert.equal(metrics.length, 1);
      assert.equal(metrics[0].metadata.threshold, 0.99);
      const history = (await ops.get(`/courses/${id}/history?range=[0,999]`)).body;
      assert.ok(
        history.some((h) => /quality_low .* < 0\.99 \(lexical\); quality gate/.test(h.reason ?? '')),
        JSON.stringify(history.map((h) => h.reason)),
      );
      const { rows: alerts } = await db.query(`SELECT payload FROM outbox WHERE course_id = $1 AND payload->>'event' = 'alert.raised'`, [id]);
      assert.equal(alerts[0]?.payload.payload.kind, 'quality_low');

      const shallow = lessonsOf(gated);
      const rejected = await reviewer.post(`/courses/${id}/reject`, { stage: 5, action: 'rerun', reasons: ['too_shallow'], comment: 'Needs more on failover' });
      assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
      const rerun = await until(ops, id, (s) => s.generationStatus === 'stage_5_awaiting_approval' && s.run === 2, 'the rerun at the gate again');
      const deep = lessonsOf(rerun);
      assert.ok(deep.length > shallow.length + 10, `${shallow.length} -> ${deep.length} lessons`);
      assert.ok(rerun.courseStructure.sections.length >= gated.courseStructure.sections.length);
      assert.ok(deep[0].lesson_objectives.length > shallow[0].lesson_objectives.length);
      assert.match(JSON.stringify(rerun.courseStructure), /[Ff]ailover/);
      assert.match(rerun.courseStructure.course_description, /Goes deeper/);

      assert.equal((await reviewer.post(`/courses/${id}/approve`, { stage: 5 })).status, 200);
      await until(ops, id, (s) => s.status === 'completed', 'completion after approval');
    } finally {
      await admin.request('PUT', '/organization', { qualityThreshold: 0.75, qualityGate: false });
    }
  });

  it('without the quality gate a course below the threshold is flagged and goes on', async () => {
    assert.equal((await admin.request('PUT', '/organization', { qualityThreshold: 0.99 })).status, 200);
    try {
      const id = await started({ title: 'Statistics for analysts', description: 'Means, medians and doubt', contentStyle: 'gamified' });
      const done = await until(ops, id, (s) => s.status === 'completed', 'completion');
      assert.equal(done.qualityLow, true);
      assert.equal(done.quality.gate, false);
      assert.ok((await listIds(ops, { qualityLow: true })).includes(id));
      assert.match(lessonsOf(done)[0].lesson_title, /^Challenge: /);
    } finally {
      await admin.request('PUT', '/organization', { qualityThreshold: 0.75 });
    }
  });

  it('records cost_overrun once when a course passes its budget', async () => {
    const id = await started({ title: 'Budgeted course', budgetUsd: 0.0000001 });
    await waitFor(
      async () => {
        const { rows } = await db.query(`SELECT 1 FROM system_metrics WHERE metric_type = 'cost_overrun' AND course_id = $1`, [id]);
        return rows.length > 0;
      },
      { what: 'the cost_overrun event' },
    );
    await until(ops, id, (s) => s.generationStatus === 'stage_5_awaiting_approval' || s.status === 'completed' || s.status === 'failed', 'the budget gate');
    const { rows } = await db.query(`SELECT message, metadata FROM system_metrics WHERE metric_type = 'cost_overrun' AND course_id = $1`, [id]);
    assert.equal(rows.length, 1);
    assert.match(rows[0].message, /passed its budget of \$0\.0000/);
    assert.ok(Number(rows[0].metadata.spentUsd) > 0.0000001);
    const { rows: live } = await db.query(`SELECT payload FROM outbox WHERE course_id = $1 AND payload->'payload'->>'kind' = 'cost_overrun'`, [id]);
    assert.equal(live.length, 1);
  });

  it('refuses a threshold outside 0..1 naming the field', async () => {
    const r = await admin.request('PUT', '/organization', { qualityThreshold: 1.5 });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /qualityThreshold/);
  });
});
