// A local model of the kind Ollama or llama.cpp serves: an 8,192-token output cap, no
// JSON mode, no structured outputs. The replayed server refuses any budget past the cap
// and any response_format, as those servers do; the course completes anyway (the schema
// goes into the prompt, the answer is read out of its prose). Its lessons stream
// slowly, and the course's percentage moves while a lesson call is still running —
// never backwards.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';
import { startReplay } from '../provider-replay.mjs';

const LOCAL = 'local/llama3.1-8b';
const route = { primary: LOCAL, fallback: LOCAL, overflow: LOCAL };
const TASKS = ['document_summary', 'analysis_phase', 'structure_metadata', 'structure_section', 'structure_validation', 'lesson_content'];

describe('a small local model (8,192-token output cap, no JSON mode)', () => {
  let replay;
  let stack;
  let db;
  let ops;
  before(async () => {
    replay = await startReplay({
      models: { [LOCAL]: { profile: 'ollama', maxOutput: 8192, jsonSchema: false, jsonMode: false, tokenParam: 'max_tokens', streaming: true } },
      // Every lesson streams for about four seconds, as a real lesson call of a minute would, only faster.
      slow: { lesson: { chunkDelayMs: 10, verbose: true } },
    });
    stack = await startStack({
      env: {
        LLM_PROVIDER: 'openai',
        LLM_BASE_URL: replay.url,
        LLM_API_KEY: 'ollama',
        MODEL_ROUTES: JSON.stringify(Object.fromEntries(TASKS.map((t) => [t, route]))),
      },
    });
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    // The catalog entry an operator would add (PUT /api/catalog/:id) and the organization's price (PUT /api/models/:id).
    await db.query(
      `INSERT INTO llm_models (id, provider_model, display_name, context_window, max_output_tokens, supports_json_schema, supports_json_mode,
                      token_limit_param, supports_streaming, input_price_per_1m, output_price_per_1m)
                    VALUES ($1, 'llama3.1:8b', 'Llama 3.1 8B (local)', 32768, 8192, false, false, 'max_tokens', true, 0.01, 0.02)`,
      [LOCAL],
    );
    await db.query(
      `INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from)
                    SELECT id, $1, 0.01, 0.02, '1970-01-01T00:00:00Z' FROM organizations`,
      [LOCAL],
    );
  });
  after(async () => {
    await stack?.stop();
    await replay?.close();
  });

  it('completes a course, and a slow streamed lesson moves the bar while it runs, never backwards', async () => {
    const c = (await ops.post('/courses', { title: 'Local model course', description: 'Runs on a laptop', approvalGates: [] })).body;
    assert.equal((await ops.post(`/courses/${c.id}/generation`)).status, 202);
    const samples = [];
    let s;
    await waitFor(
      async () => {
        s = (await ops.get(`/courses/${c.id}`)).body;
        samples.push({ at: Date.now(), percentage: s.percentage ?? s.progress?.percentage ?? s.generationProgress?.percentage });
        return s.status === 'completed' || s.status === 'failed';
      },
      { what: 'the end of the course', timeoutMs: 240_000, intervalMs: 50 },
    );
    assert.equal(s.status, 'completed', JSON.stringify(s));

    // Held to the model: never a budget past 8,192, never a response_format, answers read out of prose.
    assert.ok(replay.log.length > 10);
    for (const e of replay.log) {
      assert.equal(e.status, 200, `${e.kind}: ${e.status}`);
      assert.ok(e.request.max_tokens <= 8192, `budget ${e.request.max_tokens}`);
      assert.equal(e.request.response_format, undefined);
    }
    const { rows: levels } = await db.query(
      `SELECT DISTINCT output_data->>'repair_level' AS level FROM generation_trace WHERE course_id = $1 AND error_data IS NULL AND output_data ? 'value'`,
      [c.id],
    );
    assert.deepEqual(
      levels.map((r) => r.level),
      ['stripped'],
    );

    const values = samples.map((x) => x.percentage).filter((p) => typeof p === 'number');
    assert.ok(values.length > 10, `samples: ${values.length}`);
    for (let i = 1; i < values.length; i++) assert.ok(values[i] >= values[i - 1], `the bar went back: ${values[i - 1]} -> ${values[i]}`);
    const history = (await ops.get(`/courses/${c.id}/history?range=[0,999]`)).body;
    for (let i = 1; i < history.length; i++) assert.ok(history[i].percentage >= history[i - 1].percentage, 'history went back');

    // Inside the first streamed lesson call, before it ended, the percentage moved at least three times.
    const lesson = replay.log.filter((e) => e.kind === 'lesson' && e.streamed).sort((a, b) => a.started - b.started)[0];
    assert.ok(lesson && lesson.ended - lesson.started > 2000, 'the lesson streamed slowly');
    const inside = samples.filter((x) => x.at > lesson.started && x.at < lesson.ended).map((x) => x.percentage);
    let moves = 0;
    for (let i = 1; i < inside.length; i++) if (inside[i] > inside[i - 1]) moves++;
    assert.ok(moves >= 3, `moves within the call: ${moves} (${inside.join(',')})`);
    const { rows: progress } = await db.query(`SELECT count(*)::int AS n FROM generation_status_history WHERE course_id = $1 AND event = 'PROGRESS'`, [c.id]);
    assert.ok(progress[0].n >= 3, `PROGRESS events: ${progress[0].n}`);
  });
});
