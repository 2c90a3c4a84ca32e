// The provider interface every model provider implements, and the errors that tell the
// gateway how to react: wait and retry (rate limit), back off and retry (timeout,
// server error), or stop at once (permanent).
export type ModelTask = 'document_summary' | 'analysis_phase' | 'structure_metadata' | 'structure_section' | 'structure_validation' | 'lesson_content';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ModelRequest {
  model: string;
  task: ModelTask;
  messages: ChatMessage[];
  /** deterministic key of the call: course, run, stage, phase, item, call */
  seed: string;
  /** what the simulated provider shapes its answer from; real providers ignore it */
  context: Record<string, unknown>;
  /** the output budget of this attempt (the gateway derives it from the model and the phase) */
  maxOutputTokens?: number;
  /** the request field that carries the budget: reasoning models take max_completion_tokens */
  tokenLimitParam?: 'max_tokens' | 'max_completion_tokens';
  /** how the answer's JSON is asked for: structured outputs, JSON mode, or only the prompt */
  responseFormat?: ResponseFormat;
  /** ask for server-sent events; the answer is the same, only the arrival differs */
  stream?: boolean;
  /** the whole call, streaming included */
  timeoutMs?: number;
  /** output tokens received so far, while the answer streams in */
  onTokens?: (outputTokens: number) => void;
  signal?: AbortSignal;
}

export type ResponseFormat = { type: 'json_schema'; name: string; schema: Record<string, unknown> } | { type: 'json_object' } | { type: 'text' };

export interface ModelResponse {
  text: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  provider: 'simulated' | 'openai';
  model: string;
  finishReason: 'stop' | 'length';
  /** what the provider says the call cost (OpenRouter's usage.cost), beside ours */
  providerCostUsd?: number;
}

export interface EmbeddingResponse {
  vectors: number[][];
  inputTokens: number;
  model: string;
  latencyMs: number;
}

export interface ModelProvider {
  readonly name: 'simulated' | 'openai';
  complete(req: ModelRequest): Promise<ModelResponse>;
  /** present only when the provider has an embeddings endpoint configured */
  embed?(texts: string[], signal?: AbortSignal): Promise<EmbeddingResponse>;
}

export class ModelRateLimitError extends Error {
  override name = 'ModelRateLimitError';
  constructor(
    readonly retryAfterMs: number,
    detail?: string,
  ) {
    super(`rate limited; retry after ${retryAfterMs} ms${detail ? ` (${detail})` : ''}`);
  }
}

export class ModelTimeoutError extends Error {
  override name = 'ModelTimeoutError';
  constructor(message = 'model call timed out') {
    super(message);
  }
}

export class ModelServerError extends Error {
  override name = 'ModelServerError';
  constructor(
    readonly status: number,
    detail?: string,
  ) {
    super(detail ? `model server error ${status}: ${detail}` : `model server error ${status}`);
  }
}

export class ModelPermanentError extends Error {
  override name = 'ModelPermanentError';
  constructor(
    message: string,
    readonly status?: number,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The provider refused to answer (finish_reason content_filter, or a moderation 4xx); asking again will not help. */
export class ModelContentFilterError extends ModelPermanentError {
  override name = 'ModelContentFilterError';
}

/**
 * The request does not fit this model (prompt plus output budget past its context, or a
 * budget past its output cap): another model of the route may still take it.
 */
export class ModelRequestTooLargeError extends ModelPermanentError {
  override name = 'ModelRequestTooLargeError';
}
