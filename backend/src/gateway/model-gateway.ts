// The only code that calls a model. For one logical call of a phase it picks the
// route, retries transport errors with exponential backoff (a 429 waits as told and
// is not counted), repairs and validates the JSON answer, falls back to the next
// model, prices every attempt at call time (at the organization's price version) and
// writes one trace per attempt. A call whose successful trace exists already (the job
// ran before) returns the stored answer without calling, so a repeated job never pays
// twice. A call whose route names a model the organization has no price for is refused
// before any model is called (never a $0 trace).
import { Logger } from '@nestjs/common';
import type { ZodType } from 'zod';
import { parseJsonAnswer } from '../llm/json-answer';
import {
  ModelContentFilterError,
  ModelPermanentError,
  ModelRateLimitError,
  ModelRequest,
  ModelRequestTooLargeError,
  ModelTask,
  ModelTimeoutError,
  type ModelProvider,
  type ModelResponse,
  type ResponseFormat,
} from '../llm/model.types';
import { ModelCall, type ModelCallOutcome } from '../observability/telemetry';
import { countMessagesTokens } from '../llm/tokenizer';
import type { CallState, TracesSystemRepository } from '../repositories/system/traces.system-repository';
import type { StageNumber } from '../pipeline/stages';
import { ContextWindows, MODEL_ROUTES, ModelRoutes, pickModels, PromptTooLongError, type Routing } from './routes';
import {
  CapabilityBook,
  jsonSchemaOf,
  maxBudget,
  outputBudget,
  PHASE_OUTPUT,
  responseFormatFor,
  schemaInstruction,
  type ModelCapabilities,
} from './capabilities';
import { lexicalSimilarity } from '../quality/lexical-similarity';

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

export type TraceLabel = 'first_try' | 'retry' | 'fallback' | 'repair' | 'rerun';

export interface GatewayCall<T> {
  courseId: string;
  organizationId: string;
  run: number;
  stage: StageNumber;
  phase: string;
  index: number;
  /** which call of the job this is, 0-based; part of the idempotency key */
  seq: number;
  stepName: string;
  task: ModelTask;
  messages: ModelRequest['messages'];
  context: Record<string, unknown>;
  schema: ZodType<T>;
  lessonId?: string;
  /** the stage runs again after a reviewer rejected it */
  rerun?: boolean;
  signal?: AbortSignal;
  /** set by the gateway: why the call went to its model (written into each trace's input) */
  routing?: Routing;
  /** how far the call is, 0-1, while a streamed answer arrives (throttled by the caller) */
  onProgress?: (fraction: number) => void;
}

/** The gateway's knobs for real providers (config: LLM_TIMEOUT_MS, LLM_TIMEOUTS, LLM_RETRY_AFTER_CAP_MS, …). */
export interface GatewayOptions {
  capabilities?: CapabilityBook;
  /** the whole call, per task; `default` for the rest */
  timeouts?: Partial<Record<ModelTask | 'default', number>>;
  /** a Retry-After longer than this is cut to it (60 s by default) */
  retryAfterCapMs?: number;
  /** stream answers from models whose catalog entry says they can */
  streaming?: boolean;
  /** the output budget of a first try, per task (PHASE_OUTPUT by default) */
  outputBudgets?: Partial<Record<ModelTask, number>>;
  random?: () => number;
}

export interface GatewayResult<T> {
  value: T;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number;
  reused: boolean;
  attempts: number;
}

/** The phase's messages with the answer's JSON Schema appended to the system prompt. */
function withSchema(messages: ModelRequest['messages'], schema: Record<string, unknown>): ModelRequest['messages'] {
  const i = messages.findIndex((m) => m.role === 'system');
  if (i < 0) return [{ role: 'system', content: schemaInstruction(schema).trim() }, ...messages];
  return messages.map((m, j) => (j === i ? { ...m, content: m.content + schemaInstruction(schema) } : m));
}

/** The model said the request does not fit it (context or output cap): try the next model. */
class TooLargeForModel extends Error {}

export class ModelCallFailedError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export class ModelGateway {
  private readonly logger = new Logger('ModelGateway');

