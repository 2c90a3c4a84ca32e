// The model catalog: the models of seed 004 with their default prices (USD per 1M
// tokens), context windows, output limits and structured-output support, checked in as
// catalog/models.json at the repository's root. The bootstrap (`npm run bootstrap`) and
// the demo seed both load it into the shared catalog (llm_models), and each
// organization's price table starts from the default prices; this is the one copy.
import { z } from 'zod';
import catalogFile from '../../../catalog/models.json';

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
  /** the request field carrying the output limit: reasoning models take max_completion_tokens */
  token_limit_param: TokenLimitParam;
  /** answers with server-sent events when asked to (`stream: true`) */
  supports_streaming: boolean;
}

export const TOKEN_LIMIT_PARAMS = ['max_tokens', 'max_completion_tokens'] as const;
export type TokenLimitParam = (typeof TOKEN_LIMIT_PARAMS)[number];

export interface CatalogEntry extends ModelPrice {
  display_name: string;
}

// numeric(12, 6) in the database
const price = z
  .number()
  .min(0)
  .max(999_999)
  .refine((v) => Math.abs(v * 1e6 - Math.round(v * 1e6)) < 1e-6, 'at most 6 decimals');

const CatalogSchema = z
  .object({
    comment: z.string().optional(),
    models: z
      .array(
        z
          .object({
            id: z.string().min(1).max(200),
            provider_model: z.string().min(1).max(200),
            display_name: z.string().min(1).max(200),
            context_window: z.number().int().positive(),
            input_price_per_1m: price,
            output_price_per_1m: price,
            max_output_tokens: z.number().int().positive(),
            supports_json_schema: z.boolean(),
            supports_json_mode: z.boolean(),
            token_limit_param: z.enum(TOKEN_LIMIT_PARAMS).default('max_tokens'),
            supports_streaming: z.boolean().default(true),
          })
          .passthrough(),
      )
      .min(1),
  })
  .refine((c) => new Set(c.models.map((m) => m.id)).size === c.models.length, { message: 'model ids must be unique', path: ['models'] });

/** The catalog's models; a malformed file is refused with the field that is wrong. */
export function parseCatalog(raw: unknown, source = 'catalog/models.json'): CatalogEntry[] {
  const parsed = CatalogSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data.models as CatalogEntry[];
}

export const DEFAULT_MODELS: CatalogEntry[] = parseCatalog(catalogFile);

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
