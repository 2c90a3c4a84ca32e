// The `simulated` provider, the default without an API key: deterministic answers per
// course and phase shaped like a real model's, tokens counted by a real tokenizer, a
// latency model (time to first token + tokens per second), and faults that can be
// switched on — malformed or truncated JSON, timeouts, 429s, 5xx — to exercise every
// recovery path of the gateway.
import { countMessagesTokens, countTokens } from './tokenizer';
import { ModelRateLimitError, ModelServerError, ModelTimeoutError, type ModelProvider, type ModelRequest, type ModelResponse } from './model.types';
import { Prng } from './prng';
import { simulatedAnswer } from './simulated.content';

export type LatencyProfile = 'instant' | 'realistic' | { ttftMs: number; tokensPerSecond: number };
export type FaultKind = 'malformedJson' | 'truncatedJson' | 'timeout' | 'rateLimit' | 'serverError';
export type FaultRates = Partial<Record<FaultKind, number>>;

export interface SimulatedOptions {
  latency?: LatencyProfile;
  faults?: FaultRates;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** every call of this phase suffers this fault (operations drills, fault tests) */
  forceFault?: { phase: string; kind: FaultKind };
}

export const REALISTIC = { ttftMs: 400, tokensPerSecond: 80 };

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new Error('aborted'));
      },
      { once: true },
    );
  });
}

export class SimulatedProvider implements ModelProvider {
  readonly name = 'simulated' as const;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly opts: SimulatedOptions = {}) {
    this.sleep = opts.sleep ?? sleep;
  }

  /** Which fault, if any, this attempt suffers: forced by context, or drawn from the rates. */
  faultFor(req: ModelRequest): FaultKind | null {
    if (this.opts.forceFault && req.context.phase === this.opts.forceFault.phase) return this.opts.forceFault.kind;
    const forced = req.context.forceFault as FaultKind | undefined;
    const forcedAttempts = Number(req.context.forceFaultAttempts ?? Infinity);
    const forcedModel = req.context.forceFaultModel as string | undefined;
    if (forced) {
      if (forcedModel && forcedModel !== req.model) return null;
      return Number(req.context.attempt ?? 1) <= forcedAttempts ? forced : null;
    }
    const rates = this.opts.faults;
    if (!rates) return null;
    const r = new Prng(`${req.seed}|fault|${req.model}|${req.context.attempt ?? 1}`);
    for (const kind of ['timeout', 'rateLimit', 'serverError', 'malformedJson', 'truncatedJson'] as FaultKind[]) {
      if (r.next() < (rates[kind] ?? 0)) return kind;
    }
    return null;
  }

  latencyMs(req: ModelRequest, outputTokens: number): number {
    const p = this.opts.latency ?? 'instant';
    if (p === 'instant') return 0;
    const { ttftMs, tokensPerSecond } = p === 'realistic' ? REALISTIC : p;
    const jitter = 0.85 + new Prng(`${req.seed}|latency`).next() * 0.3;
    return Math.round(ttftMs * jitter + (outputTokens / tokensPerSecond) * 1000);
  }

  async complete(req: ModelRequest): Promise<ModelResponse> {
    const fault = this.faultFor(req);
    if (fault === 'timeout') throw new ModelTimeoutError(`simulated timeout of ${req.model}`);
    if (fault === 'rateLimit') throw new ModelRateLimitError(50 + new Prng(req.seed).int(0, 200));
    if (fault === 'serverError') throw new ModelServerError(503);
    let text = simulatedAnswer(req.task, req.seed, req.context);
    let finishReason: 'stop' | 'length' = 'stop';
    if (fault === 'malformedJson') text = `Sure! Here is the JSON you asked for:\n\`\`\`json\n${text.replace(/}$/, ',}')}\n\`\`\``;
    if (fault === 'truncatedJson') {
      text = text.slice(0, Math.floor(text.length * 0.6));
      finishReason = 'length';
    }
    const inputTokens = countMessagesTokens(req.messages);
    const outputTokens = countTokens(text);
    const latencyMs = this.latencyMs(req, outputTokens);
    if (latencyMs > 0) await this.sleep(latencyMs, req.signal);
    return { text, inputTokens, outputTokens, latencyMs, provider: 'simulated', model: req.model, finishReason };
  }
}
