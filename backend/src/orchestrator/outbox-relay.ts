// Carries out committed effects: enqueue phase jobs, publish live events, remove a
// cancelled run's jobs, call webhooks. Rows are claimed with SKIP LOCKED, so any number
// of processes may drain at once; a row is marked done only after its effect went
// through, and every effect is idempotent (deterministic job ids), so a crash between
// the two repeats an effect harmlessly instead of losing it.
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TIER_PRIORITY } from '../jobs/job.names';
import type { CourseEffect } from '../pipeline/course.types';
import { LivePublisher, orgRoom } from '../repositories/live.publisher';
import type { QueueRepository } from '../repositories/queue.repository';
import type { LiveMessage } from './outbox.types';
import type { OutboxSink } from './course-orchestrator';

interface OutboxRow {
  id: string;
  course_id: string | null;
  kind: string;
  payload: Record<string, unknown>;
  tier: string | null;
  webhook_url: string | null;
  organization_id: string | null;
  sla_minutes: number | null;
}

export interface RelayOptions {
  webhookAttempts: number;
  webhookBackoffMs: number;
  /** tells running jobs of a cancelled run to stop */
  signalCancel: (courseId: string, run: number) => Promise<void>;
}

export const cancelChannel = (prefix: string) => `${prefix}-cancel`;

/** How long a sweep leaves a live row to the process that wrote it. */
export const LIVE_GRACE_SECONDS = 5;

