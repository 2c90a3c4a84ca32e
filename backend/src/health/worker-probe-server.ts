// The worker's probes, on WORKER_HEALTH_PORT (0: none) — a worker has no other HTTP port,
// so a tiny node:http server rather than a Nest HTTP adapter:
//   GET /health/live  → 200 {status:'ok'} while the process answers (no I/O);
//   GET /health/ready → 200 when Postgres and Redis answer and its BullMQ workers run and
//                       are not draining; 503 naming the failed checks (and at once from
//                       SIGTERM on, while running phases finish);
//   GET /metrics      → this worker's Prometheus metrics (observability/metrics.ts); with
//                       METRICS_TOKEN set, only for `Authorization: Bearer <METRICS_TOKEN>`.
// Anything else is 404. The same paths under /api/health/ answer too, like the API's.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { bearerMatches } from '../auth/metrics-token';
import { LIVE, Check, readiness } from './probes';

export interface WorkerProbeChecks {
  stopping: () => boolean;
  checks: Record<string, Check>;
  /** what /metrics answers; absent: 404 */
  metrics?: { token?: string; render: () => Promise<{ contentType: string; body: string }> };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

export function workerProbeHandler(probe: WorkerProbeChecks) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0].replace(/^\/api(?=\/health\/)/, '');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { statusCode: 405, message: 'only GET' });
    if (path === '/health/live') return send(res, 200, LIVE);
    if (path === '/health/ready') {
      void readiness(probe.stopping(), probe.checks).then(
        (r) => send(res, r.status === 'ok' ? 200 : 503, r),
        (err) => send(res, 503, { status: 'unavailable', failed: ['probe'], error: (err as Error).message }),
      );
      return;
    }
    if (path === '/metrics' && probe.metrics) {
      const m = probe.metrics;
      if (m.token && !bearerMatches(req.headers.authorization, m.token)) {
        res.setHeader('www-authenticate', 'Bearer');
        return send(res, 401, { statusCode: 401, message: 'metrics need Authorization: Bearer <METRICS_TOKEN>' });
      }
      void m.render().then(
        (r) => {
          res.writeHead(200, { 'content-type': r.contentType, 'content-length': Buffer.byteLength(r.body), 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : r.body);
        },
        (err) => send(res, 500, { statusCode: 500, message: (err as Error).message }),
      );
      return;
    }
    send(res, 404, { statusCode: 404, message: 'GET /health/live, /health/ready or /metrics' });
  };
}

/** Listens on `port` (refusing to start when it is taken); resolves with the server. */
export function startWorkerProbeServer(port: number, host: string, probe: WorkerProbeChecks): Promise<Server> {
  const server = createServer(workerProbeHandler(probe));
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`worker probes cannot listen on ${host}:${port} (${err.code ?? err.message}); set WORKER_HEALTH_PORT to a free port, or 0 for none`)),
    );
    server.listen(port, host, () => resolve(server));
  });
}

export function closeWorkerProbeServer(server: Server | null): Promise<void> {
  if (!server) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
