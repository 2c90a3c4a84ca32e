// OpenTelemetry traces, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. Then the api and
// the worker export OTLP/HTTP (protobuf, or JSON with OTEL_EXPORTER_OTLP_PROTOCOL=http/json)
// to `<endpoint>/v1/traces`: a server span per HTTP request, a span per phase job (its own
// trace: course, stage, phase, job, attempt, worker) and, inside it, a client span per
// model call following the GenAI semantic conventions (gen_ai.system, request and
// response model, input and output tokens) with the cost charged as
// `mission_control.cost_usd`. Each generation_trace row stores its trace and span ids.
// No prompt or answer goes into a span.
//
// Off, the SDK is never loaded: a phase job still gets a W3C trace id of its own (random,
// so logs and trace rows of one job correlate), and the rest is a branch on `tracer`.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import type { AppConfig } from '../config/app-config';
import { modelCallDuration } from './metrics';

let tracer: Tracer | null = null;
let api: typeof import('@opentelemetry/api') | null = null;
let provider: { forceFlush(): Promise<void>; shutdown(): Promise<void> } | null = null;

/** Whether spans are exported by this process. */
export function telemetryEnabled(): boolean {
  return tracer !== null;
}

/** Loads and registers the SDK when the configuration asks for it; a no-op otherwise. */
export async function startTelemetry(config: Pick<AppConfig, 'otel'>, role: 'api' | 'worker'): Promise<void> {
  if (!config.otel || tracer) return;
  const o = config.otel;
  const [otel, { NodeTracerProvider, BatchSpanProcessor }, { resourceFromAttributes }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/resources'),
  ]);
  const { OTLPTraceExporter } =
    o.protocol === 'http/json' ? await import('@opentelemetry/exporter-trace-otlp-http') : await import('@opentelemetry/exporter-trace-otlp-proto');
  const exporter = new OTLPTraceExporter({ url: `${o.endpoint}/v1/traces`, headers: o.headers });
  const p = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': o.serviceName ?? `mission-control-${role}`,
      'service.namespace': 'mission-control',
      'process.pid': process.pid,
    }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: o.scheduleDelayMs })],
  });
  // AsyncLocalStorage context and W3C trace-context propagation.
  p.register();
  api = otel;
  provider = p;
  tracer = otel.trace.getTracer('mission-control');
}

/** Sends what is buffered and stops (at shutdown). */
export async function stopTelemetry(): Promise<void> {
  const p = provider;
  provider = null;
  tracer = null;
  await p?.shutdown().catch(() => undefined);
}

/** Sends what is buffered now. */
export async function flushTelemetry(): Promise<void> {
  await provider?.forceFlush().catch(() => undefined);
}

/** The ids a phase job's log lines and trace rows carry. */
export interface JobTrace {
  traceId: string;
  spanId: string | null;
}

const jobTraces = new AsyncLocalStorage<JobTrace>();

/** The phase job the current code runs for, if any. */
export function currentJobTrace(): JobTrace | undefined {
  return jobTraces.getStore();
}

export interface PhaseSpanAttributes {
  courseId: string;
  organizationId?: string;
  stage: number;
  phase: string;
  index: number;
  jobId: string;
  queue: string;
  attempt: number;
  worker: string;
  run: number;
}

/**
 * Runs one phase job in its span (a root: each job is its own trace), ended with the
 * outcome `fn` returns; a throw marks the span as an error. Off: a fresh trace id only.
 */
export async function inPhaseSpan<T>(a: PhaseSpanAttributes, fn: (trace: JobTrace) => Promise<T>, outcomeOf: (result: T) => string): Promise<T> {
  if (!tracer || !api) {
    const trace: JobTrace = { traceId: randomBytes(16).toString('hex'), spanId: null };
    return jobTraces.run(trace, () => fn(trace));
  }
  const otel = api;
  const attributes: Attributes = {
    'messaging.system': 'bullmq',
    'messaging.operation.type': 'process',
    'messaging.operation.name': 'process',
    'messaging.destination.name': a.queue,
    'messaging.message.id': a.jobId,
    'mission_control.course_id': a.courseId,
    'mission_control.stage': a.stage,
    'mission_control.phase': a.phase,
    'mission_control.index': a.index,
    'mission_control.run': a.run,
    'mission_control.job_id': a.jobId,
    'mission_control.attempt': a.attempt,
    'mission_control.worker': a.worker,
    ...(a.organizationId ? { 'mission_control.organization_id': a.organizationId } : {}),
  };
  return tracer.startActiveSpan(`phase ${a.stage}.${a.phase}`, { kind: otel.SpanKind.CONSUMER, attributes, root: true }, async (span) => {
    const ctx = span.spanContext();
    const trace: JobTrace = { traceId: ctx.traceId, spanId: ctx.spanId };
    try {
      const result = await jobTraces.run(trace, () => fn(trace));
      span.setAttribute('mission_control.outcome', outcomeOf(result));
      return result;
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: otel.SpanStatusCode.ERROR, message: (err as Error).message.slice(0, 200) });
      throw err;
    } finally {
      span.end();
    }
  });
}

