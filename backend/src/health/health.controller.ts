// Liveness of what the API depends on: Postgres and Redis, each with its latency (the
// detailed answer for operations), and the two cheap probes an orchestrator asks
// (probes.ts): /api/health/live and /api/health/ready.
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import IORedis from 'ioredis';
import { REDIS } from '../app/tokens';
import { Public } from '../auth/access.decorators';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { PHASE_QUEUES } from '../jobs/job.names';
import { liveWorkers } from '../jobs/worker.host';
import { QueueRepository } from '../repositories/queue.repository';
import { ProbeRepository } from '../repositories/tenant/probe.repository';
import { LIVE, readiness, ShutdownState, timed } from './probes';
import { ApiJson } from '../openapi/api-doc.decorators';
import { HealthSchema, LiveSchema, ReadinessSchema } from './health.responses';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly probe: ProbeRepository,
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueRepository,
    private readonly shutdown: ShutdownState,
  ) {}

  /** 200 while the process answers; no I/O (a liveness probe must not fail for Postgres). */
  @Public()
  @Get('live')
  @ApiJson(LiveSchema, { summary: 'Liveness: 200 while the process answers (no I/O)' })
  live() {
    return LIVE;
  }

  /**
   * 200 when this API can serve now: Postgres and Redis answer and every migration of
   * this build is applied; 503 naming the failed checks otherwise, and at once from
   * SIGTERM on (SHUTDOWN_DELAY_MS before the server closes).
   */
  @Public()
  @Get('ready')
  @ApiJson(ReadinessSchema, { summary: 'Readiness: Postgres, Redis and migrations; 503 when one fails or the process is stopping', errors: [503] })
  async ready(@Res({ passthrough: true }) res: FastifyReply) {
    const r = await readiness(this.shutdown.stopping, {
      postgres: () => this.probe.ping(),
      redis: () => this.redis.ping(),
      migrations: async () => {
        const pending = await this.probe.pendingMigrations();
        if (pending.length) throw new Error(`${pending.length} pending: ${pending.join(', ')}`);
      },
    });
    res.status(r.status === 'ok' ? 200 : 503);
    return r;
  }

  /**
   * 200 while this API can serve (Postgres and Redis answer), else 503. The body also
   * says whether workers are consuming: live worker heartbeats, and waiting jobs with
   * no worker behind them mark the system degraded without failing the API's check.
   */
  @Public()
  @Get()
  @ApiJson(HealthSchema, { summary: 'Detailed health for operations: dependencies with latency, workers, open alerts', errors: [503] })
  async health(@Res({ passthrough: true }) res: FastifyReply) {
    const [postgres, redis] = await Promise.all([timed(() => this.probe.ping()), timed(() => this.redis.ping())]);
    const ok = postgres.ok && redis.ok;
    let workers: { alive: number; waitingJobs: number; consuming: boolean } | null = null;
    if (redis.ok) {
      const alive = await liveWorkers(this.redis, this.config.queuePrefix).catch(() => 0);
      const counts = await Promise.all(
        PHASE_QUEUES.map((q) =>
          this.queues
            .queue(q)
            .getJobCounts('waiting', 'prioritized')
            .catch(() => ({}) as Record<string, number>),
        ),
      );
      const waitingJobs = counts.reduce((n, c) => n + (c.waiting ?? 0) + (c.prioritized ?? 0), 0);
      workers = { alive, waitingJobs, consuming: alive > 0 };
    }
    // The stall detectors' open alerts of the whole deployment, by kind (details at GET /api/alerts).
    let alerts: Record<string, number> | null = null;
    if (postgres.ok) {
      const rows = await this.probe.openAlertsByKind().catch(() => []);
      alerts = Object.fromEntries(rows.map((r) => [r.kind, r.n]));
    }
    res.status(ok ? 200 : 503);
    const degraded = !ok || (workers !== null && workers.waitingJobs > 0 && workers.alive === 0);
    return { status: degraded ? ('degraded' as const) : ('ok' as const), postgres, redis, workers, alerts };
  }
}
