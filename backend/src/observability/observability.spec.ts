// The pieces of logs, metrics and traces that need no running system: configuration,
// redaction, the request id, the scrape token check, phase outcomes, trace links, and
// that with traces off a model call costs no more than a histogram observation.
import { Writable } from 'node:stream';
import pino from 'pino';
import { bearerMatches } from '../auth/metrics-token';
import { ConfigError, loadConfig } from '../config/app-config';
import { traceUrl } from '../traces/traces.controller';
import { pathOf, REDACT_PATHS, requestId } from './logger';
import { modelCallDuration, phaseOutcome } from './metrics';
import { currentJobTrace, inPhaseSpan, ModelCall, telemetryEnabled } from './telemetry';

const env = { NODE_ENV: 'test' as const };

describe('observability configuration', () => {
  it('is off by default: no OTLP endpoint, no scrape token, JSON logs when stdout is not a terminal', () => {
    const c = loadConfig(env);
    expect(c.otel).toBeNull();
    expect(c.metricsToken).toBeUndefined();
    expect(c.traceUrlTemplate).toBeUndefined();
    if (!process.stdout.isTTY) expect(c.logFormat).toBe('json');
    expect(loadConfig({ ...env, NODE_ENV: 'production', JWT_SECRET: 'y'.repeat(32) }).logFormat).toBe('json');
    expect(loadConfig({ ...env, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    // Empty is unset (compose's `${VAR:-}`).
    expect(loadConfig({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: '', METRICS_TOKEN: '', TRACE_URL_TEMPLATE: '', OTEL_EXPORTER_OTLP_PROTOCOL: '' })).toMatchObject({
      otel: null,
      metricsToken: undefined,
      traceUrlTemplate: undefined,
    });
  });

  it('reads the OTLP exporter settings as the OpenTelemetry spec writes them', () => {
    const c = loadConfig({
      ...env,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://cloud.langfuse.com/api/public/otel/',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20abc%3D, x-tenant = one',
    });
    expect(c.otel).toEqual({
      endpoint: 'https://cloud.langfuse.com/api/public/otel',
      protocol: 'http/protobuf',
      headers: { Authorization: 'Basic abc=', 'x-tenant': 'one' },
      serviceName: undefined,
      scheduleDelayMs: 5000,
    });
    expect(loadConfig({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).otel?.protocol).toBe('http/json');
  });

  it('refuses what would not work, naming the variable', () => {
    const fails = (e: NodeJS.ProcessEnv) => {
      try {
        loadConfig({ ...env, ...e });
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(fails({ METRICS_TOKEN: 'short' })).toMatch(/METRICS_TOKEN: must be at least 24 characters/);
    expect(fails({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toMatch(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(fails({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toMatch(/OTEL_EXPORTER_OTLP_PROTOCOL/);
    expect(fails({ OTEL_EXPORTER_OTLP_HEADERS: 'no-equals-sign' })).toMatch(/OTEL_EXPORTER_OTLP_HEADERS: must be key=value/);
    expect(fails({ TRACE_URL_TEMPLATE: 'https://tempo/trace/' })).toMatch(/TRACE_URL_TEMPLATE: must contain \{traceId\}/);
    expect(fails({ LOG_FORMAT: 'xml' })).toMatch(/LOG_FORMAT/);
  });
});

describe('logs', () => {
  it('never writes credentials, prompts or answers, wherever they sit in a logged object', () => {
    const lines: string[] = [];
    const out = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, out);
    log.info(
      {
        password: 'hunter2',
        body: { accessToken: 'eyJabc', nested: { apiKey: 'sk-123' } },
        input: { messages: [{ content: 'the prompt' }] },
        req: { headers: { authorization: 'Bearer eyJ', cookie: 'sid=1' } },
      },
      'x',
    );
    const text = lines.join('');
    for (const secret of ['hunter2', 'eyJabc', 'sk-123', 'the prompt', 'Bearer eyJ', 'sid=1']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('keeps a sane incoming request id and replaces anything else', () => {
    expect(requestId({ headers: { 'x-request-id': 'abc-123.def:9@x' } })).toBe('abc-123.def:9@x');
    for (const bad of ['has space', 'x'.repeat(129), '<script>', '']) expect(requestId({ headers: { 'x-request-id': bad } })).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId({ headers: {} })).toMatch(/^[0-9a-f-]{36}$/);
    expect(pathOf('/api/queues-board?token=secret')).toBe('/api/queues-board');
  });
});

describe('metrics and traces', () => {
  it('checks the scrape token exactly', () => {
    const token = 't'.repeat(30);
    expect(bearerMatches(`Bearer ${token}`, token)).toBe(true);
    for (const h of [undefined, token, `Bearer ${token}x`, `bearer ${token}`, `Bearer ${token.slice(1)}`, ['Bearer x']])
      expect(bearerMatches(h as never, token)).toBe(false);
  });

  it("names phase outcomes from the runner's answers", () => {
    expect(phaseOutcome('done: stage_5 40%')).toBe('done');
    expect(phaseOutcome('skipped: stale_run')).toBe('skipped');
    expect(phaseOutcome('stale: taken over')).toBe('stale');
    expect(phaseOutcome('cancelled')).toBe('cancelled');
    expect(phaseOutcome('failed, report refused: x')).toBe('failed');
    expect(phaseOutcome('done, report refused: x')).toBe('done');
  });

  it('links a trace row to the tracer only with a template and a trace id', () => {
    expect(traceUrl('https://tempo/trace/{traceId}?s={spanId}', { otelTraceId: 'a'.repeat(32), otelSpanId: 'b'.repeat(16) })).toBe(
      `https://tempo/trace/${'a'.repeat(32)}?s=${'b'.repeat(16)}`,
    );
    expect(traceUrl(undefined, { otelTraceId: 'a'.repeat(32), otelSpanId: null })).toBeNull();
    expect(traceUrl('https://tempo/trace/{traceId}', { otelTraceId: null, otelSpanId: null })).toBeNull();
  });

  it('with traces off, gives a phase job a trace id of its own and a model call only a histogram observation', async () => {
    expect(telemetryEnabled()).toBe(false);
    const attrs = { courseId: 'c', stage: 4, phase: 'phase_1_classifier', index: 0, run: 1, jobId: 'j', queue: 'analysis', attempt: 1, worker: 'w' };
    const seen = await inPhaseSpan(
      attrs,
      async (trace) => {
        const call = new ModelCall({ provider: 'simulated', model: 'm-unit', operation: 'chat', attempt: 1, label: 'first_try', stepName: 's' });
        call.end({ outcome: 'ok', latencyMs: 250, inputTokens: 1, outputTokens: 2 });
        call.end({ outcome: 'error', latencyMs: 1, inputTokens: 0, outputTokens: 0 });
        return { trace, current: currentJobTrace(), ids: call.ids };
      },
      () => 'done',
    );
    expect(seen.trace.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen.trace.spanId).toBeNull();
    expect(seen.current).toBe(seen.trace);
    expect(seen.ids).toEqual({ traceId: seen.trace.traceId, spanId: null });
    const values = (await modelCallDuration.get()).values.filter((v) => v.labels.model === 'm-unit' && v.metricName === 'mc_model_call_duration_seconds_count');
    expect(values).toEqual([expect.objectContaining({ value: 1, labels: expect.objectContaining({ outcome: 'ok', provider: 'simulated' }) })]);
    expect(currentJobTrace()).toBeUndefined();
  });
});
