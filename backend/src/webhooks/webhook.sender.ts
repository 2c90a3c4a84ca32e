// Delivers one webhook: checks the URL again against fresh DNS, signs the body as
// Standard Webhooks says, POSTs it, and records the attempt. A failure throws, so
// BullMQ retries the delivery with backoff and jitter under the same webhook-id.
import { Logger } from '@nestjs/common';
import type { WebhooksSystemRepository } from '../repositories/system/webhooks.system-repository';
import { safeFetch } from './safe-fetch';
import { signatures } from './signature';
import { checkWebhookUrl } from './url-guard';

export interface WebhookJob {
  deliveryId: string;
}

export class WebhookRefusedError extends Error {}

export class WebhookSender {
  private readonly logger = new Logger('WebhookSender');

  constructor(
    private readonly deliveries: WebhooksSystemRepository,
    private readonly allowHosts: string[],
    private readonly now: () => number = () => Date.now(),
  ) {}

  async deliver(deliveryId: string, attempt: number): Promise<'delivered' | 'refused' | 'gone'> {
    const d = await this.deliveries.deliveryToSend(deliveryId);
    if (!d || d.status === 'delivered' || d.status === 'refused') return 'gone';
    const check = await checkWebhookUrl(d.url, this.allowHosts);
    if (!check.ok) {
      await this.record(deliveryId, attempt, null, `refused: ${check.reason}`, 0, 'refused');
      return 'refused';
    }
    const body = JSON.stringify(d.payload);
    const timestamp = Math.floor(this.now() / 1000);
    const started = Date.now();
    try {
      // Connects only to an address that passes the same check; a redirect is the answer, never followed.
      const res = await safeFetch(
        check.url,
        {
          method: 'POST',
          signal: AbortSignal.timeout(10_000),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'mission-control-webhooks',
            'webhook-id': d.id,
            'webhook-timestamp': String(timestamp),
            // During a rotation's overlap both secrets sign (Standard Webhooks: space-separated).
            'webhook-signature': signatures([d.webhook_secret, d.webhook_secret_previous], d.id, timestamp, body),
          },
          body,
        },
        { allowHosts: this.allowHosts },
      );
      await res.body?.cancel().catch(() => undefined);
      const ok = res.status >= 200 && res.status < 300;
      await this.record(deliveryId, attempt, res.status, ok ? null : `answered ${res.status}`, Date.now() - started, ok ? 'delivered' : 'pending');
      if (!ok) throw new Error(`webhook ${d.id} answered ${res.status}`);
      return 'delivered';
    } catch (err) {
      if (!(err instanceof Error && err.message.startsWith('webhook '))) {
        await this.record(deliveryId, attempt, null, (err as Error).message.slice(0, 500), Date.now() - started, 'pending');
      }
      throw err;
    }
  }

  async markFailed(deliveryId: string): Promise<void> {
    await this.deliveries.markFailed(deliveryId);
  }

  private async record(
    id: string,
    attempt: number,
    statusCode: number | null,
    error: string | null,
    ms: number,
    status: 'delivered' | 'pending' | 'refused',
  ): Promise<void> {
    await this.deliveries.recordAttempt({ deliveryId: id, attempt, statusCode, error, durationMs: ms, status });
  }
}
