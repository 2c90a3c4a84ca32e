// Providers both processes share: configuration, Postgres, Redis, the queues, the live
// publisher, the outbox relay, the course orchestrator and the model gateway.
import { Global, Inject, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import IORedis from 'ioredis';
import { APP_CONFIG, AppConfig, loadConfig } from '../config/app-config';
import { createDataSource, migrate } from '../db/data-source';
import { TenantDb } from '../repositories/tenant/tenant-db';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { EtaService } from '../courses/eta.service';
import { SystemDb } from '../repositories/system/system-db';
import { AlertsSystemRepository } from '../repositories/system/alerts.system-repository';
import { CoursesSystemRepository } from '../repositories/system/courses.system-repository';
import { DeadlinesSystemRepository } from '../repositories/system/deadlines.system-repository';
import { OutboxSystemRepository } from '../repositories/system/outbox.system-repository';
import { TracesSystemRepository } from '../repositories/system/traces.system-repository';
import { WebhooksSystemRepository } from '../repositories/system/webhooks.system-repository';
import { ModelGateway } from '../gateway/model-gateway';
import { createModelProvider } from '../gateway/provider.factory';
import { loadContextWindowOverrides, loadRoutes } from '../gateway/routes';
import { CourseOrchestrator } from '../orchestrator/course-orchestrator';
import { OutboxRelay, cancelChannel } from '../orchestrator/outbox-relay';
import { courseChangedChannel, LivePublisher } from '../repositories/live.publisher';
import { QueueRepository } from '../repositories/queue.repository';
import { StallDetector } from '../orchestrator/stall-detector';
import { MODEL_PROVIDER, REDIS } from './tokens';
import type { ModelProvider } from '../llm/model.types';
import { stopTelemetry } from '../observability/telemetry';

/**
 * BullMQ loses jobs silently if Redis may evict keys: refuse to start unless the policy
 * is noeviction. Managed Redis that forbids CONFIG is let through with a warning.
 */
export async function checkRedisPolicy(redis: IORedis): Promise<void> {
  let policy: string | undefined;
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    policy = reply[1];
  } catch (err) {
    new Logger('Redis').warn(`cannot read maxmemory-policy (${(err as Error).message}); make sure it is noeviction`);
    return;
  }
  if (policy && policy !== 'noeviction') {
    throw new Error(`Redis maxmemory-policy is "${policy}"; queues need "noeviction" (redis-cli config set maxmemory-policy noeviction)`);
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      useFactory: () => ({}),
      dataSourceFactory: async () => {
        const config = loadConfig();
        const ds = createDataSource(config.databaseUrl, { name: 'mission-control' });
        await ds.initialize();
        if (config.runMigrations) {
          const ran = await migrate(ds);
          if (ran.length) new Logger('Migrations').log(`applied ${ran.length}: ${ran.join(', ')}`);
        }
        return ds;
      },
    }),
  ],
  providers: [
    TenantDb,
    TenantScope,
    EtaService,
    SystemDb,
    // System repositories of the work both processes do (orchestrator, relay, stall detector, gateway).
    CoursesSystemRepository,
    OutboxSystemRepository,
    DeadlinesSystemRepository,
    WebhooksSystemRepository,
    AlertsSystemRepository,
    TracesSystemRepository,
    { provide: APP_CONFIG, useFactory: () => loadConfig() },
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new IORedis(c.redisUrl, { maxRetriesPerRequest: null }),
    },
    {
      provide: QueueRepository,
      inject: [REDIS, APP_CONFIG],
      useFactory: (redis: IORedis, c: AppConfig) => new QueueRepository(redis, c.queuePrefix),
    },
    {
      provide: LivePublisher,
      inject: [REDIS, APP_CONFIG],
      useFactory: (redis: IORedis, c: AppConfig) => new LivePublisher(redis, `${c.queuePrefix}-socket.io`, courseChangedChannel(c.queuePrefix)),
    },
    {
      provide: OutboxRelay,
      inject: [
        OutboxSystemRepository,
        DeadlinesSystemRepository,
        WebhooksSystemRepository,
        AlertsSystemRepository,
        QueueRepository,
        LivePublisher,
        REDIS,
        APP_CONFIG,
      ],
      useFactory: (
        outbox: OutboxSystemRepository,
        deadlines: DeadlinesSystemRepository,
        webhooks: WebhooksSystemRepository,
        alerts: AlertsSystemRepository,
        q: QueueRepository,
        live: LivePublisher,
        redis: IORedis,
        c: AppConfig,
      ) =>
        new OutboxRelay({ outbox, deadlines, webhooks, alerts }, q, live, {
          webhookAttempts: c.webhooks.maxAttempts,
          webhookBackoffMs: c.webhooks.backoffMs,
          publicUrl: c.publicUrl,
          signalCancel: async (courseId, run) => void (await redis.publish(cancelChannel(c.queuePrefix), JSON.stringify({ courseId, run }))),
        }),
    },
    {
      provide: CourseOrchestrator,
      inject: [CoursesSystemRepository, OutboxRelay, APP_CONFIG, EtaService],
      useFactory: (courses: CoursesSystemRepository, relay: OutboxRelay, c: AppConfig, eta: EtaService) =>
        new CourseOrchestrator(courses, relay, undefined, c.crashAfterCommit, (ctx, org) => eta.estimateFromCache(ctx, org)),
    },
    {
      provide: StallDetector,
      inject: [AlertsSystemRepository, CoursesSystemRepository, WebhooksSystemRepository, REDIS, QueueRepository, LivePublisher, APP_CONFIG],
      useFactory: (
        alerts: AlertsSystemRepository,
        courses: CoursesSystemRepository,
        webhooks: WebhooksSystemRepository,
        redis: IORedis,
        q: QueueRepository,
        live: LivePublisher,
        c: AppConfig,
      ) =>
        new StallDetector({ alerts, courses, webhooks }, redis, q, live, c.queuePrefix, c.stall, {
          attempts: c.webhooks.maxAttempts,
          backoffMs: c.webhooks.backoffMs,
        }),
    },
    { provide: MODEL_PROVIDER, inject: [APP_CONFIG], useFactory: (c: AppConfig) => createModelProvider(c) },
    {
      provide: ModelGateway,
      inject: [TracesSystemRepository, MODEL_PROVIDER, APP_CONFIG],
      useFactory: (traces: TracesSystemRepository, p: ModelProvider, c: AppConfig) =>
        new ModelGateway(traces, p, undefined, undefined, loadRoutes(c.modelRoutes), loadContextWindowOverrides(c.modelContextWindows), {
          timeouts: c.llm.timeouts,
          retryAfterCapMs: c.llm.retryAfterCapMs,
          streaming: c.llm.streaming,
          outputBudgets: c.llm.outputBudgets,
        }),
    },
  ],
  exports: [
    TenantDb,
    TenantScope,
    SystemDb,
    EtaService,
    CoursesSystemRepository,
    OutboxSystemRepository,
    DeadlinesSystemRepository,
    WebhooksSystemRepository,
    AlertsSystemRepository,
    TracesSystemRepository,
    APP_CONFIG,
    REDIS,
    QueueRepository,
    LivePublisher,
    OutboxRelay,
    CourseOrchestrator,
    ModelGateway,
    MODEL_PROVIDER,
    StallDetector,
  ],
})
export class CoreModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: IORedis,
    private readonly relay: OutboxRelay,
    private readonly queues: QueueRepository,
    private readonly stalls: StallDetector,
  ) {}

  async onModuleInit(): Promise<void> {
    await checkRedisPolicy(this.redis);
    // Every process sweeps the outbox: effects committed by a process that died before
    // carrying them out are carried out by whichever process runs next.
    this.relay.start(this.config.outboxPollMs);
    void this.relay.recover().catch(() => undefined);
    // Api and worker processes alike look for stalls: one open alert per subject whoever finds it.
    this.stalls.start(this.config.stall.sweepMs);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stalls.stop();
    await this.relay.stop();
    await this.queues.close();
    this.redis.disconnect();
    // The spans of the last requests and jobs go out before the process ends.
    await stopTelemetry();
  }
}