  constructor(
    private readonly traces: TracesSystemRepository,
    private readonly provider: ModelProvider,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly backoffBaseMs = 500,
    private readonly routes: ModelRoutes = MODEL_ROUTES,
    /** MODEL_CONTEXT_WINDOWS: overrides of the catalog's windows */
    windows: ContextWindows = {},
    private readonly options: GatewayOptions = {},
  ) {
    this.capabilities =
      options.capabilities ?? new CapabilityBook(typeof traces.modelCapabilities === 'function' ? (ids) => traces.modelCapabilities(ids) : undefined, windows);
  }

  private readonly capabilities: CapabilityBook;
  private readonly schemas = new WeakMap<object, Record<string, unknown> | null>();

  private jsonSchema(schema: ZodType<unknown>): Record<string, unknown> | null {
    if (!this.schemas.has(schema)) this.schemas.set(schema, jsonSchemaOf(schema));
    return this.schemas.get(schema) ?? null;
  }

  async call<T>(c: GatewayCall<T>): Promise<GatewayResult<T>> {
    const base = `${c.courseId}-r${c.run}-s${c.stage}-${c.phase}-${c.index}-c${c.seq}`;
    const promptTokens = countMessagesTokens(c.messages);
    const route = this.routes[c.task];
    const caps = await this.capabilities.of([route.primary, route.fallback, route.overflow]);
    let models: string[];
    try {
      const windows = Object.fromEntries(Object.entries(caps).map(([id, m]) => [id, m.contextWindow]));
      const picked = pickModels(c.task, promptTokens, this.routes, windows);
      models = picked.models;
      c = { ...c, routing: picked.routing };
    } catch (err) {
      // Too long for every model: refused before any call (no trace, nothing paid), and
      // retrying cannot help — the prompt is never cut to fit.
      if (err instanceof PromptTooLongError) throw new ModelCallFailedError(err.message, false);
      throw err;
    }
    // What an earlier attempt of this very call left, the organization's month so far and
    // which of the route's models it has no price for, in one read.
    const known = await this.traces.callState(base, c.organizationId, models);
    const s = known?.stored;
    if (s) {
      const parsed = c.schema.safeParse(s.output_data?.value);
      if (parsed.success) {
        return {
          value: parsed.data,
          model: s.model_used,
          inputTokens: s.input_tokens,
          outputTokens: s.output_tokens,
          costUsd: Number(s.cost_usd),
          durationMs: s.duration_ms,
          reused: true,
          attempts: 0,
        };
      }
    }
    this.checkBudget(known);
    await this.checkPrices(c, known);
    let attempt = 0;
    let lastError = 'no model answered';
    const schema = this.jsonSchema(c.schema as ZodType<unknown>);
    const need = this.options.outputBudgets?.[c.task] ?? PHASE_OUTPUT[c.task].budget;
    for (let m = 0; m < models.length; m++) {
      const model = models[m];
      const cap = caps[model];
      const ask = responseFormatFor(cap, c.task, schema);
      // Without structured outputs the schema goes into the system prompt; the trace keeps the phase's own messages.
      const asked = ask.schemaInPrompt && schema ? withSchema(c.messages, schema) : c.messages;
      const sentTokens = countMessagesTokens(asked);
      let messages = asked;
      let raise = 0;
      let repaired = false;
      // At most three answers per model: a repair after an invalid one, raises after cut-off ones.
      for (let tries = 0; tries < 3; tries++) {
        const budget = outputBudget(need, cap, sentTokens, raise);
        if (budget <= 0) {
          lastError = `${model}: the prompt (${sentTokens} tokens) leaves no room for an answer in its ${cap.contextWindow}-token window`;
          break;
        }
        // Asking again after an unusable answer (invalid, or cut off) is a repair; `retry` is for transport errors.
        const label: TraceLabel = m > 0 ? 'fallback' : repaired || raise > 0 ? 'repair' : attempt > 0 ? 'retry' : c.rerun ? 'rerun' : 'first_try';
        const request = { model, cap, messages, budget, format: ask.format };
        let res: { response: ModelResponse; label: TraceLabel; call: ModelCall };
        try {
          res = await this.withRetries(c, request, label, () => ++attempt, base);
        } catch (err) {
          // Too big for this model: the next one of the route may take it.
          if (err instanceof TooLargeForModel && m < models.length - 1) {
            lastError = err.message;
            break;
          }
          if (err instanceof TooLargeForModel) throw new ModelCallFailedError(err.message, false);
          throw err;
        }
        const cutOff = res.response.finishReason === 'length';
        // A cut-off answer may still repair into valid JSON, but its content is incomplete.
        const parsed = cutOff
          ? { ok: false as const, error: `answer cut off at the output limit (${res.response.outputTokens} of ${budget} tokens)` }
          : parseJsonAnswer(res.response.text, c.schema);
        const key = parsed.ok ? base : `${base}-a${attempt}`;
        const written = await this.trace(c, {
          key,
          model,
          label: res.label,
          attempt,
          response: res.response,
          ids: res.call.ids,
          request: { budget, format: ask.format.type, tokenLimitParam: cap.tokenLimitParam },
          output: parsed.ok ? { value: parsed.value, repair_level: parsed.level } : { raw: res.response.text.slice(0, 20_000) },
          error: parsed.ok ? null : { kind: cutOff ? 'cut_off' : 'validation', message: parsed.error },
        }).catch((traceErr) => {
          res.call.end({
            outcome: 'error',
            latencyMs: res.response.latencyMs,
            inputTokens: res.response.inputTokens,
            outputTokens: res.response.outputTokens,
            errorType: 'trace_write',
          });
          throw traceErr;
        });
        const cost = written.cost;
        res.call.end({
          outcome: parsed.ok ? 'ok' : cutOff ? 'cut_off' : 'invalid',
          latencyMs: res.response.latencyMs,
          responseModel: res.response.model,
          inputTokens: res.response.inputTokens,
          outputTokens: res.response.outputTokens,
          costUsd: cost,
          finishReason: res.response.finishReason,
          generationTraceId: written.id,
          ...(parsed.ok ? {} : { errorType: cutOff ? 'cut_off' : 'validation', errorMessage: parsed.error }),
        });
        if (parsed.ok) {
          return {
            value: parsed.value as T,
            model,
            inputTokens: res.response.inputTokens,
            outputTokens: res.response.outputTokens,
            costUsd: cost,
            durationMs: res.response.latencyMs,
            reused: false,
            attempts: attempt,
          };
        }
        lastError = `${model}: ${parsed.error}`;
        if (cutOff) {
          // Ask again with a larger budget while the model allows one; at its cap, the fallback.
          if (budget >= maxBudget(cap, sentTokens)) break;
          raise++;
          continue;
        }
        if (repaired) break;
        repaired = true;
        // Ask the same model again with the validation error, once, before falling back.
        messages = [
          ...asked,
          { role: 'assistant', content: res.response.text.slice(0, 4000) },
          { role: 'user', content: `Your answer was not valid: ${parsed.error}. Answer again with valid JSON only.` },
        ];
      }
    }
    throw new ModelCallFailedError(`model answers failed validation: ${lastError}`, true);
  }

