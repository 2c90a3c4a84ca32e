// Per-task model routing (seed 004): a primary model, a fallback after a validation
// failure, and a large-context model when the prompt would pass 90 % of the per-batch
// token budget (120K tokens, threshold 108K).
import { z } from 'zod';
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

const RouteSchema = z.object({ primary: z.string().min(1), fallback: z.string().min(1), overflow: z.string().min(1) }).partial().strict();
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

export function pickModels(task: ModelTask, promptTokens: number, routes: ModelRoutes = MODEL_ROUTES): { models: string[]; overflow: boolean } {
  const route = routes[task];
  if (promptTokens > BATCH_TOKEN_BUDGET * OVERFLOW_THRESHOLD) return { models: [route.overflow], overflow: true };
  return { models: [route.primary, route.fallback], overflow: false };
}
