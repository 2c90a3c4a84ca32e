// Per-task model routing (seed 004): a primary model, a fallback after a validation
// failure, and a large-context model when the prompt would pass 90 % of the per-batch
// token budget (120K tokens, threshold 108K).
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

export function pickModels(task: ModelTask, promptTokens: number): { models: string[]; overflow: boolean } {
  const route = MODEL_ROUTES[task];
  if (promptTokens > BATCH_TOKEN_BUDGET * OVERFLOW_THRESHOLD) return { models: [route.overflow], overflow: true };
  return { models: [route.primary, route.fallback], overflow: false };
}
