// Keeps the month partitions of traces and history ahead of time (PARTITION_MONTHS_AHEAD)
// and, when RETENTION_MONTHS is set, drops the months older than that by detaching their
// partitions. Runs in every worker at start-up and every PARTITION_SWEEP_MS; an advisory
// lock makes concurrent workers take turns.
import { Logger } from '@nestjs/common';
import type { PartitionsSystemRepository } from '../repositories/system/partitions.system-repository';

export interface PartitionPolicy {
  monthsAhead: number;
  /** months kept, the current one included; 0 keeps everything */
  retentionMonths: number;
}

/** The first instant not kept: the start of the month `retentionMonths - 1` months before now's (UTC). */
export function retentionCutoff(now: Date, retentionMonths: number): Date | null {
  if (retentionMonths <= 0) return null;
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (retentionMonths - 1), 1));
}

export class PartitionKeeper {
  private readonly logger = new Logger('PartitionKeeper');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly partitions: PartitionsSystemRepository,
    private readonly policy: PartitionPolicy,
  ) {}

  start(everyMs: number): void {
    const tick = () => void this.sweep().catch((e) => this.logger.warn(`partition upkeep failed: ${e}`));
    tick();
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<{ made: number; dropped: string[] }> {
    const made = await this.partitions.ensureAhead(this.policy.monthsAhead);
    const cutoff = retentionCutoff(now, this.policy.retentionMonths);
    const dropped = cutoff ? await this.partitions.dropBefore(cutoff) : [];
    if (made) this.logger.log(`created ${made} month partition(s)`);
    if (dropped.length) this.logger.log(`retention (${this.policy.retentionMonths} months): dropped ${dropped.join(', ')}`);
    return { made, dropped };
  }
}
