// Seed 004's overflow model end to end. Stage 3 summarizes each document with its whole
// text in the prompt; a prompt past 90 % of the primary model's window goes to the
// large-context model, and one past even that model's window fails the course with a
// clear, non-retried reason, before any call (no trace) — never cut short.
//
// The windows are lowered by configuration instead of uploading megabytes: stage 3's
// primary is gpt-oss-120b with a 3,000-token window (threshold 2,700) and its overflow
// model qwen3-max with 12,000 tokens.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';

const PRIMARY = 'openai/gpt-oss-120b';
const OVERFLOW = 'qwen/qwen3-max';
const ENV = {
  MODEL_ROUTES: JSON.stringify({ document_summary: { primary: PRIMARY, overflow: OVERFLOW } }),
  MODEL_CONTEXT_WINDOWS: JSON.stringify({ [PRIMARY]: 3000, [OVERFLOW]: 12000 }),
};

const WORDS = 'sampling variance median estimate interval population survey error bias weight model data signal noise trend season forecast'.split(' ');
/** About `n` words of prose (a little over a token each). */
function prose(n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(`${WORDS[(i * 7 + (i >> 3)) % WORDS.length]}${i % 12 === 11 ? '.\n' : ''}`);
  return out.join(' ');
}

async function upload(client, courseId, files) {
  const form = new FormData();
  for (const f of files) form.append('file', new Blob([f.content], { type: 'text/plain' }), f.name);
  const res = await fetch(`${client.baseUrl}/api/courses/${courseId}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.token}` },
    body: form,
  });
  assert.equal(res.status, 201, await res.text());
}

describe('overflow model', () => {
  let stack;
  let ops;
  let db;
  before(async () => {
    stack = await startStack({ env: ENV });
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    db = await stack.sql();
  });
  after(async () => {
    await stack?.stop();
  });

  const summaries = async (courseId) => {
    const list = (await ops.get(`/traces?filter=${encodeURIComponent(JSON.stringify({ courseId, stage: 'stage_3' }))}&range=[0,99]`)).body;
    return Promise.all(list.map(async (t) => (await ops.get(`/traces/${t.id}`)).body));
  };

  it('routes the summary of a long document to the large-context model, and the trace says why', async () => {
    const c = (await ops.post('/courses', { title: 'Long reading', approvalGates: [] })).body;
    await upload(ops, c.id, [
      { name: 'short.txt', content: prose(200) },
      { name: 'long.txt', content: prose(4000) },
    ]);
    assert.equal((await ops.post(`/courses/${c.id}/generation`)).status, 202);
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 120_000 });
    const traces = await summaries(c.id);
    const byDoc = Object.fromEntries(traces.map((t) => [t.stepName, t]));
    assert.deepEqual(Object.keys(byDoc).sort(), ['Summarize long.txt', 'Summarize short.txt']);
    const long = byDoc['Summarize long.txt'];
    const short = byDoc['Summarize short.txt'];
    // The long one went to the overflow model, saying so and why.
    assert.equal(long.modelUsed, OVERFLOW);
    assert.equal(long.label, 'first_try');
    assert.equal(long.inputData.routing.reason, 'overflow');
    assert.equal(long.inputData.routing.primary, PRIMARY);
    assert.equal(long.inputData.routing.threshold, 2700);
    assert.equal(long.inputData.routing.window, 12000);
    assert.ok(long.inputData.routing.promptTokens > 2700 && long.inputData.routing.promptTokens <= 12000, JSON.stringify(long.inputData.routing));
    // The whole document was in the prompt: nothing cut.
    assert.ok(long.inputData.messages[1].content.includes(JSON.stringify(prose(4000)).slice(1, -1)));
    assert.ok(long.inputTokens >= long.inputData.routing.promptTokens - 50, `${long.inputTokens} input tokens`);
    // The short one stayed on the primary.
    assert.equal(short.modelUsed, PRIMARY);
    assert.equal(short.inputData.routing.reason, 'primary');
    assert.ok(short.inputData.routing.promptTokens <= 2700);
    // Other stages keep their own routes.
    const { rows } = await db.query(`SELECT DISTINCT model_used FROM generation_trace WHERE course_id = $1 AND stage = 'stage_4'`, [c.id]);
    assert.deepEqual(
      rows.map((r) => r.model_used),
      ['openai/gpt-oss-20b'],
    );
  });

  it('fails a course whose document fits no model, with the reason, without calling any model for it', async () => {
    const c = (await ops.post('/courses', { title: 'Far too long', approvalGates: [] })).body;
    await upload(ops, c.id, [{ name: 'tome.txt', content: prose(20000) }]);
    assert.equal((await ops.post(`/courses/${c.id}/generation`)).status, 202);
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'failed', { what: 'the failure', timeoutMs: 60_000 });
    const course = (await ops.get(`/courses/${c.id}`)).body;
    assert.match(course.errorMessage, /^prompt of \d+ tokens exceeds every model's context window \(largest 12000\)$/);
    const tokens = Number(course.errorMessage.match(/prompt of (\d+) tokens/)[1]);
    assert.ok(tokens > 12000, course.errorMessage);
    // No model call: not a single trace for the course.
    const {
      rows: [{ n }],
    } = await db.query(`SELECT count(*)::int AS n FROM generation_trace WHERE course_id = $1`, [c.id]);
    assert.equal(n, 0);
    // Not retried: the phase failed once (one PHASE_STARTED, one PHASE_FAILED), on its first attempt.
    const history = (await ops.get(`/courses/${c.id}/history?range=[0,999]`)).body.filter((h) => h.stage === 'stage_3');
    assert.deepEqual(
      history.map((h) => h.event),
      ['PHASE_STARTED', 'PHASE_FAILED'],
    );
    assert.match(history[1].reason ?? '', /exceeds every model's context window/);
  });
});
