// What every API request leaves behind: the x-request-id response header (the caller's,
// or a new one), one log line when it is answered (request id, method, route pattern,
// path without its query, status, duration, the caller's user and organization ids, and
// the OpenTelemetry trace id when traces are exported), an observation of
// mc_http_request_duration_seconds by route pattern and status, and a server span.
// Probe answers that say "fine" are logged at debug, so that a kubelet asking every few
// seconds does not drown the log.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { pathOf } from './logger';
import { httpDuration } from './metrics';
import { endHttpSpan, startHttpSpan } from './telemetry';

const QUIET = new Set(['/api/health/live', '/api/health/ready', '/api/health', '/api/metrics']);

type Observed = FastifyRequest & { otelSpan?: Span; user?: { id?: string; organizationId?: string } };

export function observeRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    const span = startHttpSpan(req.method, pathOf(req.url), req.headers);
    if (span) (req as Observed).otelSpan = span;
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const req = request as Observed;
    const route = req.routeOptions?.url;
    const status = reply.statusCode;
    const seconds = reply.elapsedTime / 1000;
    // Unmatched paths share one label: a scanner must not mint a series per URL.
    httpDuration.observe({ method: req.method, route: route ?? 'unmatched', status: String(status) }, seconds);
    const span = req.otelSpan;
    const traceId = span?.spanContext().traceId;
    if (span) endHttpSpan(span, req.method, route, status);
    const level = status >= 500 ? 'error' : QUIET.has(route ?? '') && status < 400 ? 'debug' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        reqId: req.id,
        method: req.method,
        route: route ?? null,
        path: pathOf(req.url),
        status,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        userId: req.user?.id ?? null,
        organizationId: req.user?.organizationId ?? null,
        ...(traceId ? { traceId } : {}),
      },
      'request completed',
    );
  });
}
