// Configuration, read from the environment once at start-up and validated into one
// typed object. Nothing else in the code base reads process.env.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ModelTask } from '../llm/model.types';

/** The repository's root, from the source or the built files alike. */
function repoRoot(): string {
  let dir = __dirname;
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, 'migrations')) && existsSync(join(dir, 'backend'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
/** An empty value counts as unset (compose's `VAR: ${VAR:-}`; the OpenTelemetry spec reads empty as unset too). */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

const EnvSchema = z.object({
  // Unset is not development: without JWT_SECRET the process then refuses to start (below).
  NODE_ENV: z.enum(['development', 'production', 'test']).optional(),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/mission_control'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_{}-]+$/)
    .default('mc'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  JWT_SECRET: z.string().min(16).optional(),
  JWT_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(15 * 60),
  REFRESH_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(14 * 24 * 3600),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  RATE_LIMIT_FACTOR: z.coerce.number().min(0).default(1),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  LLM_PROVIDER: z.enum(['simulated', 'openai']).optional(),
  LLM_BASE_URL: z.string().url().default('https://openrouter.ai/api/v1'),
  LLM_API_KEY: z.string().optional(),
  LLM_EMBEDDING_MODEL: z.string().min(1).optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(120_000),
  LLM_TIMEOUTS: z.string().optional(),
  LLM_RETRY_AFTER_CAP_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  LLM_STREAMING: bool.default(true),
  LLM_OUTPUT_BUDGETS: z.string().optional(),
  LLM_HTTP_REFERER: z.string().url().optional(),
  LLM_APP_TITLE: z.string().min(1).max(200).optional(),
  SIMULATED_LATENCY: z.enum(['instant', 'fast', 'realistic']).default('realistic'),
  SIMULATED_FORCE_FAULT: z
    .string()
    .regex(/^[a-z0-9_]+:(malformedJson|truncatedJson|timeout|rateLimit|serverError)$/, 'must be <phase>:<fault>')
    .optional(),
  SIMULATED_TTFT_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  SIMULATED_TOKENS_PER_SECOND: z.coerce.number().min(1).max(100_000).optional(),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  OUTBOX_POLL_MS: z.coerce.number().int().min(10).default(1000),
  DASHBOARD_DIR: z.string().optional(),
  STORAGE_DIR: z.string().optional(),
  MODEL_ROUTES: z.string().optional(),
  MODEL_CONTEXT_WINDOWS: z.string().optional(),
  WEBHOOK_ALLOW_PRIVATE_HOSTS: z.string().default(''),
  /** where people reach the dashboard: the links in webhook payloads (default http://localhost:<PORT>) */
  PUBLIC_URL: z.string().url().optional(),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).default(2000),
  DEADLINE_SWEEP_MS: z.coerce.number().int().min(50).default(5000),
  RECONCILE_MS: z.coerce.number().int().min(100).default(15000),
  PARTITION_MONTHS_AHEAD: z.coerce.number().int().min(1).max(24).default(3),
  PARTITION_SWEEP_MS: z.coerce.number().int().min(100).default(3_600_000),
  RETENTION_MONTHS: z.coerce.number().int().min(0).max(1200).default(0),
  MEDIAN_REFRESH_MS: z.coerce.number().int().min(100).default(60000),
  ETA_CACHE_MS: z.coerce.number().int().min(0).default(30000),
  RUN_MIGRATIONS: bool.default(true),
  STALL_SWEEP_MS: z.coerce.number().int().min(50).default(15000),
  STALL_PROGRESS_MINUTES: z.coerce.number().positive().default(10),
  STALL_JOB_SECONDS: z.coerce.number().positive().default(30),
  STALL_QUEUE_SECONDS: z.coerce.number().positive().default(30),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25000),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(120_000).optional(),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  JOB_LOCK_MS: z.coerce.number().int().min(1000).default(60000),
  FAULT_CRASH_AFTER_COMMIT: z
    .string()
    .regex(/^(0(\.\d+)?|1|[1-9]\d*)$/, 'must be a probability in [0, 1) or a count of transitions')
    .optional(),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).optional(),
  LOG_FORMAT: unsetIfEmpty(z.enum(['json', 'pretty']).optional()),
  METRICS_TOKEN: unsetIfEmpty(
    z
      .string()
      .min(24, 'must be at least 24 characters')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .optional(),
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: unsetIfEmpty(z.string().url().optional()),
  OTEL_EXPORTER_OTLP_PROTOCOL: unsetIfEmpty(z.enum(['http/protobuf', 'http/json']).default('http/protobuf')),
  OTEL_EXPORTER_OTLP_HEADERS: unsetIfEmpty(
    z
      .string()
      .regex(/^\s*([^=,\s]+\s*=\s*[^,]*)(,\s*[^=,\s]+\s*=\s*[^,]*)*\s*$/, 'must be key=value pairs joined by commas')
      .optional(),
  ),
  OTEL_SERVICE_NAME: unsetIfEmpty(z.string().min(1).optional()),
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().min(10).max(60_000).default(5000),
  TRACE_URL_TEMPLATE: unsetIfEmpty(z.string().includes('{traceId}', { message: 'must contain {traceId}' }).optional()),
});

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  port: number;
  host: string;
  jwt: { secret: string; ttlSeconds: number; issuer: string; audience: string };
  access: { refreshTtlSeconds: number; loginMaxFailures: number; loginLockSeconds: number; rateLimitFactor: number; bodyLimitBytes: number };
  llm: {
    provider: 'simulated' | 'openai';
    baseUrl: string;
    apiKey?: string;
    embeddingModel?: string;
    /** the whole call, per task (LLM_TIMEOUTS) over the default (LLM_TIMEOUT_MS) */
    timeouts: Partial<Record<ModelTask, number>> & { default: number };
    retryAfterCapMs: number;
    streaming: boolean;
    outputBudgets: Partial<Record<ModelTask, number>>;
    referer?: string;
    appTitle?: string;
    latency: 'instant' | 'fast' | 'realistic';
    ttftMs?: number;
    tokensPerSecond?: number;
    forceFault?: { phase: string; kind: string };
  };
  workerConcurrency: number;
  outboxPollMs: number;
  dashboardDir?: string;
  storageDir: string;
  modelRoutes: string | undefined;
  modelContextWindows: string | undefined;
  webhooks: { allowHosts: string[]; maxAttempts: number; backoffMs: number };
  /** the dashboard's address as people reach it (links in webhook payloads) */
  publicUrl: string;
  deadlineSweepMs: number;
  reconcileMs: number;
  partitions: { monthsAhead: number; retentionMonths: number; sweepMs: number };
  /** worker: how often the ETA's phase-duration medians are recomputed */
  medianRefreshMs: number;
  /** api: how long the ETA's medians are kept per organization */
  etaCacheMs: number;
  runMigrations: boolean;
  stall: { sweepMs: number; progressMinutes: number; jobSeconds: number; queueSeconds: number };
  shutdownGraceMs: number;
  /** API: how long /api/health/ready answers 503 after SIGTERM before the server closes */
  shutdownDelayMs: number;
  /** worker: the port of its live/ready probes; 0 serves none */
  workerHealthPort: number;
  jobLockMs: number;
  /** drill: exit right after a transition commits, before its effects run (never in production) */
  crashAfterCommit?: { probability: number } | { count: number };
  logLevels: ('error' | 'warn' | 'log' | 'debug')[];
  /** pino's level (the same LOG_LEVEL as logLevels) */
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** json: one JSON object a line (production, or stdout not a terminal); pretty: coloured text for a person */
  logFormat: 'json' | 'pretty';
  /** a long-lived bearer credential for Prometheus, accepted on /api/metrics and the worker's /metrics */
  metricsToken?: string;
  /** OpenTelemetry trace export (OTLP/HTTP); null: off, and nothing of the SDK is loaded */
  otel: { endpoint: string; protocol: 'http/protobuf' | 'http/json'; headers: Record<string, string>; serviceName?: string; scheduleDelayMs: number } | null;
  /** a link to the operator's tracer for a trace id, e.g. https://tempo.example/trace/{traceId} */
  traceUrlTemplate?: string;
}

