// What each model can do, from the shared catalog (llm_models, seeded from
// catalog/models.json): its context window, output cap, structured outputs
// (json_schema), JSON mode (json_object), the parameter that carries the output limit,
// and streaming. The gateway asks for exactly that: the response format, the output
// budget and the routing of seed 004's overflow model all read the same entries.
import { z, type ZodType } from 'zod';
import { DEFAULT_MODELS, type TokenLimitParam } from '../llm/model-catalog';
import type { ModelTask, ResponseFormat } from '../llm/model.types';

export interface ModelCapabilities {
  contextWindow: number;
  maxOutputTokens: number;
  jsonSchema: boolean;
  jsonMode: boolean;
  tokenLimitParam: TokenLimitParam;
  streaming: boolean;
}

/** A model the catalog does not know: the seed's 128K window, a small cap, no JSON features. */
export const UNKNOWN_MODEL: ModelCapabilities = {
  contextWindow: 128_000,
  maxOutputTokens: 4096,
  jsonSchema: false,
  jsonMode: false,
  tokenLimitParam: 'max_tokens',
  streaming: false,
};

export const CATALOG_CAPABILITIES: Record<string, ModelCapabilities> = Object.fromEntries(
  DEFAULT_MODELS.map((m) => [
    m.id,
    {
      contextWindow: m.context_window,
      maxOutputTokens: m.max_output_tokens,
      jsonSchema: m.supports_json_schema,
      jsonMode: m.supports_json_mode,
      tokenLimitParam: m.token_limit_param,
      streaming: m.supports_streaming,
    },
  ]),
);

export type CapabilityLoader = (ids: string[]) => Promise<Record<string, ModelCapabilities>>;

/**
 * The catalog's entries, read from the database and kept for `ttlMs` (an operator's
 * catalog edit takes effect within that); the checked-in catalog answers when the
 * database cannot, and MODEL_CONTEXT_WINDOWS overrides the windows.
 */
export class CapabilityBook {
  private cache = new Map<string, { caps: ModelCapabilities; at: number }>();

  constructor(
    private readonly load?: CapabilityLoader,
    private readonly windowOverrides: Record<string, number> = {},
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  async of(ids: string[]): Promise<Record<string, ModelCapabilities>> {
    const t = this.now();
    const missing = [...new Set(ids)].filter((id) => {
      const c = this.cache.get(id);
      return !c || t - c.at > this.ttlMs;
    });
    if (missing.length && this.load) {
      const loaded = await this.load(missing).catch(() => ({}) as Record<string, ModelCapabilities>);
      for (const id of missing) {
        const caps = loaded[id] ?? CATALOG_CAPABILITIES[id];
        if (caps) this.cache.set(id, { caps, at: t });
      }
    }
    return Object.fromEntries(
      ids.map((id) => {
        const caps = this.cache.get(id)?.caps ?? CATALOG_CAPABILITIES[id] ?? UNKNOWN_MODEL;
        return [id, Object.hasOwn(this.windowOverrides, id) ? { ...caps, contextWindow: this.windowOverrides[id] } : caps];
      }),
    );
  }
}

/**
 * What each phase may need to write, in tokens: the budget asked for on a first try
 * (doubled after an answer is cut off), and the size of a typical answer, which turns
 * the tokens of a streamed answer into a fraction of the call. LLM_OUTPUT_BUDGETS
 * changes the budgets per task.
 */
export const PHASE_OUTPUT: Record<ModelTask, { budget: number; typical: number }> = {
  document_summary: { budget: 4000, typical: 700 },
  analysis_phase: { budget: 4000, typical: 600 },
  structure_metadata: { budget: 8000, typical: 1500 },
  structure_section: { budget: 8000, typical: 1800 },
  structure_validation: { budget: 4000, typical: 700 },
  lesson_content: { budget: 16_000, typical: 3000 },
};

/** Room kept between prompt and output inside the context window (counting differs a little between tokenizers). */
export const WINDOW_MARGIN = 256;

/**
 * The output budget of an attempt: the phase's need (doubled `raise` times), never past
 * the model's cap nor what the context window leaves after the prompt. 0 means the
 * prompt leaves no room at all.
 */
export function outputBudget(need: number, caps: ModelCapabilities, promptTokens: number, raise = 0): number {
  const room = caps.contextWindow - promptTokens - WINDOW_MARGIN;
  return Math.max(0, Math.min(caps.maxOutputTokens, need * 2 ** raise, room));
}

/** The most an attempt of this model can be given (the end of the raises). */
export function maxBudget(caps: ModelCapabilities, promptTokens: number): number {
  return Math.max(0, Math.min(caps.maxOutputTokens, caps.contextWindow - promptTokens - WINDOW_MARGIN));
}

/** The JSON Schema of a phase's answer (zod 4), or null when the schema has parts JSON Schema cannot say. */
export function jsonSchemaOf(schema: ZodType): Record<string, unknown> | null {
  try {
    const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'throw' }) as Record<string, unknown>;
    return rest;
  } catch {
    return null;
  }
}

/**
 * How to ask this model for the answer's shape: structured outputs when it has them,
 * JSON mode when only that, else nothing but the prompt. Without structured outputs
 * the schema is written into the system prompt (JSON mode alone does not say which
 * object; OpenAI also requires the word JSON in the prompt for it).
 */
export function responseFormatFor(
  caps: ModelCapabilities,
  name: string,
  schema: Record<string, unknown> | null,
): { format: ResponseFormat; schemaInPrompt: boolean } {
  if (caps.jsonSchema && schema) return { format: { type: 'json_schema', name, schema }, schemaInPrompt: false };
  if (caps.jsonMode) return { format: { type: 'json_object' }, schemaInPrompt: schema !== null };
  return { format: { type: 'text' }, schemaInPrompt: schema !== null };
}

export function schemaInstruction(schema: Record<string, unknown>): string {
  return `\n\nAnswer with one JSON object, and nothing else, that matches this JSON Schema:\n\`\`\`json\n${JSON.stringify(schema)}\n\`\`\``;
}
