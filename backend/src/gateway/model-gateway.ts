// The only code that calls a model. For one logical call of a phase it picks the
// route, retries transport errors with exponential backoff (a 429 waits as told and
// is not counted), repairs and validates the JSON answer, falls back to the next
// model, prices every attempt at call time and writes one trace per attempt. A call
// whose successful trace exists already (the job ran before) returns the stored
// answer without calling, so a repeated job never pays twice.
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ZodType } from 'zod';
import { parseJsonAnswer } from '../llm/json-answer';
import { ModelPermanentError, ModelRateLimitError, ModelRequest, ModelTask, type ModelProvider, type ModelResponse } from '../llm/model.types';
import { countMessagesTokens } from '../llm/tokenizer';
import { monthSpendSql } from '../reports/month-spend';
import type { StageNumber } from '../pipeline/stages';
import { MODEL_ROUTES, ModelRoutes, pickModels } from './routes';
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

/**
 * SQL naming the phase item of a trace: its idempotency key
 * (`<course>-r<run>-s<stage>-<phase>-<index>-c<seq>`, plus `-a<attempt>` for a refused
 * answer) without the call's suffix. Cut from the end: a course id may contain "-c".
 */
export const TRACE_ITEM_SQL = `regexp_replace(idempotency_key, '-c[0-9]+(-a[0-9]+)?$', '')`;

export class ModelCallFailedError extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
  }
}

export class ModelGateway {
  private readonly logger = new Logger('ModelGateway');

  constructor(
    private readonly ds: DataSource,
    private readonly provider: ModelProvider,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly backoffBaseMs = 500,
    private readonly routes: ModelRoutes = MODEL_ROUTES,
  ) {}

  async call<T>(c: GatewayCall<T>): Promise<GatewayResult<T>> {
    const base = `${c.courseId}-r${c.run}-s${c.stage}-${c.phase}-${c.index}-c${c.seq}`;
    // What an earlier attempt of this very call left, and the organization's month so far, in one read.
    const [known] = await this.ds.query(
      `SELECT (SELECT to_jsonb(t) FROM (SELECT output_data, model_used, input_tokens, output_tokens, cost_usd, duration_ms
                                          FROM generation_trace WHERE idempotency_key = $1) t) AS stored,
              o.monthly_budget_usd::float8 AS budget, ${monthSpendSql('o.id')} AS spent
         FROM organizations o WHERE o.id = $2`,
      [base, c.organizationId],
    );
    const s = known?.stored;
    if (s) {
      const parsed = c.schema.safeParse(s.output_data?.value);
      if (parsed.success) {
        return { value: parsed.data, model: s.model_used, inputTokens: s.input_tokens, outputTokens: s.output_tokens, costUsd: Number(s.cost_usd), durationMs: s.duration_ms, reused: true, attempts: 0 };
      }
    }
    this.checkBudget(known);
    const promptTokens = countMessagesTokens(c.messages);
    const { models } = pickModels(c.task, promptTokens, this.routes);
    let attempt = 0;
    let lastError = 'no model answered';
    for (let m = 0; m < models.length; m++) {
      const model = models[m];
      let messages = c.messages;
      for (let repair = 0; repair < 2; repair++) {
        const label: TraceLabel = m > 0 ? 'fallback' : repair > 0 ? 'repair' : attempt > 0 ? 'retry' : c.rerun ? 'rerun' : 'first_try';
        const res = await this.withRetries(c, model, messages, label, () => ++attempt, base);
        // A cut-off answer may still repair into valid JSON, but its content is incomplete.
        const parsed = res.response.finishReason === 'length'
          ? { ok: false as const, error: 'answer was cut off at the output token limit' }
          : parseJsonAnswer(res.response.text, c.schema);
        const key = parsed.ok ? base : `${base}-a${attempt}`;
        const cost = await this.trace(c, {
          key, model, label: res.label, attempt, response: res.response,
          output: parsed.ok ? { value: parsed.value, repair_level: parsed.level } : { raw: res.response.text.slice(0, 20_000) },
          error: parsed.ok ? null : { kind: 'validation', message: parsed.error },
        });
        if (parsed.ok) {
          return { value: parsed.value as T, model, inputTokens: res.response.inputTokens, outputTokens: res.response.outputTokens, costUsd: cost, durationMs: res.response.latencyMs, reused: false, attempts: attempt };
        }
        lastError = `${model}: ${parsed.error}`;
        // Ask the same model again with the validation error, once, before falling back.
        messages = [
          ...c.messages,
          { role: 'assistant', content: res.response.text.slice(0, 4000) },
          { role: 'user', content: `Your answer was not valid: ${parsed.error}. Answer again with valid JSON only.` },
        ];
      }
    }
    throw new ModelCallFailedError(`model answers failed validation: ${lastError}`, true);
  }

