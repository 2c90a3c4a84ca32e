// Liveness of what the API depends on: Postgres and Redis, each with its latency.
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

async function timed(check: () => Promise<unknown>): Promise<{ ok: boolean; ms: number; error?: string }> {
  const t = Date.now();
  try {
    await Promise.race([check(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000))]);
    return { ok: true, ms: Date.now() - t };
  } catch (err) {
    return { ok: false, ms: Date.now() - t, error: (err as Error).message };
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly probe: ProbeRepository,
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: QueueRepository,
  ) {}

  /**
   * 200 while this API can serve (Postgres and Redis answer), else 503. The body also
   * says whether workers are consuming: live worker heartbeats, and waiting jobs with
   * no worker behind them mark the system degraded without failing the API's check.
   */
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: FastifyReply) {
    const [postgres, redis] = await Promise.all([timed(() => this.probe.ping()), timed(() => this.redis.ping())]);
    const ok = postgres.ok && redis.ok;
    let workers: { alive: number; waitingJobs: number; consuming: boolean } | null = null;
    if (redis.ok) {
      const alive = await liveWorkers(this.redis, this.config.queuePrefix).catch(() => 0);
      const counts = await Promise.all(PHASE_QUEUES.map((q) => this.queues.queue(q).getJobCounts('waiting', 'prioritized').catch(() => ({}) as Record<string, number>)));
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
    return { status: degraded ? 'degraded' : 'ok', postgres, redis, workers, alerts };
  }
}
