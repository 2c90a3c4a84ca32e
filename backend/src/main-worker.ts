// The worker process: runs phase jobs from the BullMQ queues. Same code base as the API,
// started with the worker module.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkerModule } from './app/worker.module';
import { loadConfig } from './config/app-config';

export async function createWorker() {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: config.logLevels,
  });
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
