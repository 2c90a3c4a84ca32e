// The worker process: runs phase jobs from the BullMQ queues. Same code base as the API,
// started with the worker module.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './app/worker.module';
import { loadConfig } from './config/app-config';
import { createRootLogger, nestLogger } from './observability/logger';
import { startProcessMetrics } from './observability/metrics';
import { startTelemetry } from './observability/telemetry';

export async function createWorker() {
  const config = loadConfig();
  await startTelemetry(config, 'worker');
  startProcessMetrics('worker');
  const logger = createRootLogger(config, 'worker');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(nestLogger(logger));
  app.enableShutdownHooks();
  return app;
}

if (require.main === module) {
  createWorker()
    .then(() => new Logger('worker').log('Mission Control worker started'))
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
