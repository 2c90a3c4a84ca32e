// The openai provider against every fixture of e2e/fixtures/providers (OpenRouter, vLLM,
// Ollama, llama.cpp), served as written: what each answer and each error becomes.
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelContentFilterError, ModelPermanentError, ModelRateLimitError, ModelRequestTooLargeError, ModelServerError } from '../llm/model.types';
import { OpenAiProvider } from './openai.provider';
import { retryAfterMs } from './openai-wire';

const DIR = join(__dirname, '../../../e2e/fixtures/providers');
const FIX: Record<string, any> = Object.fromEntries(
  ['openrouter', 'vllm', 'ollama', 'llamacpp'].map((p) => [p, JSON.parse(readFileSync(join(DIR, `${p}.json`), 'utf8'))]),
);

let server: http.Server;
let next: (body: any) => { status: number; headers?: Record<string, string>; body?: unknown; sse?: string[] };
let provider: OpenAiProvider;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const r = next(JSON.parse(raw));
      if (r.sse) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const line of r.sse) res.write(`${line}\n\n`);
        res.end();
        return;
      }
      res.writeHead(r.status, { 'content-type': 'application/json', ...(r.headers ?? {}) });
      res.end(JSON.stringify(r.body));
    });
  });
  // The tokenizer's first load blocks for seconds; an idle socket must outlive it.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  provider = new OpenAiProvider({ baseURL: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, apiKey: 'k', timeoutMs: 5000 });
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const req = (extra = {}) => ({
  model: 'm',
  task: 'structure_section' as const,
  messages: [{ role: 'user' as const, content: 'hi' }],
  seed: 's',
  context: {},
  maxOutputTokens: 100,
  ...extra,
});
const fill = (t: any, content: string) => {
  const b = structuredClone(t);
  b.choices[0].message.content = content;
  return b;
};

describe.each(Object.keys(FIX))('%s fixtures', (name) => {
  const f = FIX[name];
  it('a success gives the text, the usage and (OpenRouter) the provider cost', async () => {
    next = () => ({ status: 200, body: fill(f.success.body, '{"a":1}') });
    const res = await provider.complete(req());
    expect(res).toMatchObject({
      text: '{"a":1}',
      inputTokens: f.success.body.usage.prompt_tokens,
      outputTokens: f.success.body.usage.completion_tokens,
      finishReason: 'stop',
    });
    expect(res.providerCostUsd).toBe(f.success.body.usage.cost);
  });

  it('a stream gives the same answer, counting tokens on the way', async () => {
    const pieces = ['{"a":', '1, "b": "two', '"}'];
    const chunk = (p: string) => {
      const c = structuredClone(f.stream.chunk);
      c.choices[0].delta.content = p;
      return `data: ${JSON.stringify(c)}`;
    };
    next = () => ({
      status: 200,
      sse: [
        ...(f.stream.comment ? [f.stream.comment] : []),
        ...pieces.map(chunk),
        `data: ${JSON.stringify(f.stream.final)}`,
        `data: ${JSON.stringify(f.stream.usage)}`,
        `data: ${f.stream.done}`,
      ],
    });
    const counts: number[] = [];
    const res = await provider.complete(req({ stream: true, onTokens: (n: number) => counts.push(n) }));
    expect(res.text).toBe('{"a":1, "b": "two"}');
    expect(res.outputTokens).toBe(f.stream.usage.usage.completion_tokens);
    expect(counts).toHaveLength(3);
  });

  for (const [key, kind] of [
    ['too-many-tokens', ModelRequestTooLargeError],
    ['rate-limited', ModelRateLimitError],
    ['moderation', ModelContentFilterError],
    ['unavailable', ModelServerError],
    ['error', ModelPermanentError],
    ['not-found', ModelPermanentError],
  ] as const) {
    if (!f[key]) continue;
    it(`${key} becomes ${kind.name}, with the server's message`, async () => {
      next = () => ({ status: f[key].status, headers: f[key].headers, body: f[key].body });
      const err = await provider.complete(req()).catch((e) => e);
      expect(err).toBeInstanceOf(kind);
      const said = f[key].body.error?.message ?? f[key].body.message;
      expect(err.message).toContain(said.slice(0, 40));
    });
  }

  if (f['cut-off']) {
    it('a cut-off answer is reported as finish length', async () => {
      next = () => ({ status: 200, body: fill(f['cut-off'].body, '{"a": "hal') });
      expect((await provider.complete(req())).finishReason).toBe('length');
    });
  }
});

describe('details', () => {
  it('content_filter is a refusal', async () => {
    next = () => ({ status: 200, body: FIX.openrouter['content-filter'].body });
    await expect(provider.complete(req())).rejects.toBeInstanceOf(ModelContentFilterError);
  });

  it('a mid-stream error chunk (OpenRouter) is a server error', async () => {
    next = () => ({ status: 200, sse: [`data: ${JSON.stringify(FIX.openrouter['midstream-error'].chunk)}`] });
    await expect(provider.complete(req({ stream: true }))).rejects.toMatchObject({
      name: 'ModelServerError',
      message: expect.stringContaining('Provider disconnected'),
    });
  });

  it('OpenRouter error metadata reaches the message', async () => {
    next = () => ({ status: 403, body: FIX.openrouter.moderation.body });
    await expect(provider.complete(req())).rejects.toMatchObject({
      message: expect.stringContaining('reasons: violence'),
      detail: { metadata: { provider_name: 'OpenAI' } },
    });
  });

  it('Retry-After: seconds, an HTTP date, a date past', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:02:00 GMT' }), now)).toBe(120_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
    expect(retryAfterMs(new Headers(), now)).toBe(1000);
  });

  it('sends max_completion_tokens when the model takes it, and the schema as structured outputs', async () => {
    let seen: any;
    next = (body) => {
      seen = body;
      return { status: 200, body: fill(FIX.vllm.success.body, '{}') };
    };
    await provider.complete(
      req({ tokenLimitParam: 'max_completion_tokens', responseFormat: { type: 'json_schema', name: 'structure_section', schema: { type: 'object' } } }),
    );
    expect(seen).toMatchObject({
      max_completion_tokens: 100,
      response_format: { type: 'json_schema', json_schema: { name: 'structure_section', schema: { type: 'object' } } },
    });
    expect(seen.max_tokens).toBeUndefined();
  });
});