/** A configuration the process refuses to start with; the message is one line. */
export class ConfigError extends Error {}

/** Only for NODE_ENV=development or test, and only when JWT_SECRET is not set. */
const DEVELOPMENT_JWT_SECRET = 'mission-control-development-secret';
const MIN_PRODUCTION_SECRET_BYTES = 32;

/** The signing secret: JWT_SECRET, or the development one where NODE_ENV explicitly allows it. */
function jwtSecret(nodeEnv: 'development' | 'production' | 'test' | undefined, secret: string | undefined): string {
  const relaxed = nodeEnv === 'development' || nodeEnv === 'test';
  if (secret === undefined) {
    if (relaxed) return DEVELOPMENT_JWT_SECRET;
    throw new ConfigError(
      `invalid configuration: JWT_SECRET must be set (NODE_ENV is ${nodeEnv ?? 'not set'}; only NODE_ENV=development or test falls back to the development secret)`,
    );
  }
  if (!relaxed && secret === DEVELOPMENT_JWT_SECRET) {
    throw new ConfigError(`invalid configuration: JWT_SECRET must not be the development secret unless NODE_ENV is development or test`);
  }
  if (!relaxed && Buffer.byteLength(secret, 'utf8') < MIN_PRODUCTION_SECRET_BYTES) {
    throw new ConfigError(
      `invalid configuration: JWT_SECRET must be at least ${MIN_PRODUCTION_SECRET_BYTES} bytes unless NODE_ENV is development or test (it is ${Buffer.byteLength(secret, 'utf8')})`,
    );
  }
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const { NODE_ENV: nodeEnv, ...e } = parsed.data;
  const secret = jwtSecret(nodeEnv, e.JWT_SECRET);
  // Unset NODE_ENV (with a JWT_SECRET given) keeps behaving as development otherwise.
  const NODE_ENV = nodeEnv ?? 'development';
  const provider = e.LLM_PROVIDER ?? (e.LLM_API_KEY ? 'openai' : 'simulated');
  return {
    env: NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    port: e.PORT,
    host: e.HOST,
    jwt: { secret, ttlSeconds: e.JWT_TTL_SECONDS, issuer: 'mission-control', audience: 'mission-control-api' },
    access: {
      refreshTtlSeconds: e.REFRESH_TTL_SECONDS,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginLockSeconds: e.LOGIN_LOCK_SECONDS,
      rateLimitFactor: e.RATE_LIMIT_FACTOR,
      bodyLimitBytes: e.BODY_LIMIT_BYTES,
    },
    llm: {
      provider,
      baseUrl: e.LLM_BASE_URL,
      apiKey: e.LLM_API_KEY,
      embeddingModel: e.LLM_EMBEDDING_MODEL,
      timeouts: { ...perTask('LLM_TIMEOUTS', e.LLM_TIMEOUTS, 100, 3_600_000), default: e.LLM_TIMEOUT_MS },
      retryAfterCapMs: e.LLM_RETRY_AFTER_CAP_MS,
      streaming: e.LLM_STREAMING,
      outputBudgets: perTask('LLM_OUTPUT_BUDGETS', e.LLM_OUTPUT_BUDGETS, 16, 10_000_000),
      referer: e.LLM_HTTP_REFERER,
      appTitle: e.LLM_APP_TITLE,
      latency: e.SIMULATED_LATENCY,
      ttftMs: e.SIMULATED_TTFT_MS,
      tokensPerSecond: e.SIMULATED_TOKENS_PER_SECOND,
      forceFault: e.SIMULATED_FORCE_FAULT ? { phase: e.SIMULATED_FORCE_FAULT.split(':')[0], kind: e.SIMULATED_FORCE_FAULT.split(':')[1] } : undefined,
    },
    workerConcurrency: e.WORKER_CONCURRENCY,
    outboxPollMs: e.OUTBOX_POLL_MS,
    dashboardDir: e.DASHBOARD_DIR,
    storageDir: e.STORAGE_DIR ?? join(repoRoot(), 'var/storage'),
    modelRoutes: e.MODEL_ROUTES,
    modelContextWindows: e.MODEL_CONTEXT_WINDOWS,
    webhooks: {
      allowHosts: e.WEBHOOK_ALLOW_PRIVATE_HOSTS.split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
      maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
      backoffMs: e.WEBHOOK_BACKOFF_MS,
    },
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    deadlineSweepMs: e.DEADLINE_SWEEP_MS,
    reconcileMs: e.RECONCILE_MS,
    partitions: { monthsAhead: e.PARTITION_MONTHS_AHEAD, retentionMonths: e.RETENTION_MONTHS, sweepMs: e.PARTITION_SWEEP_MS },
    medianRefreshMs: e.MEDIAN_REFRESH_MS,
    etaCacheMs: e.ETA_CACHE_MS,
    runMigrations: e.RUN_MIGRATIONS,
    stall: { sweepMs: e.STALL_SWEEP_MS, progressMinutes: e.STALL_PROGRESS_MINUTES, jobSeconds: e.STALL_JOB_SECONDS, queueSeconds: e.STALL_QUEUE_SECONDS },
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS ?? (NODE_ENV === 'production' ? 5000 : 0),
    workerHealthPort: e.WORKER_HEALTH_PORT,
    jobLockMs: e.JOB_LOCK_MS,
    crashAfterCommit: crashDrill(NODE_ENV, e.FAULT_CRASH_AFTER_COMMIT),
    logLevels: (['error', 'warn', 'log', 'debug'] as const).slice(
      0,
      { error: 1, warn: 2, info: 3, debug: 4 }[e.LOG_LEVEL ?? (NODE_ENV === 'test' ? 'warn' : 'info')],
    ),
    logLevel: e.LOG_LEVEL ?? (NODE_ENV === 'test' ? 'warn' : 'info'),
    logFormat: e.LOG_FORMAT ?? (NODE_ENV !== 'production' && process.stdout.isTTY ? 'pretty' : 'json'),
    metricsToken: e.METRICS_TOKEN,
    otel: e.OTEL_EXPORTER_OTLP_ENDPOINT
      ? {
          endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ''),
          protocol: e.OTEL_EXPORTER_OTLP_PROTOCOL,
          headers: otlpHeaders(e.OTEL_EXPORTER_OTLP_HEADERS),
          serviceName: e.OTEL_SERVICE_NAME,
          scheduleDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
        }
      : null,
    traceUrlTemplate: e.TRACE_URL_TEMPLATE,
  };
}

