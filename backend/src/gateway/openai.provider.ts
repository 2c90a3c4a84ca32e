// The `openai` provider: any OpenAI-compatible chat-completions endpoint (OpenRouter by
// default; vLLM, Ollama and llama.cpp servers by LLM_BASE_URL). Chat calls go over
// fetch so that every server's error body, Retry-After and stream reach us as sent (see
// openai-wire.ts); embeddings use the official `openai` package. HTTP failures are
// mapped onto the gateway's error classes so that retries, 429 waits and permanent
// errors behave the same for every provider.
import OpenAI from 'openai';
import {
  ModelContentFilterError,
  ModelPermanentError,
  ModelRateLimitError,
  ModelRequestTooLargeError,
  ModelServerError,
  ModelTimeoutError,
  type EmbeddingResponse,
  type ModelProvider,
  type ModelRequest,
  type ModelResponse,
} from '../llm/model.types';
import { countMessagesTokens, countTokens } from '../llm/tokenizer';
import { chatBody, describeErrorBody, isModeration, isTooLarge, readStream, retryAfterMs, StreamChunkError } from './openai-wire';

export interface OpenAiProviderOptions {
  baseURL: string;
  apiKey: string;
  /** the default for a call that names none */
  timeoutMs?: number;
  /** an embeddings model on the same endpoint; without it stage 5 scores lexically */
  embeddingModel?: string;
  /** OpenRouter's app attribution: HTTP-Referer and X-Title, sent only when set */
  referer?: string;
  title?: string;
}

export class OpenAiProvider implements ModelProvider {
  readonly name = 'openai' as const;
  private readonly client: OpenAI;
  private readonly timeoutMs: number;
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(opts: OpenAiProviderOptions) {
    // The gateway owns retries; the client must not retry on its own behind our back.
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.url = `${opts.baseURL.replace(/\/+$/, '')}/chat/completions`;
    this.headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${opts.apiKey}`,
      ...(opts.referer ? { 'HTTP-Referer': opts.referer } : {}),
      ...(opts.title ? { 'X-Title': opts.title } : {}),
    };
    this.client = new OpenAI({
      baseURL: opts.baseURL,
      apiKey: opts.apiKey,
      maxRetries: 0,
      timeout: this.timeoutMs,
      defaultHeaders: {
        ...(opts.referer ? { 'HTTP-Referer': opts.referer } : {}),
        ...(opts.title ? { 'X-Title': opts.title } : {}),
      },
    });
    if (opts.embeddingModel) {
      const model = opts.embeddingModel;
      this.embed = async (texts: string[], signal?: AbortSignal): Promise<EmbeddingResponse> => {
        const started = Date.now();
        const res = await this.client.embeddings.create({ model, input: texts, encoding_format: 'float' }, { signal });
        const vectors = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding as number[]);
        return { vectors, inputTokens: res.usage?.prompt_tokens ?? 0, model, latencyMs: Date.now() - started };
      };
    }
  }

  embed?: (texts: string[], signal?: AbortSignal) => Promise<EmbeddingResponse>;

  async complete(req: ModelRequest): Promise<ModelResponse> {
    const started = Date.now();
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    // One deadline for the whole call, the streamed body included; the caller's signal
    // (a cancelled run) aborts it too.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await fetch(this.url, { method: 'POST', headers: this.headers, body: JSON.stringify(chatBody(req)), signal: controller.signal });
      if (!res.ok) throw await this.httpError(res);
      const isStream = req.stream && (res.headers.get('content-type') ?? '').includes('text/event-stream');
      let text: string;
      let finish: string | null;
      let usage: Record<string, any> | undefined;
      let model: string | undefined;
      if (isStream && res.body) {
        let counted = 0;
        const streamed = await readStream(res.body, (delta) => {
          counted += countTokens(delta);
          req.onTokens?.(counted);
        });
        ({ text, usage, model } = streamed);
        finish = streamed.finishReason;
      } else {
        const raw = await res.text();
        let body: any;
        try {
          body = JSON.parse(raw);
        } catch {
          throw new ModelServerError(res.status, `unreadable answer body: ${raw.slice(0, 200)}`);
        }
        if (body?.error) throw this.errorOf(res.status === 200 ? Number(body.error.code) || 502 : res.status, raw, res.headers);
        const choice = body?.choices?.[0];
        text = typeof choice?.message?.content === 'string' ? choice.message.content : '';
        finish = choice?.finish_reason ?? null;
        usage = body?.usage;
        model = body?.model;
      }
      if (finish === 'content_filter') {
        throw new ModelContentFilterError(
          `the provider's content filter stopped the answer (finish_reason content_filter) after ${usage?.completion_tokens ?? countTokens(text)} tokens`,
          200,
          { finish_reason: finish },
        );
      }
      if (finish === 'error') throw new ModelServerError(502, 'the provider ended the answer with finish_reason error');
      const cost = Number(usage?.cost);
      return {
        text,
        inputTokens: usage?.prompt_tokens ?? countMessagesTokens(req.messages),
        outputTokens: usage?.completion_tokens ?? countTokens(text),
        latencyMs: Date.now() - started,
        provider: 'openai',
        model: model || req.model,
        finishReason: finish === 'length' ? 'length' : 'stop',
        ...(usage && usage.cost !== undefined && usage.cost !== null && Number.isFinite(cost) && cost >= 0 ? { providerCostUsd: cost } : {}),
      };
    } catch (err) {
      if (timedOut) throw new ModelTimeoutError(`no complete answer within ${timeoutMs} ms`);
      if (err instanceof StreamChunkError) throw new ModelServerError(502, err.message);
      if (err instanceof ModelPermanentError || err instanceof ModelServerError || err instanceof ModelRateLimitError || err instanceof ModelTimeoutError)
        throw err;
      if (req.signal?.aborted) throw err;
      // Connection refused, reset, DNS: the server may come back.
      throw new ModelServerError(0, `connection failed: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async httpError(res: Response): Promise<Error> {
    const text = await res.text().catch(() => '');
    return this.errorOf(res.status, text, res.headers);
  }

  private errorOf(status: number, text: string, headers: Headers): Error {
    const { message, type, detail } = describeErrorBody(status, text);
    if (status === 429) return new ModelRateLimitError(retryAfterMs(headers), message);
    if (status === 408) return new ModelTimeoutError(message);
    if (status >= 500) return new ModelServerError(status, message);
    if (isModeration(status, message, type, detail)) return new ModelContentFilterError(message, status, detail);
    if (isTooLarge(status, message, type)) return new ModelRequestTooLargeError(message, status, detail);
    return new ModelPermanentError(message, status, detail);
  }
}
