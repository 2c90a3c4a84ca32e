// The worker process: the shared providers plus the BullMQ workers that run phases.
import { Inject, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hostname } from 'node:os';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ModelGateway } from '../gateway/model-gateway';
import { phaseHandlers } from '../jobs/handlers';
import { PhaseRunner } from '../jobs/phase-runner';
import { WorkerHost } from '../jobs/worker.host';
import { CourseOrchestrator } from '../orchestrator/course-orchestrator';
import { CoreModule } from './core.module';

@Module({
  imports: [CoreModule],
  providers: [
    {
      provide: WorkerHost,
      inject: [APP_CONFIG, DataSource, CourseOrchestrator, ModelGateway],
      useFactory: (c: AppConfig, ds: DataSource, o: CourseOrchestrator, g: ModelGateway) =>
        new WorkerHost(c.redisUrl, c.queuePrefix, c.workerConcurrency, new PhaseRunner(ds, o, g, `${hostname()}-${process.pid}`), phaseHandlers()),
    },
  ],
})
export class WorkerModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(private readonly host: WorkerHost, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    this.host.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.host.stop();
  }
}