/** OTEL_EXPORTER_OTLP_HEADERS as the OpenTelemetry spec writes it: `key=value,key2=value2`, values URL-encoded. */
function otlpHeaders(raw: string | undefined): Record<string, string> {
  if (!raw) return {};
  return Object.fromEntries(
    raw.split(',').map((pair) => {
      const at = pair.indexOf('=');
      return [pair.slice(0, at).trim(), decodeURIComponent(pair.slice(at + 1).trim())];
    }),
  );
}

const TASKS = ['document_summary', 'analysis_phase', 'structure_metadata', 'structure_section', 'structure_validation', 'lesson_content'] as const;

/** A JSON object of numbers by model task (e.g. {"lesson_content":300000}); anything else stops start-up with the reason. */
function perTask(name: string, raw: string | undefined, min: number, max: number): Partial<Record<ModelTask, number>> {
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ConfigError(`invalid configuration: ${name}: is not valid JSON`);
  }
  const parsed = z.partialRecord(z.enum(TASKS), z.number().int().min(min).max(max)).safeParse(json);
  if (!parsed.success)
    throw new ConfigError(`invalid configuration: ${name}: ${parsed.error.issues[0]?.path.join('.') || 'value'}: ${parsed.error.issues[0]?.message}`);
  return parsed.data as Partial<Record<ModelTask, number>>;
}

/** A value below 1 is a probability per transition; 1 or more, the transition after which to crash once. */
function crashDrill(env: string, raw: string | undefined): AppConfig['crashAfterCommit'] {
  if (!raw || env === 'production') return undefined;
  const n = Number(raw);
  if (n <= 0) return undefined;
  return n < 1 ? { probability: n } : { count: Math.floor(n) };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
