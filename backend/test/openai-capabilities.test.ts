// The openai provider asks each model for what its catalog entry says it can do, and
// reads what real servers answer: structured outputs / JSON mode / the schema in the
// prompt, max_tokens or max_completion_tokens, Retry-After capped with jitter, cut-off
// answers that raise the budget, content filters, OpenRouter's usage.cost and error
// metadata, vLLM's error shape, and a streamed answer that reports its progress.
import http from 'node:http';
import { DataSource } from 'typeorm';
import { CapabilityBook, type ModelCapabilities } from '../src/gateway/capabilities';
import { ModelGateway } from '../src/gateway/model-gateway';
import { OpenAiProvider } from '../src/gateway/openai.provider';
import { MODEL_ROUTES } from '../src/gateway/routes';
import { SectionSchema } from '../src/pipeline/outputs';
import { simulatedAnswer } from '../src/llm/simulated.content';
import { makeCourse, orgId, testDataSource } from './helpers';
import { systemRepositories } from './system-repos';

type Reply = { status: number; body?: unknown; headers?: Record<string, string>; sse?: unknown[]; chunkDelayMs?: number };
let ds: DataSource;
let server: http.Server;
let baseURL: string;
let script: (n: number, body: any) => Reply;
let requests: { body: any; headers: http.IncomingHttpHeaders }[] = [];
const sleeps: number[] = [];
const section = simulatedAnswer('structure_section', 'seed', { courseTitle: 'Wire', sectionNumber: 1 });
const answer = (content: string, extra: Record<string, unknown> = {}, finish = 'stop') => ({
  id: 'gen-1', object: 'chat.completion', created: 1, model: 'm',
  choices: [{ index: 0, finish_reason: finish, message: { role: 'assistant', content } }],
  usage: { prompt_tokens: 100, completion_tokens: 200, total_tokens: 300, ...extra },
});

// Capabilities given to the catalog's own (priced) models for this test.
const [schema, mode, small, streamy] = ['openai/gpt-oss-20b', 'qwen/qwen3-max', 'openai/gpt-oss-120b', 'google/gemini-2.5-flash'];
const CAPS: Record<string, ModelCapabilities> = {
  [schema]: { contextWindow: 128_000, maxOutputTokens: 32_768, jsonSchema: true, jsonMode: true, tokenLimitParam: 'max_tokens', streaming: false },
  [mode]: { contextWindow: 128_000, maxOutputTokens: 32_768, jsonSchema: false, jsonMode: true, tokenLimitParam: 'max_completion_tokens', streaming: false },
  [small]: { contextWindow: 16_384, maxOutputTokens: 8192, jsonSchema: false, jsonMode: false, tokenLimitParam: 'max_tokens', streaming: false },
  [streamy]: { contextWindow: 128_000, maxOutputTokens: 32_768, jsonSchema: true, jsonMode: true, tokenLimitParam: 'max_tokens', streaming: true },
};

jest.setTimeout(30_000);

beforeAll(async () => {
  ds = await testDataSource();
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', async () => {
      const body = JSON.parse(raw);
      requests.push({ body, headers: req.headers });
      const r = script(requests.length, body);
      if (r.sse) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': OPENROUTER PROCESSING\n\n');
        for (const chunk of r.sse) {
          await new Promise((ok) => setTimeout(ok, r.chunkDelayMs ?? 0));
          res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        }
        res.end('data: [DONE]\n\n');
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
      res.end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseURL = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
});
afterAll(async () => {
  server.close();
  await ds.destroy();
});
beforeEach(() => { requests = []; sleeps.length = 0; });

async function run(primary: string, fallback = primary, opts: { onProgress?: (f: number) => void; retryAfterCapMs?: number } = {}) {
  const courseId = await makeCourse(ds);
  const routes = { ...MODEL_ROUTES, structure_section: { primary, fallback, overflow: primary } };
  const caps = new CapabilityBook(async (ids) => Object.fromEntries(ids.map((id) => [id, CAPS[id]])));
  const provider = new OpenAiProvider({ baseURL, apiKey: 'sk-test', timeoutMs: 5000, referer: 'https://mc.example', title: 'Mission Control' });
  const gw = new ModelGateway(systemRepositories(ds).traces, provider, async (ms) => { sleeps.push(ms); }, 500, routes, {}, {
    capabilities: caps, retryAfterCapMs: opts.retryAfterCapMs, random: () => 0.5,
  });
  const result = gw.call({
    courseId, organizationId: await orgId(ds), run: 1, stage: 5, phase: 'sections', index: 0, seq: 0, stepName: 'wire',
    task: 'structure_section', messages: [{ role: 'system', content: 'You design courses.' }, { role: 'user', content: 'Write section 1' }], context: {}, schema: SectionSchema,
    onProgress: opts.onProgress,
  });
  const rows = async () => ds.query(`SELECT model_used, label, input_tokens, output_tokens, cost_usd::float8 AS cost, provider_cost_usd::float8 AS provider_cost, error_data, input_data->'request' AS request
    FROM generation_trace WHERE course_id = $1 ORDER BY attempt`, [courseId]);
  return { result, rows };
}

