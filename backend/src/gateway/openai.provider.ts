// The `openai` provider: any OpenAI-compatible chat-completions endpoint (OpenRouter by
// default; vLLM, Ollama and llama.cpp servers by LLM_BASE_URL) through the official
// `openai` package. HTTP failures are mapped onto the gateway's error classes so that
// retries, 429 waits and permanent errors behave the same for every provider.
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import {
  ModelPermanentError, ModelRateLimitError, ModelServerError, ModelTimeoutError,
  type EmbeddingResponse, type ModelProvider, type ModelRequest, type ModelResponse,
} from '../llm/model.types';
import { countMessagesTokens, countTokens } from '../llm/tokenizer';

export interface OpenAiProviderOptions {
  baseURL: string;
  apiKey: string;
  timeoutMs?: number;
  /** an embeddings model on the same endpoint; without it stage 5 scores lexically */
  embeddingModel?: string;
}

function retryAfterMs(headers: Headers | undefined): number {
  const raw = headers?.get('retry-after-ms') ?? null;
  if (raw && Number.isFinite(Number(raw))) return Number(raw);
  const seconds = headers?.get('retry-after');
  if (seconds && Number.isFinite(Number(seconds))) return Number(seconds) * 1000;
  const date = seconds ? Date.parse(seconds) : NaN;
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 1000;
}

export class OpenAiProvider implements ModelProvider {
  readonly name = 'openai' as const;
  private readonly client: OpenAI;
  private readonly timeoutMs: number;

  constructor(opts: OpenAiProviderOptions) {
    // The gateway owns retries; the client must not retry on its own behind our back.
    this.timeoutMs = opts.timeoutMs ?? 120_000;
    this.client = new OpenAI({ baseURL: opts.baseURL, apiKey: opts.apiKey, maxRetries: 0, timeout: this.timeoutMs });
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
    try {
      const res = await this.client.chat.completions.create(
        {
          model: req.model,
          messages: req.messages,
          max_tokens: req.maxOutputTokens,
          response_format: { type: 'json_object' },
        },
        { signal: req.signal },
      );
      const choice = res.choices[0];
      const text = choice?.message?.content ?? '';
      return {
        text,
        inputTokens: res.usage?.prompt_tokens ?? countMessagesTokens(req.messages),
        outputTokens: res.usage?.completion_tokens ?? countTokens(text),
        latencyMs: Date.now() - started,
        provider: 'openai',
        model: res.model || req.model,
        finishReason: choice?.finish_reason === 'length' ? 'length' : 'stop',
      };
    } catch (err) {
      // Some runtimes surface the client's timeout abort as a plain connection error.
      const timedOut = err instanceof APIConnectionTimeoutError || (err instanceof APIConnectionError && Date.now() - started >= this.timeoutMs - 20);
      if (timedOut) throw new ModelTimeoutError(`no answer within ${this.timeoutMs} ms`);
      if (err instanceof APIError) {
        if (err.status === 429) throw new ModelRateLimitError(retryAfterMs(err.headers as Headers | undefined));
        if (err.status === 408) throw new ModelTimeoutError(err.message);
        if (err.status !== undefined && err.status >= 500) throw new ModelServerError(err.status);
        if (err.status === undefined) throw new ModelServerError(0);
        throw new ModelPermanentError(`${err.status}: ${err.message}`);
      }
      throw err;
    }
  }
}
