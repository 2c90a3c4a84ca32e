// Chooses the model provider from configuration: simulated unless a key is set.
import type { AppConfig } from '../config/app-config';
import type { ModelProvider } from '../models/model.types';
import { SimulatedProvider } from '../models/simulated.provider';

export function createModelProvider(config: AppConfig): ModelProvider {
  if (config.llm.provider === 'openai') {
    // The OpenAI-compatible provider arrives with the generation-depth work; until then
    // a configured key is refused loudly rather than silently simulated.
    throw new Error('LLM_PROVIDER=openai is not available in this build; unset LLM_API_KEY to use the simulated provider');
  }
  // 'fast' keeps the realistic shape (time to first token, then a token rate) at demo speed.
  const latency = config.llm.latency === 'fast' ? { ttftMs: 60, tokensPerSecond: 1500 } : config.llm.latency;
  return new SimulatedProvider({ latency });
}