  /**
   * Transport retries: 3 tries with exponential backoff; a 429 waits as told (capped at
   * LLM_RETRY_AFTER_CAP_MS, plus up to a quarter more of jitter so that the calls it
   * stopped do not all come back at once) and does not count.
   */
  private async withRetries<T>(
    c: GatewayCall<T>,
    r: { model: string; cap: ModelCapabilities; messages: ModelRequest['messages']; budget: number; format: ResponseFormat },
    label: TraceLabel,
    nextAttempt: () => number,
    base: string,
  ): Promise<{ response: ModelResponse; label: TraceLabel; call: ModelCall }> {
    const { model } = r;
    let failures = 0;
    let currentLabel = label;
    let rateLimited = 0;
    const stream = (this.options.streaming ?? true) && r.cap.streaming && this.provider.name === 'openai';
    const typical = PHASE_OUTPUT[c.task].typical;
    for (;;) {
      if (c.signal?.aborted) throw new ModelCallFailedError('the run was cancelled', false);
      const attempt = nextAttempt();
      const started = Date.now();
      const call = new ModelCall({
        provider: this.provider.name,
        model,
        operation: 'chat',
        attempt,
        label: currentLabel,
        stepName: c.stepName,
        maxTokens: r.budget,
      });
      try {
        const response = await this.provider.complete({
          model,
          task: c.task,
          messages: r.messages,
          seed: base,
          maxOutputTokens: r.budget,
          tokenLimitParam: r.cap.tokenLimitParam,
          responseFormat: r.format,
          stream,
          timeoutMs: this.options.timeouts?.[c.task] ?? this.options.timeouts?.default,
          signal: c.signal,
          // Tokens so far as a share of a typical answer, approaching but never reaching 1.
          onTokens: c.onProgress ? (n) => c.onProgress!(Math.min(0.95, 1 - Math.exp(-n / typical))) : undefined,
          context: { ...c.context, attempt },
        });
        return { response, label: currentLabel, call };
      } catch (err) {
        const e = err as Error;
        const outcome: ModelCallOutcome = err instanceof ModelRateLimitError ? 'rate_limited' : err instanceof ModelTimeoutError ? 'timeout' : 'error';
        const failed = { outcome, latencyMs: Date.now() - started, inputTokens: 0, outputTokens: 0, errorType: e.name, errorMessage: e.message };
        // A call aborted by a cancel never completed: nothing to trace, nothing to pay.
        if (c.signal?.aborted) {
          call.end({ ...failed, errorType: 'cancelled' });
          throw new ModelCallFailedError('the run was cancelled', false);
        }
        const detail = err instanceof ModelPermanentError && err.detail ? { detail: err.detail } : {};
        const written = await this.trace(c, {
          key: `${base}-a${attempt}`,
          model,
          label: currentLabel,
          attempt,
          ids: call.ids,
          request: { budget: r.budget, format: r.format.type, tokenLimitParam: r.cap.tokenLimitParam },
          response: { text: '', inputTokens: 0, outputTokens: 0, latencyMs: Date.now() - started, provider: this.provider.name, model, finishReason: 'stop' },
          output: null,
          error: { kind: e.name, message: e.message, ...detail },
        }).catch((traceErr) => {
          call.end(failed);
          throw traceErr;
        });
        call.end({ ...failed, costUsd: written.cost, generationTraceId: written.id });
        if (err instanceof ModelContentFilterError) throw new ModelCallFailedError(`${model}: refused by the content filter: ${e.message}`, false);
        if (err instanceof ModelRequestTooLargeError) throw new TooLargeForModel(`${model}: ${e.message}`);
        if (err instanceof ModelPermanentError) throw new ModelCallFailedError(`${model}: ${e.message}`, false);
        if (err instanceof ModelRateLimitError && rateLimited < 10) {
          rateLimited++;
          const cap = this.options.retryAfterCapMs ?? 60_000;
          const wait = Math.min(cap, err.retryAfterMs);
          const jitter = Math.floor((this.options.random ?? Math.random)() * Math.min(wait / 4, 5000));
          await this.sleep(Math.min(cap, wait + jitter));
          currentLabel = 'retry';
          continue;
        }
        failures++;
        if (failures >= 3) throw new ModelCallFailedError(`${model} failed 3 times: ${e.message}`, true);
        await this.sleep(this.backoffBaseMs * 2 ** (failures - 1));
        currentLabel = 'retry';
      }
    }
  }

