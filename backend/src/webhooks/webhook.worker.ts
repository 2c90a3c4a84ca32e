// The webhooks queue's worker (worker process only): one job per delivery, retried by
// BullMQ with exponential backoff and jitter; the last failed attempt marks it failed.
import { Logger } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { QueueName } from '../jobs/job.names';
import type { WebhookJob, WebhookSender } from './webhook.sender';

export class WebhookWorker {
  private readonly logger = new Logger('WebhookWorker');
  private worker: Worker | null = null;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly sender: WebhookSender,
  ) {}

  start(): void {
    this.worker = new Worker<WebhookJob>(QueueName.Webhooks, (job) => this.process(job), {
      connection: new IORedis(this.redisUrl, { maxRetriesPerRequest: null }),
      prefix: this.prefix,
      concurrency: 16,
    });
    this.worker.on('error', (err) => this.logger.warn(err.message));
  }

  /** Started, taking jobs and not closing (the worker's readiness probe). */
  isRunning(): boolean {
    return !!this.worker && this.worker.isRunning() && !this.worker.closing;
  }

  private async process(job: Job<WebhookJob>): Promise<string> {
    const attempt = job.attemptsMade + 1;
    try {
      return await this.sender.deliver(job.data.deliveryId, attempt);
    } catch (err) {
      if (attempt >= (job.opts.attempts ?? 1)) await this.sender.markFailed(job.data.deliveryId);
      throw err;
    }
  }

  async stop(): Promise<void> {
    await this.worker?.close();
    await this.worker?.disconnect().catch(() => undefined);
  }
}
