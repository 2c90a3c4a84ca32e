// This process's own Prometheus metrics: prom-client's defaults (CPU, memory, event
// loop, GC) under `mc_api_` or `mc_worker_`, and the histograms of what it does — HTTP
// requests by route pattern and status (api), model calls by model, provider and
// outcome, phase jobs by stage and phase, and how long a job waited in its queue
// (worker). The api serves them at the end of /api/metrics, a worker at /metrics on its
// probe port (WORKER_HEALTH_PORT). Buckets in seconds, as Prometheus names them.
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export const processRegistry = new Registry();
let started: 'api' | 'worker' | null = null;

/** Starts the default metrics once, named for the process's role. */
export function startProcessMetrics(role: 'api' | 'worker'): void {
  if (started) return;
  started = role;
  collectDefaultMetrics({ register: processRegistry, prefix: `mc_${role}_` });
  // Gauges named like counters (promtool refuses them); the same numbers stay, by type,
  // in nodejs_active_handles, nodejs_active_requests and nodejs_active_resources.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    processRegistry.removeSingleMetric(`mc_${role}_${name}`);
  }
}

export const httpDuration = new Histogram({
  name: 'mc_http_request_duration_seconds',
  help: 'HTTP requests answered by this API process, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});

export const modelCallDuration = new Histogram({
  name: 'mc_model_call_duration_seconds',
  help: 'Model calls made by this process (one per attempt), by model, provider and outcome (ok, invalid, rate_limited, timeout, error)',
  labelNames: ['model', 'provider', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160],
  registers: [processRegistry],
});

export const phaseDuration = new Histogram({
  name: 'mc_phase_duration_seconds',
  help: 'Phase jobs run by this worker, from start to its report, by stage, phase and outcome (done, skipped, stale, failed, retry, cancelled, handed_back)',
  labelNames: ['stage', 'phase', 'outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [processRegistry],
});

export const queueWait = new Histogram({
  name: 'mc_queue_wait_seconds',
  help: 'Time a phase job waited in its queue, from when it could first run (enqueued, or its delay over) to when this worker took it',
  labelNames: ['queue'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
  registers: [processRegistry],
});

/** The outcome label of a phase job from the runner's answer (`done: …`, `skipped: …`). */
export function phaseOutcome(answer: string): string {
  const word = /^[a-z_]+/.exec(answer)?.[0] ?? 'done';
  return ['done', 'skipped', 'stale', 'failed', 'cancelled'].includes(word) ? word : 'done';
}
