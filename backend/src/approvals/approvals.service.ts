// The reviewers' inbox: the organization's courses waiting at a gate, oldest first, with
// how long they have waited against the SLA, what the stage produced and, after a
// rejected attempt, what it produced the time before.
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/access.decorators';
import { Queryable, TenantDb } from '../repositories/tenant/tenant-db';
import { readStageOutput } from './stage-output';

export const INBOX_LIMIT = 100;

export interface ApprovalItem {
  courseId: string;
  title: string;
  stage: number;
  gateKey: string | null;
  /** review: the stage's output waits for a reviewer; budget: the projected cost passed the course's budget, finance decides */
  kind: 'review' | 'budget';
  budget: { projectedUsd: number; budgetUsd: number; spentUsd: number } | null;
  waitingSince: string;
  waitSeconds: number;
  slaMinutes: number | null;
  dueAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  costUsd: string;
  output: unknown;
  previous: { output: unknown; reasons: string[]; comment: string; rejectedAt: string } | null;
}

@Injectable()
export class ApprovalsService {
  constructor(private readonly tenant: TenantDb) {}

  /** Reviewers see review gates, finance budget gates, admins both. */
  inbox(user: AuthUser): Promise<ApprovalItem[]> {
    const kinds = user.role === 'reviewer' ? ['review'] : user.role === 'finance' ? ['budget'] : ['review', 'budget'];
    // Finance decides on numbers, never sees generated content.
    return this.tenant.run(user.organizationId, (db) => this.read(db, user.organizationId, kinds, user.role !== 'finance'));
  }

  private async read(db: Queryable, organizationId: string, kinds: string[], withContent: boolean): Promise<ApprovalItem[]> {
    const rows = await db.query(
      `WITH waiting AS (
         SELECT c.id, c.title, substring(c.generation_status FROM '^stage_(\\d)_')::int AS stage,
                c.machine_snapshot->'context'->'awaiting'->>'gateKey' AS gate_key,
                coalesce(c.machine_snapshot->'context'->'awaiting'->>'kind', 'review') AS kind,
                c.machine_snapshot->'context'->'awaiting'->'budget' AS budget,
                coalesce(c.approval_sla_minutes, o.approval_sla_minutes) AS sla_minutes,
                (SELECT max(h.created_at) FROM generation_status_history h
                  WHERE h.course_id = c.id AND h.to_status = c.generation_status) AS since
           FROM courses c JOIN organizations o ON o.id = c.organization_id
          WHERE c.organization_id = $1 AND c.generation_status LIKE 'stage\\__\\_awaiting\\_approval'
       )
       SELECT w.id AS "courseId", w.title, w.stage, w.gate_key AS "gateKey", w.kind, w.budget,
              coalesce(w.since, now()) AS "waitingSince",
              round(extract(epoch FROM now() - coalesce(w.since, now())))::int AS "waitSeconds",
              w.sla_minutes AS "slaMinutes",
              coalesce(d.due_at, w.since + make_interval(mins => w.sla_minutes)) AS "dueAt",
              d.escalated_at AS "escalatedAt",
              (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r WHERE r.course_id = w.id) AS "costUsd"
         FROM waiting w
         LEFT JOIN gate_deadlines d ON d.course_id = w.id AND d.gate_key = w.gate_key
        WHERE w.kind = ANY($2::text[])
        ORDER BY coalesce(w.since, now()), w.id
        LIMIT ${INBOX_LIMIT}`,
      [organizationId, kinds],
    );
    const items: ApprovalItem[] = [];
    for (const r of rows) {
      const item = {
        ...r,
        waitingSince: new Date(r.waitingSince).toISOString(),
        dueAt: r.dueAt ? new Date(r.dueAt).toISOString() : null,
        escalatedAt: r.escalatedAt ? new Date(r.escalatedAt).toISOString() : null,
        overdue: r.dueAt ? new Date(r.dueAt).getTime() <= Date.now() : false,
      };
      if (!withContent) {
        items.push({ ...item, output: null, previous: null });
        continue;
      }
      const [prev] = await db.query(
        `SELECT output, reasons, comment, created_at FROM stage_output_attempts
          WHERE course_id = $1 AND stage = $2 ORDER BY id DESC LIMIT 1`,
        [r.courseId, r.stage],
      );
      items.push({
        ...item,
        output: await readStageOutput(db, r.courseId, r.stage),
        previous: prev ? { output: prev.output, reasons: prev.reasons, comment: prev.comment, rejectedAt: new Date(prev.created_at).toISOString() } : null,
      });
    }
    return items;
  }
}
