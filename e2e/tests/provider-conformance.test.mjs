// A standard course through the openai provider against a server replaying OpenRouter's
// documented answers (e2e/fixtures/providers): documents, a gate, a rejection and its
// rerun, lessons — with a 429 (Retry-After capped), a 400 for too many tokens (the
// fallback answers), a malformed JSON answer (repaired by asking again) and a cut-off
// answer (asked again with a larger budget) on the way. Every trace's cost is the
// fixture's usage × the organization's prices, and OpenRouter's own usage.cost is kept
// beside it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';
import { startReplay } from '../provider-replay.mjs';

const openrouter = (extra = {}) => ({
  profile: 'openrouter',
  maxOutput: 32_768,
  jsonSchema: true,
  jsonMode: true,
  tokenParam: 'max_tokens',
  streaming: true,
  ...extra,
});
const MODELS = {
  'openai/gpt-oss-20b': openrouter(),
  'openai/gpt-oss-120b': openrouter(),
  'qwen/qwen3-max': openrouter({ jsonSchema: false }),
  'google/gemini-2.5-flash': openrouter({ maxOutput: 65_536 }),
};
const FAULTS = [
  { kind: 'summary', nth: 1, fixture: 'too-many-tokens' },
  { kind: 'metadata', nth: 1, fixture: 'rate-limited' },
  { kind: 'section', nth: 1, fixture: 'malformed' },
  { kind: 'lesson', nth: 1, fixture: 'cut-off' },
];

const statusOf = async (c, id) => (await c.get(`/courses/${id}`)).body;
const untilState = (c, id, pred, what, timeoutMs = 120_000) =>
  waitFor(
    async () => {
      const s = await statusOf(c, id);
      return pred(s) && s;
    },
    { what, timeoutMs },
  );