export class OutboxRelay implements OutboxSink {
  private readonly logger = new Logger('OutboxRelay');
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<number> | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly queues: QueueRepository,
    private readonly live: LivePublisher,
    private readonly options: RelayOptions,
  ) {}

  start(pollMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.drain().catch((e) => this.logger.warn(`sweep failed: ${e}`)), pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.draining?.catch(() => undefined);
    await this.marking?.catch(() => undefined);
  }

  /**
   * Processes the given rows now, or (without ids) every pending row; `published`: live
   * rows already sent by publishNow. A sweep leaves live rows younger than
   * LIVE_GRACE_SECONDS to the process that wrote them (it publishes and marks them within
   * milliseconds), so a sweep elsewhere never sends an old state after a newer one.
   */
  async drain(ids?: string[], published: string[] = []): Promise<number> {
    const run = this.drainOnce(ids, published, false);
    if (!ids) this.draining = run;
    return run;
  }

  /** The start-up sweep: every pending row, fresh live rows included (their writer may be the process that died). */
  recover(): Promise<number> {
    const run = this.drainOnce(undefined, [], true);
    this.draining = run;
    return run;
  }

  publishNow(message: LiveMessage): void {
    this.live.publish(message);
  }

  private marking: Promise<void> | null = null;
  private toMark: { ids: string[]; waiters: { resolve: () => void; reject: (e: unknown) => void }[] } | null = null;

  /**
   * Marks live rows published by publishNow as done: one UPDATE for all that arrive while
   * the previous one runs. Should it never happen (a crash, a blip), the sweep publishes
   * the row again, which a dashboard takes as the same state twice.
   */
  markPublished(ids: string[]): Promise<void> {
    const batch = this.toMark ?? (this.toMark = { ids: [], waiters: [] });
    batch.ids.push(...ids);
    const done = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (!this.marking) this.marking = this.flushMarks();
    return done;
  }

  private async flushMarks(): Promise<void> {
    while (this.toMark) {
      const batch = this.toMark;
      this.toMark = null;
      try {
        await this.ds.query(`UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`, [batch.ids]);
        for (const w of batch.waiters) w.resolve();
      } catch (err) {
        for (const w of batch.waiters) w.reject(err);
      }
    }
    this.marking = null;
  }

  private async drainOnce(ids: string[] | undefined, published: string[], fresh: boolean): Promise<number> {
    return this.ds.transaction(async (em) => {
      const rows: (OutboxRow & { superseded: boolean })[] = await em.query(
        `SELECT o.id, o.course_id, o.kind, o.payload, org.tier, c.webhook_url, c.organization_id,
                coalesce(c.approval_sla_minutes, org.approval_sla_minutes) AS sla_minutes,
                (o.kind = 'publishLive' AND EXISTS (
                   SELECT 1 FROM outbox n WHERE n.course_id = o.course_id AND n.kind = 'publishLive' AND n.id > o.id)) AS superseded
           FROM outbox o
           LEFT JOIN courses c ON c.id = o.course_id
           LEFT JOIN organizations org ON org.id = c.organization_id
          WHERE o.processed_at IS NULL AND o.attempts < 20
            ${ids ? 'AND o.id = ANY($1::bigint[])' : fresh ? '' : `AND (o.kind <> 'publishLive' OR o.created_at < now() - make_interval(secs => ${LIVE_GRACE_SECONDS}))`}
          ORDER BY o.id
          LIMIT 500
          FOR UPDATE OF o SKIP LOCKED`,
        ids ? [ids] : [],
      );
      const done: string[] = [];
      for (const row of rows) {
        try {
          // A live row already sent, or one a newer update of its course supersedes, is only marked done.
          const skip = row.kind === 'publishLive' && (published.includes(String(row.id)) || row.superseded);
          if (!skip) await this.carryOut(row);
          done.push(String(row.id));
        } catch (err) {
          await em.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [row.id, String(err).slice(0, 1000)]);
        }
      }
      if (done.length) await em.query(`UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [done]);
      return rows.length;
    });
  }

  private async carryOut(row: OutboxRow): Promise<void> {
    const effect = row.payload as unknown as CourseEffect & { organizationId?: string };
    switch (row.kind) {
      case 'enqueuePhases': {
        const priority = TIER_PRIORITY[row.tier ?? 'standard'] ?? 2;
        for (const job of (effect as Extract<CourseEffect, { type: 'enqueuePhases' }>).jobs) {
          await this.queues.enqueuePhase(job, priority);
        }
        return;
      }
      case 'publishLive':
        this.live.publish(row.payload as unknown as LiveMessage);
        return;
      case 'requestApproval': {
        const e = effect as Extract<CourseEffect, { type: 'requestApproval' }> & { organizationId: string };
        if (row.sla_minutes && row.course_id) {
          await this.ds.query(
            `INSERT INTO gate_deadlines (course_id, gate_key, stage, due_at) VALUES ($1, $2, $3, now() + make_interval(mins => $4))
             ON CONFLICT DO NOTHING`,
            [row.course_id, e.gateKey, e.stage, row.sla_minutes],
          );
        }
        this.live.publish({ room: orgRoom(e.organizationId), event: 'approval.requested', payload: { courseId: row.course_id, stage: e.stage, gateKey: e.gateKey, slaMinutes: row.sla_minutes } });
        return;
      }
      case 'escalate': {
        const e = effect as Extract<CourseEffect, { type: 'escalate' }> & { organizationId: string };
        await this.ds.query(
          `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
           SELECT 'approval_escalated', 'warn', $1, $2, $3, $4
            WHERE NOT EXISTS (SELECT 1 FROM system_metrics WHERE metric_type = 'approval_escalated' AND course_id = $2 AND metadata->>'gateKey' = $5)`,
          [e.organizationId, row.course_id, `stage ${e.stage} approval is past its deadline`, { stage: e.stage, gateKey: e.gateKey }, e.gateKey],
        );
        this.live.publish({ room: orgRoom(e.organizationId), event: 'approval.escalated', payload: { courseId: row.course_id, stage: e.stage, gateKey: e.gateKey } });
        return;
      }
      case 'cancelRun': {
        const run = (effect as Extract<CourseEffect, { type: 'cancelRun' }>).run;
        if (row.course_id) {
          await this.queues.removeRunJobs(row.course_id, run);
          await this.options.signalCancel(row.course_id, run);
        }
        return;
      }
      case 'notifyWebhook': {
        if (!row.webhook_url || !row.course_id || !row.organization_id) return;
        const event = (effect as Extract<CourseEffect, { type: 'notifyWebhook' }>).event;
        // One delivery per outbox row: its id is the webhook-id on every attempt.
        const deliveryId = `msg_${row.course_id.replace(/-/g, '')}_${row.id}`;
        const payload = { type: `course.${event}`, timestamp: new Date().toISOString(), data: { courseId: row.course_id, ...effect } };
        await this.ds.query(
          `INSERT INTO webhook_deliveries (id, course_id, organization_id, event, url, payload) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (id) DO NOTHING`,
          [deliveryId, row.course_id, row.organization_id, `course.${event}`, row.webhook_url, payload],
        );
        await this.queues.enqueueWebhook(deliveryId, this.options.webhookAttempts, this.options.webhookBackoffMs);
        return;
      }
      case 'budgetThreshold': {
        // Written by the budget trigger in the transaction of the trace that crossed it.
        const b = row.payload as { organizationId: string; courseId: string | null; month: string; threshold: number; spentUsd: string; budgetUsd: string; url: string | null; crossedAt: string };
        const data = { month: b.month, threshold: b.threshold, spentUsd: b.spentUsd, budgetUsd: b.budgetUsd, courseId: b.courseId, crossedAt: b.crossedAt };
        this.live.publish({ room: orgRoom(b.organizationId), event: 'cost.updated', payload: { organizationId: b.organizationId, month: b.month, spentUsd: b.spentUsd, budgetUsd: b.budgetUsd } });
        this.live.publish({ room: orgRoom(b.organizationId), event: 'budget.threshold', payload: data });
        if (!b.url) return;
        const deliveryId = `msg_budget_${b.organizationId.replace(/-/g, '')}_${b.month.replace('-', '')}_${b.threshold}`;
        await this.ds.query(
          `INSERT INTO webhook_deliveries (id, course_id, organization_id, event, url, payload) VALUES ($1, $2, $3, 'budget.threshold', $4, $5)
           ON CONFLICT (id) DO NOTHING`,
          [deliveryId, b.courseId, b.organizationId, b.url, { type: 'budget.threshold', timestamp: b.crossedAt, data }],
        );
        await this.queues.enqueueWebhook(deliveryId, this.options.webhookAttempts, this.options.webhookBackoffMs);
        return;
      }
      default:
        throw new Error(`unknown outbox kind ${row.kind}`);
    }
  }
}
