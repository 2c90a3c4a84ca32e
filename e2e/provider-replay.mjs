// A local OpenAI-compatible server that answers like OpenRouter, vLLM, Ollama (/v1) or
// llama.cpp's server, from the request/response pairs in fixtures/providers/*.json.
// Each model of the run has a profile (which server, output cap, JSON features, the
// token-limit parameter, streaming) and is held to it: a budget past its cap or a
// response_format it lacks gets that server's 400. Answers are valid JSON for the
// schema the request carries (response_format.json_schema, or the schema written into
// the prompt), wrapped in prose for models without JSON mode, with the fixture's usage.
// Scripted faults replace the n-th answer of a kind of call (metadata, section,
// lesson, …) with a fixture: rate-limited, cut-off, malformed, too-many-tokens, …
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/providers');
export const FIXTURES = Object.fromEntries(
  ['openrouter', 'vllm', 'ollama', 'llamacpp'].map((p) => [p, JSON.parse(readFileSync(join(DIR, `${p}.json`), 'utf8'))]),
);

/** Which phase a schema belongs to, by the fields it asks for. */
export function kindOf(schema) {
  const p = schema?.properties ?? {};
  if (p.tsx) return 'lesson';
  if (p.sections_outline) return 'metadata';
  if (p.lessons) return 'section';
  if (p.overall_notes) return 'validation';
  if (p.key_points) return 'summary';
  return 'analysis';
}

const WORDS = 'indexes transactions isolation vacuum replication planner statistics locks partitions constraints queries joins'.split(' ');

/** A value valid for a JSON Schema (the subset zod's toJSONSchema writes). */
export function instance(schema, key = '', index = 0, verbose = false) {
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.anyOf) return instance(schema.anyOf[0], key, index, verbose);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object') {
    return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, instance(s, k, index, verbose)]));
  }
  if (type === 'array') {
    const n = Math.max(schema.minItems ?? 0, Math.min(3, schema.maxItems ?? 3));
    return Array.from({ length: n }, (_, i) => instance(schema.items ?? { type: 'string' }, key, i, verbose));
  }
  if (type === 'integer' || type === 'number') {
    if (/_number$/.test(key)) return index + 1;
    const min = schema.minimum ?? schema.exclusiveMinimum ?? 0;
    const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e9;
    const want = type === 'integer' ? 10 : 0.8;
    return Math.min(max, Math.max(min, want));
  }
  if (type === 'boolean') return false;
  if (key === 'tsx') return lessonTsx(verbose);
  const base = `${key.replace(/_/g, ' ')} ${index + 1}: ${WORDS[index % WORDS.length]} and ${WORDS[(index + 5) % WORDS.length]} in practice`;
  let text = verbose ? `${base}. ${'Worked through with examples from production databases. '.repeat(6)}` : base;
  while (text.length < (schema.minLength ?? 0)) text += ` ${base}`;
  return schema.maxLength
    ? text
        .slice(0, schema.maxLength)
        .trim()
        .padEnd(schema.minLength ?? 0, '.')
    : text;
}

function lessonTsx(verbose) {
  const paragraphs = Array.from(
    { length: verbose ? 120 : 3 },
    (_, i) => `      <p>Step ${i + 1}: ${WORDS[i % WORDS.length]} explained with a worked example, a counter-example and a short check of understanding.</p>`,
  );
  return [
    'export default function Lesson() {',
    '  return (',
    '    <article className="lesson">',
    '      <h1>Replayed lesson</h1>',
    ...paragraphs,
    '    </article>',
    '  );',
    '}',
  ].join('\n');
}

/** The schema a request carries: structured outputs, else the one written into the prompt. */
export function schemaOf(body) {
  const rf = body.response_format;
  if (rf?.type === 'json_schema') return rf.json_schema?.schema;
  const text = (body.messages ?? []).map((m) => m.content).join('\n');
  const m = /JSON Schema:\n```json\n([\s\S]*?)\n```/.exec(text);
  return m ? JSON.parse(m[1]) : null;
}

const fill = (template, content) => {
  const out = structuredClone(template);
  if (out.choices?.[0]?.message) out.choices[0].message.content = content;
  return out;
};

