// Liveness of what the API depends on: Postgres and Redis, each with its latency.
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../app/tokens';
import { Public } from '../auth/access.decorators';

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
    private readonly ds: DataSource,
    @Inject(REDIS) private readonly redis: IORedis,
  ) {}

  @Public()
  @Get()
  async health(@Res({ passthrough: true }) res: FastifyReply) {
    const [postgres, redis] = await Promise.all([timed(() => this.ds.query('SELECT 1')), timed(() => this.redis.ping())]);
    const ok = postgres.ok && redis.ok;
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', postgres, redis };
  }
}
