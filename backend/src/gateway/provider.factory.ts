// Chooses the model provider from configuration: simulated unless a key is set.
import type { AppConfig } from '../config/app-config';
import type { ModelProvider } from '../llm/model.types';
import { REALISTIC, SimulatedProvider } from '../llm/simulated.provider';
import { OpenAiProvider } from './openai.provider';

export function createModelProvider(config: AppConfig): ModelProvider {
  if (config.llm.provider === 'openai') {
    if (!config.llm.apiKey) throw new Error('LLM_PROVIDER=openai needs LLM_API_KEY');
    return new OpenAiProvider({
      baseURL: config.llm.baseUrl,
      apiKey: config.llm.apiKey,
      embeddingModel: config.llm.embeddingModel,
      timeoutMs: config.llm.timeouts.default,
      referer: config.llm.referer,
      title: config.llm.appTitle,
    });
  }
  // 'fast' keeps the realistic shape (time to first token, then a token rate) at demo speed.
  const { ttftMs, tokensPerSecond } = config.llm;
  const latency =
    ttftMs !== undefined || tokensPerSecond !== undefined
      ? { ttftMs: ttftMs ?? REALISTIC.ttftMs, tokensPerSecond: tokensPerSecond ?? REALISTIC.tokensPerSecond }
      : config.llm.latency === 'fast'
        ? { ttftMs: 60, tokensPerSecond: 1500 }
        : config.llm.latency;
  return new SimulatedProvider({ latency, forceFault: config.llm.forceFault as never });
}
