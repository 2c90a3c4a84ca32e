// The API process: REST under /api, OpenAPI at /api/docs (JSON at /api/docs-json), Socket.IO at /live, Bull Board
// at /api/queues-board, and the dashboard's static files at /.
import 'reflect-metadata';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ApiModule } from './app/api.module';
import { AuditLog, recordWrites } from './auth/audit';
import { AuthService } from './auth/auth.service';
import { CoursesService } from './courses/courses.service';
import { statusFastPath } from './courses/status-fast-path';
import { loadConfig } from './config/app-config';
import { findBadText } from './common/text';
import { recordRoute } from './common/allowed-methods';
import { RedisIoAdapter } from './live/redis-io.adapter';
import { mountQueuesBoard } from './queues-board/queues-board';
import { apiDocument } from './openapi/api-document';
import { createRootLogger, nestLogger, requestId } from './observability/logger';
import { startProcessMetrics } from './observability/metrics';
import { handleClientError } from './app/client-errors';
import { observeRequests } from './observability/request-log';
import { startTelemetry } from './observability/telemetry';

export async function createApiApp(): Promise<NestFastifyApplication> {
  const config = loadConfig();
  await startTelemetry(config, 'api');
  startProcessMetrics('api');
  const logger = createRootLogger(config, 'api');
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule,
    // The request id: the caller's x-request-id, or a new one (observability/logger.ts).
    new FastifyAdapter({
      bodyLimit: config.access.bodyLimitBytes,
      trustProxy: false,
      genReqId: requestId,
      requestIdHeader: false,
      clientErrorHandler: handleClientError,
    }),
    { bufferLogs: true },
  );
  app.useLogger(nestLogger(logger));
  // First of the hooks: the request id header, the request line, HTTP metrics and span.
  observeRequests(app.getHttpAdapter().getInstance(), logger);
  // Hard caps; the per-organization size limit is checked while reading each file.
  await app.register(fastifyMultipart as never, {
    preservePath: true,
    limits: { fileSize: 64 * 1024 * 1024, files: 20, fields: 10, parts: 40, headerPairs: 200 },
  });
  app.setGlobalPrefix('api');
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => recordRoute(route.method, route.url));
  // Multipart bodies are for document uploads only; elsewhere they would reach a route
  // as "no body" — refused instead, like any other content type a route does not take.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preValidation', async (req) => {
      if (req.isMultipart?.() && req.routeOptions.url !== '/api/courses/:id/documents') {
        throw Object.assign(new Error('content-type: multipart/form-data is only accepted by POST /api/courses/:id/documents'), { statusCode: 415 });
      }
      // Text Postgres cannot store as sent (NUL, lone surrogates) is refused for every
      // route in one place, naming the field (common/text.ts).
      const bad = findBadText(req.params, '') ?? findBadText(req.query, '') ?? (req.isMultipart?.() ? null : findBadText(req.body, ''));
      if (bad) throw Object.assign(new Error(bad), { statusCode: 400 });
    });
  // API answers are data, never a page: browsers must not sniff them into HTML or frame them.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (req, reply) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      // Pages under /api (the API docs, the queues board) keep their own policies.
      const type = String(reply.getHeader('content-type') ?? '');
      if (req.url.startsWith('/api/') && /^(application\/json|text\/csv|text\/plain)/.test(type)) {
        reply.header('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
        reply.header('cache-control', 'no-store');
      }
    });
  recordWrites(app.getHttpAdapter().getInstance(), app.get(AuditLog));
  statusFastPath(app.getHttpAdapter().getInstance(), app.get(AuthService), app.get(CoursesService));
  app.useWebSocketAdapter(new RedisIoAdapter(app, config.redisUrl, `${config.queuePrefix}-socket.io`));
  app.enableShutdownHooks();
  // The document built from the routes' Zod schemas (openapi/), the same as the checked-in
  // backend/openapi.json; the UI at /api/docs, the JSON at /api/docs-json.
  SwaggerModule.setup('api/docs', app, apiDocument() as unknown as OpenAPIObject);
  await mountQueuesBoard(app);
  const dashboard = config.dashboardDir ?? resolve(__dirname, '../../../../dashboard/dist');
  if (existsSync(join(dashboard, 'index.html'))) {
    // The build writes a brotli and a gzip copy beside each asset (dashboard/build/
    // precompress.ts): served by the request's accept-encoding, no compression per request.
    // Hashed assets never change under their name, so browsers keep them for a year;
    // index.html names the current ones, so it is checked at every load.
    await app.register(fastifyStatic as never, {
      root: dashboard,
      prefix: '/',
      index: ['index.html'],
      wildcard: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply: { header(name: string, value: string): unknown }, path: string) => {
        reply.header('cache-control', dashboardCacheControl(path));
      },
    });
  }
  return app;
}

/** Vite's content-hashed file names (`assets/index-ChYByB9v.js`), compressed copies included. */
const HASHED_ASSET = /[\\/]assets[\\/][^\\/]+-[A-Za-z0-9_-]{8,}\.(js|css|woff2?|svg|png)(\.br|\.gz)?$/;

export function dashboardCacheControl(path: string): string {
  return HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp();
  await app.listen(config.port, config.host);
  new Logger('api').log(`Mission Control API listening on http://${config.host}:${config.port} (dashboard at /, API docs at /api/docs)`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
