// The model gateway's traces: one row per attempt, priced by Postgres at the
// organization's price version in force when it is written; what an earlier run of the
// same call left; the organization's month spend for the budget stop; and which of the
// models a call may use have no price for the organization (the call is refused).
import { Injectable } from '@nestjs/common';
import { monthSpendSql } from '../month-spend';
import { SystemDb } from './system-db';

/** A successful trace of a call, reused instead of calling again. */
export interface StoredAnswer {
  output_data: { value?: unknown } | null;
  model_used: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: string;
  duration_ms: number;
}

export interface CallState {
  /** the successful trace of this very call, if an earlier run wrote it */
  stored: StoredAnswer | null;
  /** the organization's monthly budget (null: none) */
  budget: number | null;
  /** the organization's spend this calendar month */
  spent: number;
  /** the organization's name (for a refusal's message) */
  organizationName: string;
  /** the asked models with no price version in force for the organization, in the order asked */
  unpriced: string[];
}

export interface ModelCapabilitiesRow {
  contextWindow: number;
  maxOutputTokens: number;
  jsonSchema: boolean;
  jsonMode: boolean;
  tokenLimitParam: 'max_tokens' | 'max_completion_tokens';
  streaming: boolean;
}

export interface TraceWrite {
  courseId: string;
  organizationId: string;
  lessonId: string | null;
  run: number;
  stage: string;
  phase: string;
  stepName: string;
  model: string;
  provider: string;
  inputTokens: number;
  outputTokens: number;
  durationMs: number;
  attempt: number;
  label: string;
  input: unknown;
  output: unknown;
  error: unknown;
  idempotencyKey: string;
  /** the OpenTelemetry trace of the phase job that made the call, and the call's own span (null when traces are off) */
  otelTraceId?: string | null;
  otelSpanId?: string | null;
  /** what the provider itself charged, when it says (OpenRouter's usage.cost) */
  providerCostUsd?: number | null;
}

