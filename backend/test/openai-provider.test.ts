// The openai provider against a local OpenAI-compatible server speaking the same wire
// protocol as OpenRouter, vLLM or llama.cpp: usage counts, 429 with retry-after, 500,
// a slow answer, and broken JSON — through the real gateway.
import http from 'node:http';
import { DataSource } from 'typeorm';
import { ModelGateway } from '../src/gateway/model-gateway';
import { OpenAiProvider } from '../src/gateway/openai.provider';
import { SectionSchema } from '../src/pipeline/outputs';
import { simulatedAnswer } from '../src/llm/simulated.content';
import { makeCourse, orgId, testDataSource } from './helpers';
import { systemRepositories } from './system-repos';

type Script = (req: { model: string; n: number }) => { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number; raw?: string };

let ds: DataSource;
let server: http.Server;
let baseURL: string;
let script: Script;
let requests: { model: string; auth: string | undefined; body: any }[] = [];
const sleeps: number[] = [];

const answer = (content: string, model: string) => ({
  id: 'chatcmpl-1', object: 'chat.completion', created: 1, model,
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
  usage: { prompt_tokens: 123, completion_tokens: 456, total_tokens: 579 },
});
const section = simulatedAnswer('structure_section', 'seed', { courseTitle: 'Wire', sectionNumber: 1 });

jest.setTimeout(30_000);

beforeAll(async () => {
  ds = await testDataSource();
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const body = JSON.parse(raw);
      if (req.url === '/v1/embeddings') {
        // A vector per text: a bag of its words over a tiny vocabulary.
        const vocab = ['means', 'medians', 'variance', 'cooking'];
        const data = (body.input as string[]).map((t, index) => ({ object: 'embedding', index, embedding: vocab.map((w) => (t.includes(w) ? 1 : 0)) }));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: 42, total_tokens: 42 } }));
        return;
      }
      requests.push({ model: body.model, auth: req.headers.authorization, body });
      const r = script({ model: body.model, n: requests.length });
      setTimeout(() => {
        res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
        res.end(r.raw ?? JSON.stringify(r.body));
      }, r.delayMs ?? 0);
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

async function run(timeoutMs = 5000) {
  const courseId = await makeCourse(ds);
  const gw = new ModelGateway(systemRepositories(ds).traces, new OpenAiProvider({ baseURL, apiKey: 'sk-test', timeoutMs }), async (ms) => { sleeps.push(ms); });
  const result = await gw.call({
    courseId, organizationId: await orgId(ds), run: 1, stage: 5, phase: 'sections', index: 0, seq: 0, stepName: 'wire',
    task: 'structure_section', messages: [{ role: 'user', content: 'Write section 1' }], context: {}, schema: SectionSchema,
  });
  const rows = await ds.query(`SELECT provider, model_used, label, input_tokens, output_tokens, error_data FROM generation_trace WHERE course_id = $1 ORDER BY attempt`, [courseId]);
  return { result, rows };
}

describe('openai provider over the wire', () => {
  it('scores similarity with the embeddings endpoint when one is configured, else lexically', async () => {
    const courseId = await makeCourse(ds);
    const base = { courseId, organizationId: await orgId(ds), run: 1, stage: 5 as const, phase: 'validation', index: 0, seq: 1, stepName: 'quality' };
    const withEmbeddings = new ModelGateway(systemRepositories(ds).traces, new OpenAiProvider({ baseURL, apiKey: 'k', embeddingModel: 'text-embedding-3-small' }));
    const res = await withEmbeddings.similarity(base, 'means and medians', ['means', 'cooking', 'medians and means']);
    expect(res).toEqual({ method: 'embedding', model: 'text-embedding-3-small', scores: [0.707, 0, 1] });
    const [trace] = await ds.query(`SELECT model_used, provider, input_tokens FROM generation_trace WHERE course_id = $1`, [courseId]);
    expect(trace).toEqual({ model_used: 'text-embedding-3-small', provider: 'openai', input_tokens: 42 });
    const lexical = await new ModelGateway(systemRepositories(ds).traces, new OpenAiProvider({ baseURL, apiKey: 'k' })).similarity({ ...base, seq: 2 }, 'means and medians', ['cooking']);
    expect(lexical).toEqual({ method: 'lexical', scores: [0] });
  });

  it('sends the chat request with the key and records the usage it answers', async () => {
    script = ({ model }) => ({ status: 200, body: answer(section, model) });
    const { result, rows } = await run();
    expect(requests[0]).toMatchObject({ model: 'openai/gpt-oss-20b', auth: 'Bearer sk-test' });
    // gpt-oss-20b has structured outputs in the catalog: the phase's schema, and a budget from the phase, not a constant.
    expect(requests[0].body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'structure_section', schema: { type: 'object' } } });
    expect(requests[0].body.max_tokens).toBe(8000);
    expect(result).toMatchObject({ inputTokens: 123, outputTokens: 456, model: 'openai/gpt-oss-20b' });
    expect(rows).toEqual([expect.objectContaining({ provider: 'openai', label: 'first_try', input_tokens: 123, output_tokens: 456, error_data: null })]);
  });

  it('waits as a 429 says, then succeeds', async () => {
    script = ({ model, n }) => (n === 1 ? { status: 429, headers: { 'retry-after': '2' }, body: { error: { message: 'slow down' } } } : { status: 200, body: answer(section, model) });
    const { rows } = await run();
    // 2 s as told, plus at most a quarter of jitter.
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2000);
    expect(sleeps[0]).toBeLessThanOrEqual(2500);
    expect(rows.map((r: { label: string }) => r.label)).toEqual(['first_try', 'retry']);
    expect(rows[0].error_data.kind).toBe('ModelRateLimitError');
  });

  it('retries a 500 with backoff', async () => {
    script = ({ model, n }) => (n <= 2 ? { status: 500, body: { error: { message: 'boom' } } } : { status: 200, body: answer(section, model) });
    const { rows } = await run();
    expect(sleeps).toEqual([500, 1000]);
    expect(rows.map((r: { error_data: { kind: string } | null }) => r.error_data?.kind ?? 'ok')).toEqual(['ModelServerError', 'ModelServerError', 'ok']);
  });

  it('times out a slow answer and retries it', async () => {
    script = ({ model, n }) => ({ status: 200, body: answer(section, model), delayMs: n === 1 ? 1500 : 0 });
    const { rows } = await run(500);
    expect(rows.map((r: { error_data: { kind: string } | null }) => r.error_data?.kind ?? 'ok')).toEqual(['ModelTimeoutError', 'ok']);
  });

  it('repairs broken JSON and stops at once on a permanent error', async () => {
    script = ({ model }) => ({ status: 200, body: answer('```json\n' + section.replace(/}$/, ',}') + '\n```', model) });
    const { result } = await run();
    expect(result.attempts).toBe(1);
    requests = [];
    script = () => ({ status: 401, body: { error: { message: 'bad key' } } });
    await expect(run()).rejects.toMatchObject({ retryable: false });
    expect(requests).toHaveLength(1);
  });
});
