// Approval gates' deadlines: set by the relay when a gate asks for approval (the
// organization's or course's SLA), claimed by the deadline sweeper once due.
import { Injectable } from '@nestjs/common';
import { SystemDb } from './system-db';

export interface DueDeadline {
  course_id: string;
  gate_key: string;
}

@Injectable()
export class DeadlinesSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /** A gate's deadline `slaMinutes` from now; a deadline the gate has already is kept. */
  async setDeadline(courseId: string, gateKey: string, stage: number, slaMinutes: number): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO gate_deadlines (course_id, gate_key, stage, due_at) VALUES ($1, $2, $3, now() + make_interval(mins => $4))
       ON CONFLICT DO NOTHING`,
      [courseId, gateKey, stage, slaMinutes],
    );
  }

  /** Marks up to 100 due deadlines escalated (SKIP LOCKED: sweepers never take the same one) and returns them. */
  claimDue(): Promise<DueDeadline[]> {
    return this.db.autocommit.query<DueDeadline>(
      `UPDATE gate_deadlines SET escalated_at = now()
        WHERE (course_id, gate_key) IN (
          SELECT course_id, gate_key FROM gate_deadlines WHERE escalated_at IS NULL AND due_at <= now()
          ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED)
        RETURNING course_id, gate_key`,
    );
  }
}