/**
 * models: { [id]: { profile, maxOutput, jsonSchema, jsonMode, tokenParam, streaming } }
 * faults: [{ kind, nth, fixture }] — the nth call (1-based) of that kind gets the fixture
 * slow: { [kind]: { chunkDelayMs, verbose } } — streamed answers of that kind arrive slowly
 */
export async function startReplay({ models, faults = [], slow = {} }) {
  const log = [];
  const seen = {};
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on(
      'end',
      () =>
        void answer(req, res, raw).catch((err) => {
          res.writeHead(500);
          res.end(String(err));
        }),
    );
  });

  async function answer(req, res, raw) {
    const started = Date.now();
    const send = (status, body, headers = {}, usage = null, finish = null) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
      log.push({ ...entry, status, usage, finish, started, ended: Date.now() });
    };
    if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
      res.writeHead(404);
      res.end();
      return;
    }
    const body = JSON.parse(raw);
    const model = models[body.model];
    const entry = { model: body.model, headers: { referer: req.headers['http-referer'], title: req.headers['x-title'] }, request: body, kind: null };
    if (!model) return send(404, FIXTURES.ollama['not-found'].body);
    const fx = FIXTURES[model.profile];
    const schema = schemaOf(body);
    entry.kind = kindOf(schema);
    // Held to the profile, as the real server would.
    const limit = body.max_tokens ?? body.max_completion_tokens;
    const wrongParam = model.tokenParam === 'max_completion_tokens' ? body.max_tokens !== undefined : body.max_completion_tokens !== undefined;
    if (limit > model.maxOutput || wrongParam) {
      const t = fx['too-many-tokens'] ?? fx.error;
      return send(t.status, t.body);
    }
    if ((body.response_format?.type === 'json_schema' && !model.jsonSchema) || (body.response_format?.type === 'json_object' && !model.jsonMode)) {
      const t = fx.error ?? FIXTURES.ollama.error;
      return send(t.status, t.body);
    }
    seen[entry.kind] = (seen[entry.kind] ?? 0) + 1;
    const fault = faults.find((f) => f.kind === entry.kind && f.nth === seen[entry.kind]);
    const value = instance(schema ?? { type: 'object', properties: {} }, '', 0, !!slow[entry.kind]?.verbose);
    const json = JSON.stringify(value);
    // Small models without JSON mode talk around the object.
    const content = model.jsonMode || model.jsonSchema ? json : `Here is the requested JSON:\n\`\`\`json\n${json}\n\`\`\`\nLet me know if you need changes.`;
    if (fault) {
      const t = fx[fault.fixture] ?? FIXTURES.openrouter[fault.fixture];
      entry.fault = fault.fixture;
      if (t.status !== 200) return send(t.status, t.body, t.headers);
      const filled = fault.fixture === 'cut-off' ? fill(t.body, json.slice(0, Math.floor(json.length / 2))) : structuredClone(t.body);
      return send(200, filled, {}, filled.usage, filled.choices[0].finish_reason);
    }
    const success = fill(fx.success.body, content);
    success.model = body.model;
    if (body.stream && model.streaming) {
      const s = fx.stream;
      res.writeHead(200, s.headers);
      if (s.comment) res.write(`${s.comment}\n\n`);
      const delay = slow[entry.kind]?.chunkDelayMs ?? 0;
      for (let i = 0; i < content.length; i += 40) {
        const chunk = structuredClone(s.chunk);
        chunk.choices[0].delta.content = content.slice(i, i + 40);
        res.write(`data: ${JSON.stringify(chunk)}\n\n`);
        if (delay) await new Promise((r) => setTimeout(r, delay));
      }
      res.write(`data: ${JSON.stringify(s.final)}\n\n`);
      if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify(s.usage)}\n\n`);
      res.end(`data: ${s.done}\n\n`);
      log.push({ ...entry, status: 200, usage: s.usage.usage, finish: 'stop', streamed: true, started, ended: Date.now() });
      return;
    }
    return send(200, success, {}, success.usage, 'stop');
  }

  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/v1`;
  return { url, log, close: () => new Promise((r) => server.close(r)) };
}
