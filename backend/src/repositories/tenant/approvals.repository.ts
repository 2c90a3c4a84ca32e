// Gate decisions and the approvals inbox: who decided what at which gate, and what each stage produced (the attempts a reviewer compares).
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';
import type { Escalation } from '../../pipeline/escalation';
import { AWAITING_STATES } from './courses.repository';

export const INBOX_LIMIT = 100;

/** A course waiting at a gate, as the inbox query returns it. */
export interface WaitingCourseRow {
  courseId: string;
  title: string;
  stage: number;
  gateKey: string | null;
  kind: 'review' | 'budget';
  budget: { projectedUsd: number; budgetUsd: number; spentUsd: number } | null;
  waitingSince: Date;
  waitSeconds: number;
  slaMinutes: number | null;
  dueAt: Date | null;
  escalatedAt: Date | null;
  /** who escalated it, as the course's machine keeps it (null before it is escalated) */
  escalation: Escalation | null;
  costUsd: string;
  /** what the stage cost in its last run: the estimate of running it again */
  rerunEstimateUsd: string;
  /** what the stage produced (null unless asked for) */
  output: unknown;
  /** the stage's last rejected attempt (null unless asked for, or none) */
  previous: RejectedAttemptRow | null;
}

/** A person who may decide a gate. */
export interface DeciderRow {
  name: string;
  email: string;
  role: string;
}

/** A stage output a reviewer rejected, kept for comparison with the next attempt. */
export interface RejectedAttemptRow {
  output: unknown;
  reasons: string[];
  comment: string;
  created_at: Date;
}

export interface Decision {
  courseId: string;
  stage: number;
  gateKey: string;
  decision: 'approved' | 'rejected';
  action: string;
  decidedBy: string;
  decidedRole: string;
  comment: string;
  reasons: string[];
}

export interface TimelineDecisionRow {
  at: Date;
  kind: 'approval';
  label: string;
  stage: string;
  phase: null;
  comment: string;
  reasons: string[];
  role: string;
}