describe('provider conformance (OpenRouter fixtures)', () => {
  let replay;
  let stack;
  let db;
  let ops;
  let reviewer;
  before(async () => {
    replay = await startReplay({ models: MODELS, faults: FAULTS });
    stack = await startStack({
      env: {
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: replay.url,
        LLM_API_KEY: 'sk-or-replay',
        LLM_RETRY_AFTER_CAP_MS: '1000',
        LLM_HTTP_REFERER: 'https://mission-control.example',
        LLM_APP_TITLE: 'Mission Control',
      },
    });
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    reviewer = await Client.login(stack.baseUrl, 'reviewer@acme.test');
  });
  after(async () => {
    await stack?.stop();
    await replay?.close();
  });

  it('runs documents, a rejected gate and its rerun, and the lessons, through every fault', async () => {
    const c = (
      await ops.post('/courses', { title: 'PostgreSQL for application developers', description: 'Indexes, transactions, the planner', approvalGates: [4] })
    ).body;
    const form = new FormData();
    form.append(
      'file',
      new Blob(['# Indexes\nB-tree indexes speed up lookups.\n# Transactions\nIsolation levels and locks.\n'], { type: 'text/markdown' }),
      'notes.md',
    );
    const up = await fetch(`${ops.baseUrl}/api/courses/${c.id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${ops.token}` }, body: form });
    assert.equal(up.status, 201, await up.text());
    assert.equal((await ops.post(`/courses/${c.id}/generation`)).status, 202);
    await untilState(ops, c.id, (s) => s.generationStatus === 'stage_4_awaiting_approval', 'the stage 4 gate');
    const rejected = await reviewer.post(`/courses/${c.id}/reject`, {
      stage: 4,
      action: 'rerun',
      reasons: ['too_shallow'],
      comment: 'more depth on the planner',
    });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    await untilState(ops, c.id, (s) => s.generationStatus === 'stage_4_awaiting_approval' && s.run === 2, 'the rerun at the gate');
    assert.equal((await reviewer.post(`/courses/${c.id}/approve`, { stage: 4 })).status, 200);
    const done = await untilState(ops, c.id, (s) => s.status === 'completed' || s.status === 'failed', 'the end of the course', 180_000);
    assert.equal(done.status, 'completed', JSON.stringify(done));

    const { rows: lessons } = await db.query(`SELECT count(*)::int AS n FROM lessons WHERE course_id = $1 AND status = 'generated'`, [c.id]);
    assert.ok(lessons[0].n >= 10, `lessons: ${lessons[0].n}`);

    // The faults happened, and each was answered as it should be.
    const faults = replay.log.filter((e) => e.fault).map((e) => `${e.kind}:${e.fault}`);
    assert.deepEqual(faults.sort(), ['lesson:cut-off', 'metadata:rate-limited', 'section:malformed', 'summary:too-many-tokens']);
    const { rows: traces } = await db.query(
      `SELECT model_used, label, input_tokens, output_tokens, cost_usd::text AS cost, provider_cost_usd::text AS provider_cost, error_data, input_data->'request' AS request
         FROM generation_trace WHERE course_id = $1 ORDER BY created_at, attempt`,
      [c.id],
    );
    const kinds = traces.map((t) => t.error_data?.kind).filter(Boolean);
    for (const k of ['ModelRequestTooLargeError', 'ModelRateLimitError', 'validation', 'cut_off']) assert.ok(kinds.includes(k), `no ${k} trace: ${kinds}`);
    const cut = traces.find((t) => t.error_data?.kind === 'cut_off');
    const raised = traces.find((t) => t.request?.budget === cut.request.budget * 2 && !t.error_data);
    assert.ok(raised, 'the cut-off lesson was asked again with twice the budget');
    const limited = traces.find((t) => t.error_data?.kind === 'ModelRateLimitError');
    assert.match(limited.error_data.message, /Rate limit exceeded/);
    const tooLarge = traces.find((t) => t.error_data?.kind === 'ModelRequestTooLargeError');
    assert.match(tooLarge.error_data.message, /maximum context length is 131072/);
    // Every request carried the attribution headers and a budget inside the model's cap.
    for (const e of replay.log) {
      assert.deepEqual(e.headers, { referer: 'https://mission-control.example', title: 'Mission Control' });
      assert.ok((e.request.max_tokens ?? 0) <= MODELS[e.model].maxOutput);
    }
    assert.ok(
      replay.log.some((e) => e.streamed),
      'answers were streamed',
    );
    assert.ok(replay.log.some((e) => e.request.response_format?.type === 'json_schema'));
    assert.ok(replay.log.filter((e) => e.model === 'qwen/qwen3-max').every((e) => e.request.response_format?.type === 'json_object'));

    // Costs: the fixtures' usage × the organization's prices, and OpenRouter's usage.cost beside them.
    const { rows: prices } = await db.query(
      `SELECT DISTINCT ON (p.model_id) p.model_id, p.input_price_per_1m::float8 AS i, p.output_price_per_1m::float8 AS o
      FROM llm_model_prices p JOIN courses c ON c.organization_id = p.organization_id WHERE c.id = $1 ORDER BY p.model_id, p.effective_from DESC`,
      [c.id],
    );
    const price = Object.fromEntries(prices.map((p) => [p.model_id, p]));
    const answered = replay.log.filter((e) => e.usage);
    const expected = answered.reduce(
      (sum, e) => sum + Math.round((e.usage.prompt_tokens * price[e.model].i + e.usage.completion_tokens * price[e.model].o) * 100) / 1e8,
      0,
    );
    const recorded = traces.reduce((sum, t) => sum + Number(t.cost), 0);
    assert.ok(Math.abs(recorded - expected) < 1e-7, `recorded ${recorded} vs fixtures ${expected}`);
    assert.equal(
      traces.reduce((n, t) => n + t.input_tokens, 0),
      answered.reduce((n, e) => n + e.usage.prompt_tokens, 0),
    );
    assert.equal(
      traces.reduce((n, t) => n + t.output_tokens, 0),
      answered.reduce((n, e) => n + e.usage.completion_tokens, 0),
    );
    const providerCost = traces.reduce((sum, t) => sum + Number(t.provider_cost ?? 0), 0);
    const fixtureCost = answered.reduce((sum, e) => sum + (e.usage.cost ?? 0), 0);
    assert.ok(Math.abs(providerCost - fixtureCost) < 1e-7, `provider cost ${providerCost} vs ${fixtureCost}`);
    const listed = (await ops.get(`/traces?filter=${encodeURIComponent(JSON.stringify({ courseId: c.id }))}&range=[0,499]`)).body;
    assert.ok(
      listed.some((t) => t.providerCostUsd > 0),
      'the traces API shows the provider cost',
    );
  });
});