@Injectable()
export class TracesSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /**
   * What an earlier attempt of this call left, the organization's month so far, and which
   * of `models` it has no price for, in one read (null: no such organization).
   */
  async callState(idempotencyKey: string, organizationId: string, models: string[]): Promise<CallState | null> {
    const [known] = await this.db.autocommit.query<CallState>(
      `SELECT (SELECT to_jsonb(t) FROM (SELECT output_data, model_used, input_tokens, output_tokens, cost_usd, duration_ms
                                          FROM generation_trace_keys k JOIN generation_trace g ON g.id = k.trace_id AND g.created_at = k.created_at
                                         WHERE k.idempotency_key = $1) t) AS stored,
              o.monthly_budget_usd::float8 AS budget, ${monthSpendSql('o.id')} AS spent, o.name AS "organizationName",
              (SELECT coalesce(array_agg(x.model ORDER BY x.ord), '{}') FROM unnest($3::text[]) WITH ORDINALITY x(model, ord)
                WHERE NOT EXISTS (SELECT 1 FROM llm_model_prices p
                                   WHERE p.organization_id = o.id AND p.model_id = x.model AND p.effective_from <= now())) AS unpriced
         FROM organizations o WHERE o.id = $2`,
      [idempotencyKey, organizationId, models],
    );
    return known ?? null;
  }

  /**
   * The alert of a call refused for a model without a price: a system_metrics row
   * (`price_missing`), once per course, run and model.
   */
  async recordPriceMissing(a: { organizationId: string; courseId: string; run: number; models: string[]; message: string }): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
       SELECT 'price_missing', 'error', $1, $2, $3, jsonb_build_object('models', $4::text[], 'model', ($4::text[])[1], 'run', $5::int)
        WHERE NOT EXISTS (SELECT 1 FROM system_metrics
                           WHERE metric_type = 'price_missing' AND course_id = $2 AND metadata->>'run' = $5::text AND metadata->'models' = to_jsonb($4::text[]))`,
      [a.organizationId, a.courseId, a.message, a.models, a.run],
    );
  }

  /**
   * Records one attempt, charged at the organization's price version of the model in
   * force at this moment (the statement's time, which is also the trace's created_at),
   * computed in the same statement. Null when a trace with this key exists already
   * (nothing written).
   */
  async recordAttempt(t: TraceWrite): Promise<{ id: string; cost_usd: string; price_version_id: string | null } | null> {
    const rows = await this.db.autocommit.query<{ id: string; cost_usd: string; price_version_id: string | null }>(
      `WITH price AS (
         SELECT p.id, p.input_price_per_1m, p.output_price_per_1m FROM llm_model_prices p
          WHERE p.organization_id = $2::uuid AND p.model_id = $8::text AND p.effective_from <= now() ORDER BY p.effective_from DESC LIMIT 1),
       -- The key is claimed first: a twin attempt claims nothing and so records nothing.
       key AS (
         INSERT INTO generation_trace_keys (idempotency_key, trace_id) VALUES ($19::text, gen_random_uuid())
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING trace_id, created_at)
       INSERT INTO generation_trace
         (id, created_at, course_id, organization_id, lesson_id, run, stage, phase, step_name, model_used, provider, tokens_used,
          input_tokens, output_tokens, cost_usd, price_version_id, duration_ms, attempt, label, input_data, output_data, error_data, idempotency_key,
          otel_trace_id, otel_span_id, provider_cost_usd)
       SELECT key.trace_id, key.created_at, $1::uuid, $2::uuid, $3::uuid, $4::int, $5::text, $6::text, $7::text, $8::text, $9::text, $10::int, $11::int, $12::int,
              coalesce(round(($11::int::numeric * price.input_price_per_1m + $12::int::numeric * price.output_price_per_1m) / 1000000, 8), 0),
              price.id, $13::int, $14::int, $15::text, $16::jsonb, $17::jsonb, $18::jsonb, $19::text, $20::text, $21::text, round($22::numeric, 8)
         FROM key LEFT JOIN price ON true
       RETURNING id::text, cost_usd, price_version_id`,
      [
        t.courseId,
        t.organizationId,
        t.lessonId,
        t.run,
        t.stage,
        t.phase,
        t.stepName,
        t.model,
        t.provider,
        t.inputTokens + t.outputTokens,
        t.inputTokens,
        t.outputTokens,
        t.durationMs,
        t.attempt,
        t.label,
        t.input,
        t.output,
        t.error,
        t.idempotencyKey,
        t.otelTraceId ?? null,
        t.otelSpanId ?? null,
        t.providerCostUsd ?? null,
      ],
    );
    return rows[0] ?? null;
  }

  /** What the catalog says these models can do (see gateway/capabilities.ts); models it lacks are absent. */
  async modelCapabilities(ids: string[]): Promise<Record<string, ModelCapabilitiesRow>> {
    const rows = await this.db.autocommit.query<ModelCapabilitiesRow & { id: string }>(
      `SELECT id, context_window AS "contextWindow", max_output_tokens AS "maxOutputTokens", supports_json_schema AS "jsonSchema",
              supports_json_mode AS "jsonMode", token_limit_param AS "tokenLimitParam", supports_streaming AS "streaming"
         FROM llm_models WHERE id = ANY($1::text[])`,
      [ids],
    );
    return Object.fromEntries(rows.map(({ id, ...caps }) => [id, caps]));
  }

  /** The cost charged by the trace with this key (null when there is none). */
  async storedCost(idempotencyKey: string): Promise<string | null> {
    const [stored] = await this.db.autocommit.query<{ cost_usd: string }>(
      `SELECT t.cost_usd FROM generation_trace_keys k JOIN generation_trace t ON t.id = k.trace_id AND t.created_at = k.created_at
        WHERE k.idempotency_key = $1`,
      [idempotencyKey],
    );
    return stored?.cost_usd ?? null;
  }
}
