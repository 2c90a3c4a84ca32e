// Escalates approval gates past their deadline. Deadlines live in Postgres and are
// swept at start-up and every few seconds, so they fire whichever processes were
// restarted in between — no timer lives inside the machine or a process.
import { Logger } from '@nestjs/common';
import type { DeadlinesSystemRepository } from '../repositories/system/deadlines.system-repository';
import type { CourseOrchestrator } from './course-orchestrator';

export class DeadlineSweeper {
  private readonly logger = new Logger('DeadlineSweeper');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deadlines: DeadlinesSystemRepository,
    private readonly orchestrator: CourseOrchestrator,
  ) {}

  start(everyMs: number): void {
    void this.sweep().catch((e) => this.logger.warn(`sweep failed: ${e}`));
    this.timer = setInterval(() => void this.sweep().catch((e) => this.logger.warn(`sweep failed: ${e}`)), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    const due = await this.deadlines.claimDue();
    for (const d of due) {
      // Refused when the gate was decided meanwhile: nothing to escalate then.
      await this.orchestrator.apply(d.course_id, { type: 'ESCALATE', actor: { type: 'system', id: 'deadline-sweeper' }, gateKey: d.gate_key });
    }
    return due.length;
  }
}