describe('the openai provider asks for what the model can do', () => {
  it('structured outputs, JSON mode with max_completion_tokens, or the schema in the prompt', async () => {
    script = () => ({ status: 200, body: answer(section) });
    await (await run(schema)).result;
    await (await run(mode)).result;
    await (await run(small)).result;
    const [a, b, c] = requests.map((r) => r.body);
    expect(a.response_format.type).toBe('json_schema');
    expect(a.response_format.json_schema.schema.properties.lessons.type).toBe('array');
    expect(a.messages[0].content).toBe('You design courses.');
    expect(b.response_format).toEqual({ type: 'json_object' });
    expect(b.max_completion_tokens).toBe(8000);
    expect(b.max_tokens).toBeUndefined();
    expect(b.messages[0].content).toContain('matches this JSON Schema');
    expect(c.response_format).toBeUndefined();
    expect(c.messages[0].content).toContain('"section_number"');
    expect(c.max_tokens).toBe(8000);
    // OpenRouter attribution, only because it was configured.
    expect(requests[0].headers['http-referer']).toBe('https://mc.example');
    expect(requests[0].headers['x-title']).toBe('Mission Control');
  });

  it('caps a far Retry-After date and adds jitter', async () => {
    const far = new Date(Date.now() + 3600_000).toUTCString();
    script = (n) => (n === 1 ? { status: 429, headers: { 'retry-after': far }, body: { error: { code: 429, message: 'Rate limit exceeded', metadata: { provider_name: 'Groq' } } } } : { status: 200, body: answer(section) });
    const { result, rows } = await run(schema, schema, { retryAfterCapMs: 10_000 });
    await result;
    expect(sleeps).toEqual([10_000]);
    const [first] = await rows();
    expect(first.error_data.message).toContain('Rate limit exceeded; provider Groq');
  });

  it('a cut-off answer is asked again with a larger budget, and the cost the provider reports is kept', async () => {
    script = (n) => (n === 1 ? { status: 200, body: answer(section.slice(0, 200), { cost: 0.00042 }, 'length') } : { status: 200, body: answer(section, { cost: 0.0011 }) });
    const { result, rows } = await run(schema);
    await result;
    expect(requests.map((r) => r.body.max_tokens)).toEqual([8000, 16000]);
    const traces = await rows();
    expect(traces.map((t: any) => [t.label, t.error_data?.kind ?? 'ok', t.provider_cost])).toEqual([['first_try', 'cut_off', 0.00042], ['repair', 'ok', 0.0011]]);
    expect(traces[1].request).toEqual({ budget: 16000, format: 'json_schema', tokenLimitParam: 'max_tokens' });
  });

  it('a model cut off at its cap hands over to the fallback', async () => {
    script = (n, body) => (body.model === small ? { status: 200, body: answer('{"section_number": 1', {}, 'length') } : { status: 200, body: answer(section) });
    const { result } = await run(small, schema);
    expect((await result).model).toBe(schema);
    expect(requests.map((r) => [r.body.model, r.body.max_tokens])).toEqual([[small, 8000], [small, 8192], [schema, 8000]]);
  });

  it('content_filter is a failure with the reason, not an answer, and not retried', async () => {
    script = () => ({ status: 200, body: answer('', {}, 'content_filter') });
    const { result, rows } = await run(schema);
    await expect(result).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('content filter') });
    expect(requests).toHaveLength(1);
    expect((await rows())[0].error_data.kind).toBe('ModelContentFilterError');
  });

  it("a 400 for too many tokens in vLLM's shape goes to the fallback, the reason in the trace", async () => {
    const vllm = { object: 'error', message: "This model's maximum context length is 16384 tokens. However, you requested 24000 tokens (16000 in the messages, 8000 in the completion).", type: 'BadRequestError', param: null, code: 400 };
    script = (n, body) => (body.model === small ? { status: 400, body: vllm } : { status: 200, body: answer(section) });
    const { result, rows } = await run(small, schema);
    expect((await result).model).toBe(schema);
    const [first] = await rows();
    expect(first.error_data).toMatchObject({ kind: 'ModelRequestTooLargeError', message: expect.stringContaining('maximum context length is 16384'), detail: { type: 'BadRequestError' } });
  });

  it('streams: counts tokens as they arrive and reports rising progress; the trace is the same', async () => {
    const parts = section.match(/.{1,40}/gs)!;
    const sse = [
      ...parts.map((p, i) => ({ id: 'gen-s', object: 'chat.completion.chunk', model: 'streamy', choices: [{ index: 0, delta: i === 0 ? { role: 'assistant', content: p } : { content: p }, finish_reason: null }] })),
      { id: 'gen-s', object: 'chat.completion.chunk', model: 'streamy', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { id: 'gen-s', object: 'chat.completion.chunk', model: 'streamy', choices: [], usage: { prompt_tokens: 100, completion_tokens: 200, total_tokens: 300, cost: 0.0002 } },
    ];
    script = () => ({ status: 200, sse, chunkDelayMs: 2 });
    const seen: number[] = [];
    const { result, rows } = await run(streamy, streamy, { onProgress: (f) => seen.push(f) });
    const res = await result;
    expect(requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(seen.length).toBeGreaterThan(3);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    expect(res).toMatchObject({ inputTokens: 100, outputTokens: 200 });
    const [t] = await rows();
    expect(t).toMatchObject({ label: 'first_try', input_tokens: 100, output_tokens: 200, provider_cost: 0.0002, error_data: null });
  });
});
