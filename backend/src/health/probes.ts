// The two probes an orchestrator asks both processes (Kubernetes, compose):
// - live: the process and its event loop answer; no I/O at all, so a slow or absent
//   Postgres never gets a process restarted;
// - ready: it can do its work now — Postgres and Redis answer (each within 2 s), and
//   whatever else the process names (the API: migrations applied; the worker: its
//   BullMQ workers running), and it is not shutting down. 503 otherwise, naming the
//   failed checks. The API serves them at /api/health/live and /api/health/ready
//   (health.controller.ts), the worker on WORKER_HEALTH_PORT (worker-probe-server.ts).

export interface CheckResult {
  ok: boolean;
  ms: number;
  error?: string;
}

export interface Readiness {
  status: 'ok' | 'unavailable';
  /** the names of the checks that failed, e.g. ['postgres'] */
  failed: string[];
  checks: Record<string, CheckResult>;
}

export const LIVE = { status: 'ok' } as const;

const PROBE_TIMEOUT_MS = 2000;

/** Runs one check with a time limit; a failure is its message, never a throw. */
export async function timed(check: () => Promise<unknown>, timeoutMs = PROBE_TIMEOUT_MS): Promise<CheckResult> {
  const t = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error('timeout')), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Date.now() - t };
  } catch (err) {
    return { ok: false, ms: Date.now() - t, error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A check that throws when not ready; it resolves when ready. `stopping` short-circuits:
 * a process shutting down answers 503 at once, without asking anything.
 */
export type Check = () => Promise<unknown>;

export async function readiness(stopping: boolean, checks: Record<string, Check>): Promise<Readiness> {
  if (stopping) {
    return { status: 'unavailable', failed: ['shutdown'], checks: { shutdown: { ok: false, ms: 0, error: 'shutting down' } } };
  }
  const names = Object.keys(checks);
  const results = await Promise.all(names.map((n) => timed(checks[n])));
  const out: Record<string, CheckResult> = Object.fromEntries(names.map((n, i) => [n, results[i]]));
  const failed = names.filter((n) => !out[n].ok);
  return { status: failed.length ? 'unavailable' : 'ok', failed, checks: out };
}

/**
 * Whether this process is shutting down: set on SIGTERM itself (before any shutdown hook
 * runs) and by the first shutdown hook (app.close() without a signal). A Nest provider:
 * with `delayMs`, the API's shutdown waits that long before the server closes, answering
 * 503 on ready meanwhile, so that a load balancer stops sending requests first.
 */
export class ShutdownState {
  private stoppingSince: number | null = null;
  private readonly onSignal = () => {
    this.markStopping();
    // Alone on the signal (it came before the app registered its shutdown hooks): keep
    // the default of dying from it.
    if (process.listenerCount('SIGTERM') === 0) process.kill(process.pid, 'SIGTERM');
  };

  constructor(private readonly delayMs = 0) {
    process.once('SIGTERM', this.onSignal);
  }

  onModuleDestroy(): void {
    this.markStopping();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.markStopping();
    const left = this.delayMs - (Date.now() - (this.stoppingSince ?? Date.now()));
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  }

  onApplicationShutdown(): void {
    this.dispose();
  }

  get stopping(): boolean {
    return this.stoppingSince !== null;
  }

  markStopping(): void {
    this.stoppingSince ??= Date.now();
  }

  /** Forgets the signal listener (once the process closes). */
  dispose(): void {
    process.removeListener('SIGTERM', this.onSignal);
  }
}
