// Refreshes the ETA's phase-duration medians in the background (at start-up and every
// MEDIAN_REFRESH_MS), so the status route never computes them inside a request.
import { Logger } from '@nestjs/common';
import type { MediansSystemRepository } from '../repositories/system/medians.system-repository';

export class MedianRefresher {
  private readonly logger = new Logger('MedianRefresher');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly medians: MediansSystemRepository) {}

  start(everyMs: number): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One refresh at a time: a slow one is not joined by the next tick. */
  private tick(): void {
    if (this.running) return;
    this.running = this.medians
      .refresh()
      .catch((e) => this.logger.warn(`median refresh failed: ${e}`))
      .finally(() => (this.running = null));
  }
}
