// The worker process: the shared providers plus the BullMQ workers that run phases.
import { BeforeApplicationShutdown, Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import IORedis from 'ioredis';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { ShutdownState } from '../health/probes';
import { processRegistry } from '../observability/metrics';
import { closeWorkerProbeServer, startWorkerProbeServer } from '../health/worker-probe-server';
import { ProbeRepository } from '../repositories/tenant/probe.repository';
import { REDIS } from './tokens';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ModelGateway } from '../gateway/model-gateway';
import { phaseHandlers } from '../jobs/handlers';
import { PhaseRunner } from '../jobs/phase-runner';
import { WorkerHost } from '../jobs/worker.host';
import { CourseOrchestrator } from '../orchestrator/course-orchestrator';
import { CoreModule } from './core.module';
import { cancelChannel } from '../orchestrator/outbox-relay';
import { DeadlineSweeper } from '../orchestrator/deadline-sweeper';
import { PartitionKeeper } from '../orchestrator/partition-keeper';
import { PartitionsSystemRepository } from '../repositories/system/partitions.system-repository';
import { Reconciler } from '../orchestrator/reconciler';
import { MedianRefresher } from '../orchestrator/median-refresher';
import { MediansSystemRepository } from '../repositories/system/medians.system-repository';
import { QueueRepository } from '../repositories/queue.repository';
import { DeadlinesSystemRepository } from '../repositories/system/deadlines.system-repository';
import { PhasesSystemRepository } from '../repositories/system/phases.system-repository';
import { ReconcilerSystemRepository } from '../repositories/system/reconciler.system-repository';
import { WebhooksSystemRepository } from '../repositories/system/webhooks.system-repository';
import { WebhookSender } from '../webhooks/webhook.sender';
import { WebhookWorker } from '../webhooks/webhook.worker';

@Module({
  imports: [CoreModule],
  providers: [
    ProbeRepository,
    { provide: ShutdownState, useFactory: () => new ShutdownState(0) },
    PhasesSystemRepository,
    ReconcilerSystemRepository,
    MediansSystemRepository,
    { provide: MedianRefresher, inject: [MediansSystemRepository], useFactory: (m: MediansSystemRepository) => new MedianRefresher(m) },
    {
      provide: WorkerHost,
      inject: [APP_CONFIG, PhasesSystemRepository, CourseOrchestrator, ModelGateway],
      useFactory: (c: AppConfig, phases: PhasesSystemRepository, o: CourseOrchestrator, g: ModelGateway) =>
        new WorkerHost(
          c.redisUrl,
          c.queuePrefix,
          c.workerConcurrency,
          new PhaseRunner(phases, o, g, `${hostname()}-${process.pid}`),
          phaseHandlers(),
          cancelChannel(c.queuePrefix),
          `${hostname()}-${process.pid}`,
          { shutdownGraceMs: c.shutdownGraceMs, lockMs: c.jobLockMs },
        ),
    },
    {
      provide: WebhookWorker,
      inject: [APP_CONFIG, WebhooksSystemRepository],
      useFactory: (c: AppConfig, deliveries: WebhooksSystemRepository) =>
        new WebhookWorker(c.redisUrl, c.queuePrefix, new WebhookSender(deliveries, c.webhooks.allowHosts)),
    },
    {
      provide: Reconciler,
      inject: [ReconcilerSystemRepository, QueueRepository],
      useFactory: (repo: ReconcilerSystemRepository, q: QueueRepository) => new Reconciler(repo, q),
    },
    {
      provide: DeadlineSweeper,
      inject: [DeadlinesSystemRepository, CourseOrchestrator],
      useFactory: (deadlines: DeadlinesSystemRepository, o: CourseOrchestrator) => new DeadlineSweeper(deadlines, o),
    },
    PartitionsSystemRepository,
    {
      provide: PartitionKeeper,
      inject: [PartitionsSystemRepository, APP_CONFIG],
      useFactory: (partitions: PartitionsSystemRepository, c: AppConfig) => new PartitionKeeper(partitions, c.partitions),
    },
  ],
})
export class WorkerModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly host: WorkerHost,
    private readonly webhooks: WebhookWorker,
    private readonly deadlines: DeadlineSweeper,
    private readonly reconciler: Reconciler,
    private readonly medians: MedianRefresher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly probe: ProbeRepository,
    @Inject(REDIS) private readonly redis: IORedis,
    private readonly shutdown: ShutdownState,
    private readonly partitions: PartitionKeeper,
  ) {}

  private probeServer: Server | null = null;

  async onApplicationBootstrap(): Promise<void> {
    this.host.start();
    this.webhooks.start();
    this.deadlines.start(this.config.deadlineSweepMs);
    this.reconciler.start(this.config.reconcileMs);
    this.partitions.start(this.config.partitions.sweepMs);
    this.medians.start(this.config.medianRefreshMs);
    if (this.config.workerHealthPort > 0) {
      this.probeServer = await startWorkerProbeServer(this.config.workerHealthPort, this.config.host, {
        stopping: () => this.shutdown.stopping,
        checks: {
          postgres: () => this.probe.ping(),
          redis: () => this.redis.ping(),
          workers: async () => {
            const phases = this.host.consuming();
            if (!phases.ok) throw new Error(phases.reason);
            if (!this.webhooks.isRunning()) throw new Error('webhook worker not running');
          },
        },
        metrics: { token: this.config.metricsToken, render: async () => ({ contentType: processRegistry.contentType, body: await processRegistry.metrics() }) },
      });
      new Logger('WorkerModule').log(`probes on http://${this.config.host}:${this.config.workerHealthPort}/health/live and /health/ready, metrics at /metrics`);
    }
  }

  /**
   * SIGTERM: before anything shared (Postgres, Redis, the relay) closes, stop taking
   * jobs and let the running ones finish within SHUTDOWN_GRACE_MS; the rest go back to
   * the queue for another worker.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.deadlines.stop();
    this.reconciler.stop();
    this.partitions.stop();
    this.medians.stop();
    const handedBack = await this.host.stop();
    new Logger('WorkerModule').log(`stopped taking jobs; ${handedBack} handed back`);
  }

  async onApplicationShutdown(): Promise<void> {
    await closeWorkerProbeServer(this.probeServer);
    await this.webhooks.stop();
  }
}