  /** Transport retries: 3 tries with exponential backoff; a 429 waits as told and does not count. */
  private async withRetries<T>(c: GatewayCall<T>, model: string, messages: ModelRequest['messages'], label: TraceLabel, nextAttempt: () => number, base: string): Promise<{ response: ModelResponse; label: TraceLabel }> {
    let failures = 0;
    let currentLabel = label;
    let rateLimited = 0;
    for (;;) {
      if (c.signal?.aborted) throw new ModelCallFailedError('the run was cancelled', false);
      const attempt = nextAttempt();
      const started = Date.now();
      try {
        const response = await this.provider.complete({
          model, task: c.task, messages, seed: base, maxOutputTokens: 30_000, signal: c.signal,
          context: { ...c.context, attempt },
        });
        return { response, label: currentLabel };
      } catch (err) {
        const e = err as Error;
        // A call aborted by a cancel never completed: nothing to trace, nothing to pay.
        if (c.signal?.aborted) throw new ModelCallFailedError('the run was cancelled', false);
        await this.trace(c, {
          key: `${base}-a${attempt}`, model, label: currentLabel, attempt,
          response: { text: '', inputTokens: 0, outputTokens: 0, latencyMs: Date.now() - started, provider: this.provider.name, model, finishReason: 'stop' },
          output: null, error: { kind: e.name, message: e.message },
        });
        if (err instanceof ModelPermanentError) throw new ModelCallFailedError(`${model}: ${e.message}`, false);
        if (err instanceof ModelRateLimitError && rateLimited < 10) {
          rateLimited++;
          await this.sleep(err.retryAfterMs);
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
  async similarity(c: Omit<GatewayCall<unknown>, 'schema' | 'task' | 'messages' | 'context'>, reference: string, texts: string[]): Promise<{ method: 'embeddings' | 'lexical'; scores: number[] }> {
    const lexical = () => ({ method: 'lexical' as const, scores: texts.map((t) => lexicalSimilarity(t, reference)) });
    if (!this.provider.embed || texts.length === 0) return lexical();
    const key = `${c.courseId}-r${c.run}-s${c.stage}-${c.phase}-${c.index}-c${c.seq}`;
    try {
      const res = await this.provider.embed([reference, ...texts], c.signal);
      const [ref, ...rest] = res.vectors;
      await this.trace({ ...c, task: 'structure_validation', messages: [], context: { texts: texts.length }, schema: null as never }, {
        key, model: res.model, label: 'first_try', attempt: 1, output: { dimensions: ref.length },
        response: { text: '', inputTokens: res.inputTokens, outputTokens: 0, latencyMs: res.latencyMs, provider: this.provider.name, model: res.model, finishReason: 'stop' },
        error: null,
      });
      return { method: 'embeddings', scores: rest.map((v) => Math.round(Math.max(0, cosine(ref, v)) * 1000) / 1000) };
    } catch (err) {
      this.logger.warn(`embeddings failed, scoring lexically: ${(err as Error).message}`);
      return lexical();
    }
  }

  /**
   * The organization's monthly budget, checked before every call against this month's
   * spend (exact, from the cost rollup). Over it, the course fails — retryable once
   * finance raises the budget — instead of spending more.
   */
  /** At 100 % of the organization's monthly budget, model calls stop. */
  private checkBudget(row: { budget: number | null; spent: number } | undefined): void {
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
  private async trace<T>(c: GatewayCall<T>, t: { key: string; model: string; label: TraceLabel; attempt: number; response: ModelResponse; output: unknown; error: unknown }): Promise<number> {
    const rows: { cost_usd: string; price_version_id: string | null }[] = await this.ds.query(
      `WITH price AS (
         SELECT p.id, p.input_price_per_1m, p.output_price_per_1m FROM llm_model_prices p
          WHERE p.model_id = $8::text AND p.effective_from <= now() ORDER BY p.effective_from DESC LIMIT 1)
       INSERT INTO generation_trace
         (course_id, organization_id, lesson_id, run, stage, phase, step_name, model_used, provider, tokens_used,
          input_tokens, output_tokens, cost_usd, price_version_id, duration_ms, attempt, label, input_data, output_data, error_data, idempotency_key)
       SELECT $1::uuid, $2::uuid, $3::uuid, $4::int, $5::text, $6::text, $7::text, $8::text, $9::text, $10::int, $11::int, $12::int,
              coalesce(round(($11::int::numeric * price.input_price_per_1m + $12::int::numeric * price.output_price_per_1m) / 1000000, 8), 0),
              price.id, $13::int, $14::int, $15::text, $16::jsonb, $17::jsonb, $18::jsonb, $19::text
         FROM (SELECT 1) one LEFT JOIN price ON true
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING cost_usd, price_version_id`,
      [c.courseId, c.organizationId, c.lessonId ?? null, c.run, `stage_${c.stage}`, c.phase, c.stepName, t.model,
        this.provider.name, t.response.inputTokens + t.response.outputTokens, t.response.inputTokens, t.response.outputTokens,
        Math.round(t.response.latencyMs), t.attempt, t.label,
        { messages: c.messages, context: c.context }, t.output, t.error, t.key],
    );
    if (rows[0]) {
      if (rows[0].price_version_id === null && t.response.inputTokens + t.response.outputTokens > 0) this.logger.warn(`no price for ${t.model}; charged 0`);
      return Number(rows[0].cost_usd);
    }
    // Recorded already by an earlier run of this job: that charge stands.
    const [stored] = await this.ds.query(`SELECT cost_usd FROM generation_trace WHERE idempotency_key = $1`, [t.key]);
    return Number(stored?.cost_usd ?? 0);
  }
}
