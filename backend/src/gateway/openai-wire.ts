// The OpenAI-compatible chat-completions wire format as OpenRouter, vLLM, Ollama (/v1)
// and llama.cpp's server speak it: the request body for what a model can do, the
// server-sent events of a streamed answer, Retry-After, and the error bodies each of
// them answers with, turned into one clear line for the trace.
import type { ChatMessage, ModelRequest } from '../llm/model.types';

export function chatBody(req: ModelRequest): Record<string, unknown> {
  const body: Record<string, unknown> = { model: req.model, messages: req.messages as ChatMessage[] };
  if (req.maxOutputTokens !== undefined) body[req.tokenLimitParam ?? 'max_tokens'] = req.maxOutputTokens;
  const f = req.responseFormat;
  if (f?.type === 'json_schema') body.response_format = { type: 'json_schema', json_schema: { name: f.name, strict: false, schema: f.schema } };
  else if (f?.type === 'json_object') body.response_format = { type: 'json_object' };
  if (req.stream) {
    body.stream = true;
    // Without it most servers send no usage at all on a stream.
    body.stream_options = { include_usage: true };
  }
  return body;
}

/**
 * Retry-After as milliseconds: `retry-after-ms` (OpenAI), seconds, or an HTTP date; a date
 * in the past is 0. Without the header, one second.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number {
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return 1000;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : 1000;
}

/**
 * One line from an error body, whichever server wrote it:
 * OpenRouter `{error:{code, message, metadata:{provider_name, raw, reasons}}}`,
 * OpenAI / Ollama /v1 `{error:{message, type, param, code}}`,
 * vLLM `{object:"error", message, type, param, code}` (older) or `{error:{…}}`,
 * llama.cpp `{error:{code, message, type, n_prompt_tokens, n_ctx}}`,
 * Ollama's native `{error:"…"}`, or plain text.
 */
export function describeErrorBody(status: number, text: string): { message: string; type?: string; detail: Record<string, unknown> } {
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return { message: `${status}: ${text.trim().slice(0, 300) || 'no body'}`, detail: {} };
  }
  const e = body && typeof body.error === 'object' && body.error !== null ? body.error : (body ?? {});
  const base = typeof body?.error === 'string' ? body.error : typeof e.message === 'string' ? e.message : JSON.stringify(body).slice(0, 300);
  const parts = [base];
  const meta = e.metadata && typeof e.metadata === 'object' ? e.metadata : undefined;
  if (meta?.provider_name) parts.push(`provider ${meta.provider_name}`);
  if (Array.isArray(meta?.reasons) && meta.reasons.length) parts.push(`reasons: ${meta.reasons.join(', ')}`);
  if (typeof meta?.raw === 'string' && meta.raw) parts.push(`upstream: ${meta.raw.slice(0, 300)}`);
  if (typeof e.n_prompt_tokens === 'number' && typeof e.n_ctx === 'number') parts.push(`${e.n_prompt_tokens} prompt tokens, context ${e.n_ctx}`);
  const type = typeof e.type === 'string' ? e.type : typeof e.code === 'string' ? e.code : undefined;
  const detail: Record<string, unknown> = { status };
  for (const k of ['type', 'code', 'param', 'n_prompt_tokens', 'n_ctx']) if (e[k] !== undefined && e[k] !== null) detail[k] = e[k];
  if (meta) detail.metadata = meta;
  return { message: `${status}: ${parts.join('; ')}`, type, detail };
}

/** A 400/413/422 that says the request is too big for the model: its context or its output cap. */
export function isTooLarge(status: number, message: string, type?: string): boolean {
  if (status !== 400 && status !== 413 && status !== 422) return false;
  return /context[_ ]length|context size|maximum context|exceed_context|too many tokens|max_tokens|max_completion_tokens|num_ctx|prompt is too long|exceeds the (model'?s )?maximum/i.test(
    `${type ?? ''} ${message}`,
  );
}

/** A 400/403 that is a moderation refusal (OpenRouter answers 403 with metadata.reasons). */
export function isModeration(status: number, message: string, type?: string, detail?: Record<string, unknown>): boolean {
  const meta = detail?.metadata as { reasons?: unknown } | undefined;
  if (status === 403 && Array.isArray(meta?.reasons)) return true;
  return (status === 400 || status === 403) && /moderation|content[_ ]filter|content_policy|flagged/i.test(`${type ?? ''} ${message}`);
}

export interface StreamResult {
  text: string;
  finishReason: string | null;
  model?: string;
  usage?: Record<string, any>;
}

/**
 * Reads a chat-completions SSE body: `data: {chunk}` lines, comments (OpenRouter's
 * `: OPENROUTER PROCESSING`), and `data: [DONE]`. A chunk carrying `error` (OpenRouter
 * mid-stream errors) ends the read with that error.
 */
export async function readStream(body: ReadableStream<Uint8Array>, onText: (delta: string) => void): Promise<StreamResult> {
  const decoder = new TextDecoder();
  const out: StreamResult = { text: '', finishReason: null };
  let buffer = '';
  const handle = (line: string): boolean => {
    if (!line.startsWith('data:')) return false;
    const data = line.slice(5).trim();
    if (data === '[DONE]') return true;
    let chunk: any;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw new StreamChunkError(`unreadable stream chunk: ${data.slice(0, 200)}`);
    }
    if (chunk.error) throw new StreamChunkError(describeErrorBody(Number(chunk.error.code) || 0, JSON.stringify(chunk)).message, chunk);
    if (chunk.model) out.model = chunk.model;
    if (chunk.usage) out.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    const delta = choice?.delta?.content;
    if (typeof delta === 'string' && delta) {
      out.text += delta;
      onText(delta);
    }
    if (choice?.finish_reason) out.finishReason = choice.finish_reason;
    return false;
  };
  const reader = body.getReader();
  // After [DONE] the body is still read to its end: a connection given back half-read
  // would be reset under the next request that reuses it.
  let finished = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (value && !finished) buffer += decoder.decode(value, { stream: true });
    let nl: number;
    while (!finished && (nl = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(buffer[nl] === '\r' ? nl + 2 : nl + 1);
      if (handle(line)) finished = true;
    }
    if (done) break;
  }
  if (!finished && buffer.trim()) handle(buffer.trim());
  return out;
}

export class StreamChunkError extends Error {
  constructor(
    message: string,
    readonly chunk?: unknown,
  ) {
    super(message);
  }
}