export class ApprovalsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /**
   * The organization's courses waiting at a gate of the given kinds (or the one course
   * given), in one statement: overdue and escalated first, then by due time, then oldest.
   * Found through the (organization_id, generation_status) index (equality on the five
   * awaiting states: under row-level security LIKE is never an index condition). The wait
   * counts from when the gate opened (courses.generation_status_since): an escalation does
   * not restart it. With `withContent` also what the stage produced and its last rejected
   * attempt, without a query per item.
   */
  waiting(kinds: string[], courseId: string | null = null, withContent = false): Promise<WaitingCourseRow[]> {
    return this.db.query<WaitingCourseRow>(
      `WITH waiting AS (
         SELECT c.id, c.title, substring(c.generation_status FROM '^stage_(\\d)_')::int AS stage,
                c.machine_snapshot->'context'->'awaiting'->>'gateKey' AS gate_key,
                coalesce(c.machine_snapshot->'context'->'awaiting'->>'kind', 'review') AS kind,
                c.machine_snapshot->'context'->'awaiting'->'budget' AS budget,
                c.machine_snapshot->'context'->'awaiting'->'escalation' AS escalation,
                coalesce(c.approval_sla_minutes, o.approval_sla_minutes) AS sla_minutes,
                coalesce(c.generation_status_since, (SELECT max(h.created_at) FROM generation_status_history h
                  WHERE h.course_id = c.id AND h.to_status = c.generation_status AND h.from_status <> h.to_status)) AS since
           FROM courses c JOIN organizations o ON o.id = c.organization_id
          WHERE c.organization_id = $1 AND c.generation_status = ANY($3::text[])
            AND ($5::uuid IS NULL OR c.id = $5)
       ), gated AS (
         -- no SLA, no due time (an "escalate now" writes a deadline row all the same)
         SELECT w.*, CASE WHEN w.sla_minutes IS NOT NULL THEN coalesce(d.due_at, w.since + make_interval(mins => w.sla_minutes)) END AS due_at, d.escalated_at
           FROM waiting w
           LEFT JOIN gate_deadlines d ON d.course_id = w.id AND d.gate_key = w.gate_key
          WHERE w.kind = ANY($2::text[])
       )
       SELECT g.id AS "courseId", g.title, g.stage, g.gate_key AS "gateKey", g.kind, g.budget,
              coalesce(g.since, now()) AS "waitingSince",
              round(extract(epoch FROM now() - coalesce(g.since, now())))::int AS "waitSeconds",
              g.sla_minutes AS "slaMinutes", g.due_at AS "dueAt", g.escalated_at AS "escalatedAt", g.escalation,
              (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r WHERE r.course_id = g.id) AS "costUsd",
              (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r
                WHERE r.course_id = g.id AND r.stage = 'stage_' || g.stage) AS "rerunEstimateUsd",
              CASE WHEN $4::boolean THEN
                CASE g.stage
                  WHEN 4 THEN (SELECT c.analysis_result FROM courses c WHERE c.id = g.id)
                  WHEN 5 THEN (SELECT c.course_structure FROM courses c WHERE c.id = g.id)
                  WHEN 6 THEN (SELECT coalesce(jsonb_agg(jsonb_build_object('ordinal', l.ordinal, 'title', l.title, 'status', l.status) ORDER BY l.ordinal), '[]')
                                 FROM lessons l WHERE l.course_id = g.id)
                  ELSE (SELECT coalesce(jsonb_agg(jsonb_build_object('filename', f.filename, 'chunks', jsonb_array_length(coalesce(f.chunks, '[]'::jsonb)), 'summary', f.summary) ORDER BY f.ordinal), '[]')
                          FROM course_documents f WHERE f.course_id = g.id)
                END
              END AS output,
              CASE WHEN $4::boolean THEN
                (SELECT jsonb_build_object('output', a.output, 'reasons', to_jsonb(a.reasons), 'comment', a.comment, 'created_at', a.created_at)
                   FROM stage_output_attempts a WHERE a.course_id = g.id AND a.stage = g.stage ORDER BY a.id DESC LIMIT 1)
              END AS previous
         FROM gated g
        ORDER BY coalesce(g.escalated_at IS NOT NULL OR g.due_at <= now(), false) DESC, g.due_at NULLS LAST, coalesce(g.since, now()), g.id
        LIMIT ${INBOX_LIMIT}`,
      [this.organizationId, kinds, AWAITING_STATES, withContent, courseId],
    );
  }

  /** The organization's enabled users of the given roles: who may decide a gate. */
  deciders(roles: readonly string[]): Promise<DeciderRow[]> {
    return this.db.query<DeciderRow>(
      `SELECT u.name, u.email, u.role FROM users u
        WHERE u.organization_id = $1 AND u.role = ANY($2::text[]) AND u.disabled_at IS NULL
        ORDER BY u.role DESC, u.name, u.email LIMIT 20`,
      [this.organizationId, roles],
    );
  }

  /** Marks a gate escalated now (a person asked for it before its deadline); false when it already was. */
  async markEscalated(courseId: string, gateKey: string, stage: number): Promise<boolean> {
    const rows = await this.db.query<{ course_id: string }>(
      `INSERT INTO gate_deadlines (course_id, gate_key, stage, due_at, escalated_at) VALUES ($1, $2, $3, now(), now())
       ON CONFLICT (course_id, gate_key) DO UPDATE SET escalated_at = now() WHERE gate_deadlines.escalated_at IS NULL
       RETURNING course_id`,
      [courseId, gateKey, stage],
    );
    return rows.length > 0;
  }

  /**
   * What a stage produced, as a reviewer reads it at its gate: the document summaries
   * (stages 2 and 3), the analysis (4), the course structure (5), the lessons (6).
   */
  async stageOutput(courseId: string, stage: number): Promise<unknown> {
    switch (stage) {
      case 4:
        return (await this.db.query<{ o: unknown }>(`SELECT analysis_result AS o FROM courses WHERE id = $1`, [courseId]))[0]?.o ?? null;
      case 5:
        return (await this.db.query<{ o: unknown }>(`SELECT course_structure AS o FROM courses WHERE id = $1`, [courseId]))[0]?.o ?? null;
      case 6:
        return this.db.query<{ ordinal: number; title: string; status: string }>(
          `SELECT ordinal, title, status FROM lessons WHERE course_id = $1 ORDER BY ordinal`,
          [courseId],
        );
      default:
        return this.db.query<{ filename: string; chunks: number; summary: unknown }>(
          `SELECT filename, jsonb_array_length(coalesce(chunks, '[]'::jsonb)) AS chunks, summary
             FROM course_documents WHERE course_id = $1 ORDER BY ordinal`,
          [courseId],
        );
    }
  }

  /** Keeps the output a reviewer rejected, before a rerun overwrites it. */
  async keepRejectedOutput(courseId: string, stage: number, userId: string, reasons: string[], comment: string): Promise<void> {
    const output = await this.stageOutput(courseId, stage);
    await this.db.query(
      `INSERT INTO stage_output_attempts (course_id, organization_id, stage, run, output, rejected_by, reasons, comment)
       SELECT id, organization_id, $2, generation_run, $3::jsonb, $4, $5, $6 FROM courses WHERE id = $1`,
      [courseId, stage, JSON.stringify(output), userId, reasons, comment],
    );
  }

  /** A person's decision at a gate. */
  async recordDecision(d: Decision): Promise<void> {
    await this.db.query(
      `INSERT INTO approvals (course_id, organization_id, stage, gate_key, decision, action, decided_by, decided_role, comment, reasons)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [d.courseId, this.organizationId, d.stage, d.gateKey, d.decision, d.action, d.decidedBy, d.decidedRole, d.comment, d.reasons],
    );
  }

  /** The course's decisions as timeline entries. */
  timelineEntries(courseId: string, limit: number): Promise<TimelineDecisionRow[]> {
    return this.db.query<TimelineDecisionRow>(
      `SELECT a.created_at AS at, 'approval' AS kind, a.decision || ' stage ' || a.stage || ' (' || a.action || ')' AS label,
              'stage_' || a.stage AS stage, NULL AS phase, a.comment, a.reasons, a.decided_role AS role
         FROM approvals a WHERE a.course_id = $1 ORDER BY a.created_at LIMIT ${Number(limit)}`,
      [courseId],
    );
  }
}