  /**
   * Similarity of each text to a reference, 0-1: cosine of embeddings when the provider
   * has an embeddings endpoint (the call is traced and priced like any other), else the
   * documented lexical score. An embeddings failure falls back to lexical too.
   */
  async similarity(
    c: Omit<GatewayCall<unknown>, 'schema' | 'task' | 'messages' | 'context'>,
    reference: string,
    texts: string[],
  ): Promise<{ method: 'embedding' | 'lexical'; model?: string; scores: number[] }> {
    const lexical = () => ({ method: 'lexical' as const, scores: texts.map((t) => lexicalSimilarity(t, reference)) });
    if (!this.provider.embed || texts.length === 0) return lexical();
    const key = `${c.courseId}-r${c.run}-s${c.stage}-${c.phase}-${c.index}-c${c.seq}`;
    const call = new ModelCall({
      provider: this.provider.name,
      model: 'embeddings',
      operation: 'embeddings',
      attempt: 1,
      label: 'first_try',
      stepName: c.stepName,
    });
    const started = Date.now();
    try {
      const res = await this.provider.embed([reference, ...texts], c.signal);
      const [ref, ...rest] = res.vectors;
      const written = await this.trace(
        { ...c, task: 'structure_validation', messages: [], context: { texts: texts.length }, schema: null as never },
        {
          key,
          model: res.model,
          label: 'first_try',
          attempt: 1,
          output: { dimensions: ref.length },
          ids: call.ids,
          response: {
            text: '',
            inputTokens: res.inputTokens,
            outputTokens: 0,
            latencyMs: res.latencyMs,
            provider: this.provider.name,
            model: res.model,
            finishReason: 'stop',
          },
          error: null,
        },
      );
      call.end({
        outcome: 'ok',
        latencyMs: res.latencyMs,
        responseModel: res.model,
        inputTokens: res.inputTokens,
        outputTokens: 0,
        costUsd: written.cost,
        generationTraceId: written.id,
      });
      return { method: 'embedding', model: res.model, scores: rest.map((v) => Math.round(Math.max(0, cosine(ref, v)) * 1000) / 1000) };
    } catch (err) {
      call.end({
        outcome: 'error',
        latencyMs: Date.now() - started,
        inputTokens: 0,
        outputTokens: 0,
        errorType: (err as Error).name,
        errorMessage: (err as Error).message,
      });
      this.logger.warn(`embeddings failed, scoring lexically: ${(err as Error).message}`);
      return lexical();
    }
  }