export type ModelCallOutcome = 'ok' | 'invalid' | 'cut_off' | 'rate_limited' | 'timeout' | 'error';

export interface ModelCallStart {
  provider: string;
  model: string;
  operation: 'chat' | 'embeddings';
  attempt: number;
  label: string;
  stepName: string;
  maxTokens?: number;
}

export interface ModelCallEnd {
  outcome: ModelCallOutcome;
  /** the provider's own measure of the call's time */
  latencyMs: number;
  responseModel?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd?: number;
  finishReason?: string;
  errorType?: string;
  errorMessage?: string;
  generationTraceId?: string;
}

/**
 * One model call (one attempt): a child span of the phase job's span when traces are
 * exported, and always an observation of mc_model_call_duration_seconds. `ids` are what
 * the call's generation_trace row stores.
 */
export class ModelCall {
  private readonly span: Span | null;
  readonly ids: { traceId: string | null; spanId: string | null };
  private ended = false;

  constructor(private readonly start: ModelCallStart) {
    const job = jobTraces.getStore();
    if (tracer && api) {
      this.span = tracer.startSpan(`${start.operation} ${start.model}`, {
        kind: api.SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': start.operation,
          'gen_ai.system': start.provider,
          'gen_ai.provider.name': start.provider,
          'gen_ai.request.model': start.model,
          ...(start.maxTokens ? { 'gen_ai.request.max_tokens': start.maxTokens } : {}),
          'mission_control.attempt': start.attempt,
          'mission_control.label': start.label,
          'mission_control.step': start.stepName,
        },
      });
      const ctx = this.span.spanContext();
      this.ids = { traceId: ctx.traceId, spanId: ctx.spanId };
    } else {
      this.span = null;
      this.ids = { traceId: job?.traceId ?? null, spanId: null };
    }
  }

  end(e: ModelCallEnd): void {
    if (this.ended) return;
    this.ended = true;
    modelCallDuration.observe({ model: this.start.model, provider: this.start.provider, outcome: e.outcome }, Math.max(0, e.latencyMs) / 1000);
    const span = this.span;
    if (!span || !api) return;
    span.setAttributes({
      'gen_ai.response.model': e.responseModel ?? this.start.model,
      'gen_ai.usage.input_tokens': e.inputTokens,
      'gen_ai.usage.output_tokens': e.outputTokens,
      'mission_control.outcome': e.outcome,
      ...(e.finishReason ? { 'gen_ai.response.finish_reasons': [e.finishReason] } : {}),
      ...(e.costUsd !== undefined ? { 'mission_control.cost_usd': e.costUsd } : {}),
      ...(e.generationTraceId ? { 'mission_control.generation_trace_id': e.generationTraceId } : {}),
      ...(e.errorType ? { 'error.type': e.errorType } : {}),
    });
    if (e.outcome !== 'ok') span.setStatus({ code: api.SpanStatusCode.ERROR, message: (e.errorMessage ?? e.outcome).slice(0, 200) });
    span.end();
  }
}

/** The span of one HTTP request (api), or null when traces are off. */
export function startHttpSpan(method: string, path: string, headers: Record<string, string | string[] | undefined>): Span | null {
  if (!tracer || !api) return null;
  const parent = api.propagation.extract(api.ROOT_CONTEXT, headers);
  return tracer.startSpan(
    method,
    {
      kind: api.SpanKind.SERVER,
      attributes: { 'http.request.method': method, 'url.path': path, 'url.scheme': 'http' },
    },
    parent,
  );
}

export function endHttpSpan(span: Span, method: string, route: string | undefined, status: number): void {
  if (!api) return span.end();
  if (route) {
    span.updateName(`${method} ${route}`);
    span.setAttribute('http.route', route);
  }
  span.setAttribute('http.response.status_code', status);
  if (status >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
  span.end();
}
