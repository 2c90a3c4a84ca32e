// The processes' logs: pino, one JSON object a line (LOG_FORMAT=json: production, or
// whenever stdout is not a terminal, so a log shipper reads it as is) or coloured text
// for a person at a terminal (LOG_FORMAT=pretty). NestJS's own Logger calls go through
// nestjs-pino's adapter; inside a request or a phase job they carry that context's
// bindings (reqId; courseId, jobId, attempt, traceId) because the code runs in
// nestjs-pino's AsyncLocalStorage with a child logger. Secrets never reach a line: the
// serializers keep only what a request line needs, and `redact` censors credentials,
// prompts and answers wherever they appear in an object logged by mistake.
import type { IncomingHttpHeaders } from 'node:http';
import { randomUUID } from 'node:crypto';
import { Logger as NestPinoLogger, PinoLogger } from 'nestjs-pino';
import { Store, storage } from 'nestjs-pino/storage';
import pino, { type Logger } from 'pino';
import type { AppConfig } from '../config/app-config';

/** Keys whose values are never written, at the top level and one or two levels down. */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'secret',
  'authorization',
  'cookie',
  'messages',
  'prompt',
  'inputData',
  'outputData',
  'input_data',
  'output_data',
  'jwt',
  'signingSecret',
];
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

let root: Logger | null = null;

/** The process's root logger (created once, from the configuration). */
export function createRootLogger(config: Pick<AppConfig, 'logLevel' | 'logFormat'>, name: 'api' | 'worker' | 'cli'): Logger {
  if (root) return root;
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: `mission-control-${name}`, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err },
  };
  if (config.logFormat === 'pretty') {
    // Synchronous, in this thread: no transport worker for a person's terminal.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (o: object) => NodeJS.WritableStream;
    root = pino(options, pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,service' }));
  } else {
    root = pino(options, pino.destination({ fd: 1, sync: false }));
  }
  return root;
}

/** The root logger, or a silent one before createRootLogger (unit tests). */
export function rootLogger(): Logger {
  return root ?? (root = pino({ level: 'silent' }));
}

/** The LoggerService NestJS writes through (bufferLogs until it is set). */
export function nestLogger(logger: Logger): NestPinoLogger {
  return new NestPinoLogger(new PinoLogger({ pinoHttp: { logger }, renameContext: 'context' }), {});
}

/**
 * Runs `fn` with every log line inside it (NestJS Logger calls included) carrying
 * `bindings`: a request's id, a phase job's course, job, attempt and trace ids.
 */
export function withLogContext<T>(bindings: Record<string, unknown>, fn: () => T): T {
  const parent = storage.getStore()?.logger ?? rootLogger();
  return storage.run(new Store(parent.child(bindings)), fn);
}

/** The logger of the current context (a request's or a job's), else the root one. */
export function currentLogger(): Logger {
  return storage.getStore()?.logger ?? rootLogger();
}

/** Only ids a person could grep for: an incoming x-request-id outside this shape is replaced. */
const REQUEST_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * Fastify's genReqId: the caller's x-request-id when it is a sane id, else a new UUID.
 */
export function requestId(raw: { headers: IncomingHttpHeaders }): string {
  const incoming = raw.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** A path without its query string (queries may carry tokens: the board's session, a socket's). */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}