  /**
   * Every model the call may use (primary and fallback, or the overflow model) must have
   * a price in force in the organization's table: otherwise nothing is called, the call
   * fails with the reason (the course fails, retryable once finance adds the price) and a
   * `price_missing` alert is recorded.
   */
  private async checkPrices<T>(c: GatewayCall<T>, row: CallState | null): Promise<void> {
    if (!row || row.unpriced.length === 0) return;
    const list = row.unpriced.join(', ');
    const message = `no price for model ${list} in this organization's price table (${row.organizationName}); add one in Costs → Prices, then retry`;
    await this.traces.recordPriceMissing({ organizationId: c.organizationId, courseId: c.courseId, run: c.run, models: row.unpriced, message });
    throw new ModelCallFailedError(message, false);
  }

  /**
   * The organization's monthly budget, checked before every call against this month's
   * spend (exact, from the cost rollup). Over it, the course fails — retryable once
   * finance raises the budget — instead of spending more.
   */
  /** At 100 % of the organization's monthly budget, model calls stop. */
  private checkBudget(row: CallState | null): void {
    if (row && row.budget !== null && row.spent >= row.budget) {
      throw new ModelCallFailedError(`monthly model budget reached: $${row.spent.toFixed(4)} spent of $${row.budget.toFixed(2)}`, false);
    }
  }

  /**
   * Records one attempt, charged at the price version of the model in force at this
   * moment (the statement's time, which is also the trace's created_at). The cost is
   * computed by Postgres from that version in the same statement, so the trace, the
   * version it names and its cost always agree. Returns the cost charged.
   */
  private async trace<T>(
    c: GatewayCall<T>,
    t: {
      key: string;
      model: string;
      label: TraceLabel;
      attempt: number;
      response: ModelResponse;
      output: unknown;
      error: unknown;
      ids: { traceId: string | null; spanId: string | null };
      request?: Record<string, unknown>;
    },
  ): Promise<{ cost: number; id?: string }> {
    const written = await this.traces.recordAttempt({
      courseId: c.courseId,
      organizationId: c.organizationId,
      lessonId: c.lessonId ?? null,
      run: c.run,
      stage: `stage_${c.stage}`,
      phase: c.phase,
      stepName: c.stepName,
      model: t.model,
      provider: this.provider.name,
      inputTokens: t.response.inputTokens,
      outputTokens: t.response.outputTokens,
      durationMs: Math.round(t.response.latencyMs),
      attempt: t.attempt,
      label: t.label,
      input: { messages: c.messages, context: c.context, ...(c.routing ? { routing: c.routing } : {}), ...(t.request ? { request: t.request } : {}) },
      output: t.output,
      error: t.error,
      idempotencyKey: t.key,
      providerCostUsd: t.response.providerCostUsd ?? null,
      otelTraceId: t.ids.traceId,
      otelSpanId: t.ids.spanId,
    });
    if (written) {
      if (written.price_version_id === null && t.response.inputTokens + t.response.outputTokens > 0) this.logger.warn(`no price for ${t.model}; charged 0`);
      return { cost: Number(written.cost_usd), id: written.id };
    }
    // Recorded already by an earlier run of this job: that charge stands.
    return { cost: Number((await this.traces.storedCost(t.key)) ?? 0) };
  }
}
