// The models of seed 004 with their default prices (USD per 1M tokens), context windows
// and output limits; the demo seed writes them into the shared catalog (llm_models),
// and each organization's price table starts from the default prices.
export interface ModelPrice {
  id: string;
  provider_model: string;
  input_price_per_1m: number;
  output_price_per_1m: number;
  context_window: number;
  max_output_tokens: number;
  /** structured outputs (response_format json_schema) */
  supports_json_schema: boolean;
  /** JSON mode (response_format json_object) */
  supports_json_mode: boolean;
}

export const DEFAULT_MODELS: ModelPrice[] = [
  { id: 'openai/gpt-oss-20b', provider_model: 'openai/gpt-oss-20b', input_price_per_1m: 0.1, output_price_per_1m: 0.1, context_window: 128_000, max_output_tokens: 32_768, supports_json_schema: true, supports_json_mode: true },
  { id: 'openai/gpt-oss-120b', provider_model: 'openai/gpt-oss-120b', input_price_per_1m: 0.8, output_price_per_1m: 0.8, context_window: 128_000, max_output_tokens: 32_768, supports_json_schema: true, supports_json_mode: true },
  { id: 'qwen/qwen3-max', provider_model: 'qwen/qwen3-max', input_price_per_1m: 3.0, output_price_per_1m: 3.0, context_window: 128_000, max_output_tokens: 32_768, supports_json_schema: false, supports_json_mode: true },
  { id: 'google/gemini-2.5-flash', provider_model: 'google/gemini-2.5-flash', input_price_per_1m: 0.3, output_price_per_1m: 0.3, context_window: 1_000_000, max_output_tokens: 65_536, supports_json_schema: true, supports_json_mode: true },
];

/**
 * Cost of one call in USD, exact to 8 decimals (numeric(14,8) in the database). The
 * arithmetic is done in integers: prices carry at most 6 decimals, so price * 1e6 is an
 * integer and tokens * that stays far below 2^53 for any real call.
 */
export function costUsd(inputTokens: number, outputTokens: number, price: Pick<ModelPrice, 'input_price_per_1m' | 'output_price_per_1m'>): number {
  const inMicro = Math.round(price.input_price_per_1m * 1e6);
  const outMicro = Math.round(price.output_price_per_1m * 1e6);
  // tokens * micro-dollars-per-1M-tokens = 1e-12 USD units; round to 1e-8 USD.
  const picoUsd = inputTokens * inMicro + outputTokens * outMicro;
  return Math.round(picoUsd / 1e4) / 1e8;
}
