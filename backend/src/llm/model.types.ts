// The provider interface every model provider implements, and the errors that tell the
// gateway how to react: wait and retry (rate limit), back off and retry (timeout,
// server error), or stop at once (permanent).
export type ModelTask =
  | 'document_summary'
  | 'analysis_phase'
  | 'structure_metadata'
  | 'structure_section'
  | 'structure_validation'
  | 'lesson_content';

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
  maxOutputTokens?: number;
  signal?: AbortSignal;
}

export interface ModelResponse {
  text: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  provider: 'simulated' | 'openai';
  model: string;
  finishReason: 'stop' | 'length';
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
  constructor(readonly retryAfterMs: number) {
    super(`rate limited; retry after ${retryAfterMs} ms`);
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
  constructor(readonly status: number) {
    super(`model server error ${status}`);
  }
}

export class ModelPermanentError extends Error {
  override name = 'ModelPermanentError';
}
