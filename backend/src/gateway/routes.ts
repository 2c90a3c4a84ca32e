// Per-task model routing (seed 004): a primary model, a fallback after a validation
// failure, and a large-context model when the prompt would pass 90 % of the primary's
// budget — the per-batch token budget (120K tokens, threshold 108K) or the primary's
// context window when that is smaller. A prompt that does not fit even the
// large-context model's window is refused, never truncated.
import { z } from 'zod';
import { DEFAULT_MODELS } from '../llm/model-catalog';
import type { ModelTask } from '../llm/model.types';

export interface ModelRoute {
  primary: string;
  fallback: string;
  overflow: string;
}

export const BATCH_TOKEN_BUDGET = 120_000;
export const OVERFLOW_THRESHOLD = 0.9;

const standard: ModelRoute = { primary: 'openai/gpt-oss-20b', fallback: 'openai/gpt-oss-120b', overflow: 'google/gemini-2.5-flash' };

export const MODEL_ROUTES: Record<ModelTask, ModelRoute> = {
  document_summary: standard,
  analysis_phase: standard,
  structure_metadata: { primary: 'qwen/qwen3-max', fallback: 'openai/gpt-oss-120b', overflow: 'google/gemini-2.5-flash' },
  structure_section: standard,
  structure_validation: standard,
  lesson_content: standard,
};

const RouteSchema = z
  .object({ primary: z.string().min(1), fallback: z.string().min(1), overflow: z.string().min(1) })
  .partial()
  .strict();
const TASKS = Object.keys(MODEL_ROUTES) as [ModelTask, ...ModelTask[]];
const RoutesSchema = z.partialRecord(z.enum(TASKS), RouteSchema);

export type ModelRoutes = Record<ModelTask, ModelRoute>;

/**
 * Routing is configuration: MODEL_ROUTES (JSON, e.g. {"lesson_content":{"primary":"x"}})
 * overrides the defaults task by task. A malformed value stops start-up with the reason.
 */
export function loadRoutes(json: string | undefined): ModelRoutes {
  if (!json) return MODEL_ROUTES;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('MODEL_ROUTES: is not valid JSON');
  }
  const parsed = RoutesSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`MODEL_ROUTES: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  const routes = { ...MODEL_ROUTES };
  for (const [task, route] of Object.entries(parsed.data) as [ModelTask, Partial<ModelRoute>][]) routes[task] = { ...routes[task], ...route };
  return routes;
}

/** Context window (tokens) per model id: the catalog's, overridden by MODEL_CONTEXT_WINDOWS. */
export type ContextWindows = Record<string, number>;

export const CONTEXT_WINDOWS: ContextWindows = Object.fromEntries(DEFAULT_MODELS.map((m) => [m.id, m.context_window]));
/** The window assumed for a model the catalog does not know (the seed's 128K models). */
export const DEFAULT_CONTEXT_WINDOW = 128_000;

const WindowsSchema = z.record(z.string().min(1), z.number().int().positive());

/** MODEL_CONTEXT_WINDOWS (JSON, e.g. {"openai/gpt-oss-20b":4000}); a malformed value stops start-up with the reason. */
export function loadContextWindows(json: string | undefined): ContextWindows {
  return { ...CONTEXT_WINDOWS, ...loadContextWindowOverrides(json) };
}

/** Only the windows MODEL_CONTEXT_WINDOWS names: they override the catalog's (llm_models) in the gateway. */
export function loadContextWindowOverrides(json: string | undefined): ContextWindows {
  if (!json) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('MODEL_CONTEXT_WINDOWS: is not valid JSON');
  }
  const parsed = WindowsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`MODEL_CONTEXT_WINDOWS: ${parsed.error.issues[0]?.path.join('.') || 'value'}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

const windowOf = (windows: ContextWindows, model: string) => (Object.hasOwn(windows, model) ? windows[model] : DEFAULT_CONTEXT_WINDOW);

/** Why a call went to the model it went to; kept in each trace's input (`routing`). */
export interface Routing {
  reason: 'primary' | 'overflow';
  promptTokens: number;
  /** past this many prompt tokens the call goes to the large-context model */
  threshold: number;
  primary: string;
  /** the chosen model's context window */
  window: number;
}

/** A prompt no model of the route can take: refused before any call, not retryable. */
export class PromptTooLongError extends Error {
  constructor(
    readonly promptTokens: number,
    readonly largestWindow: number,
  ) {
    super(`prompt of ${promptTokens} tokens exceeds every model's context window (largest ${largestWindow})`);
    this.name = 'PromptTooLongError';
  }
}

export function pickModels(
  task: ModelTask,
  promptTokens: number,
  routes: ModelRoutes = MODEL_ROUTES,
  windows: ContextWindows = CONTEXT_WINDOWS,
): { models: string[]; overflow: boolean; routing: Routing } {
  const route = routes[task];
  const primaryWindow = windowOf(windows, route.primary);
  const threshold = Math.floor(Math.min(BATCH_TOKEN_BUDGET, primaryWindow) * OVERFLOW_THRESHOLD);
  if (promptTokens > threshold) {
    const window = windowOf(windows, route.overflow);
    if (promptTokens > window) {
      throw new PromptTooLongError(promptTokens, Math.max(window, primaryWindow, windowOf(windows, route.fallback)));
    }
    return { models: [route.overflow], overflow: true, routing: { reason: 'overflow', promptTokens, threshold, primary: route.primary, window } };
  }
  return {
    models: [route.primary, route.fallback],
    overflow: false,
    routing: { reason: 'primary', promptTokens, threshold, primary: route.primary, window: primaryWindow },
  };
}
