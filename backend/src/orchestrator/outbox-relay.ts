// Carries out committed effects: enqueue phase jobs, publish live events, remove a
// cancelled run's jobs, call webhooks. Rows are claimed with SKIP LOCKED, so any number
// of processes may drain at once; a row is marked done only after its effect went
// through, and every effect is idempotent (deterministic job ids), so a crash between
// the two repeats an effect harmlessly instead of losing it.
import { detached } from '../repositories/system/system-db';
import { Logger } from '@nestjs/common';
import { TIER_PRIORITY } from '../jobs/job.names';
import type { CourseEffect } from '../pipeline/course.types';
import { escalationAlertMessage } from '../pipeline/escalation';
import { webhookMessage } from '../courses/status-messages';
import { coursePayload, WEBHOOK_EVENT_TYPES } from '../webhooks/webhook-payload';
import { LivePublisher, orgRoom } from '../repositories/live.publisher';
import type { QueueRepository } from '../repositories/queue.repository';
import type { LiveMessage } from './outbox.types';
import type { OutboxSink } from './course-orchestrator';
import type { OutboxRow, OutboxSystemRepository } from '../repositories/system/outbox.system-repository';
import type { DeadlinesSystemRepository } from '../repositories/system/deadlines.system-repository';
import type { WebhooksSystemRepository } from '../repositories/system/webhooks.system-repository';
import type { AlertsSystemRepository } from '../repositories/system/alerts.system-repository';

/** What the relay reads and writes: the outbox, and the rows some effects add. */
export interface RelayRepositories {
  outbox: OutboxSystemRepository;
  deadlines: DeadlinesSystemRepository;
  webhooks: WebhooksSystemRepository;
  alerts: AlertsSystemRepository;
}

export interface RelayOptions {
  webhookAttempts: number;
  webhookBackoffMs: number;
  /** the dashboard's address, for the course links in webhook payloads */
  publicUrl: string;
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
    private readonly repos: RelayRepositories,
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
        await this.repos.outbox.markPublished(batch.ids);
        for (const w of batch.waiters) w.resolve();
      } catch (err) {
        for (const w of batch.waiters) w.reject(err);
      }
    }
    this.marking = null;
  }

  private async drainOnce(ids: string[] | undefined, published: string[], fresh: boolean): Promise<number> {
    return this.repos.outbox.drain(async (tx) => {
      const rows = await tx.claimPending({ ids, fresh, liveGraceSeconds: LIVE_GRACE_SECONDS });
      const done: string[] = [];
      for (const row of rows) {
        try {
          // A live row already sent, or one a newer update of its course supersedes, is only marked done.
          const skip = row.kind === 'publishLive' && (published.includes(String(row.id)) || row.superseded);
          // An effect's own statements are not the drain's: they commit on their own while the row stays claimed.
          if (!skip) await detached(() => this.carryOut(row));
          done.push(String(row.id));
        } catch (err) {
          await tx.recordFailure(String(row.id), String(err).slice(0, 1000));
        }
      }
      if (done.length) await tx.markDone(done);
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
          await this.repos.deadlines.setDeadline(row.course_id, e.gateKey, e.stage, row.sla_minutes);
        }
        this.live.publish({
          room: orgRoom(e.organizationId, 'approval.requested'),
          event: 'approval.requested',
          payload: { courseId: row.course_id, stage: e.stage, gateKey: e.gateKey, slaMinutes: row.sla_minutes },
        });
        return;
      }
      case 'escalate': {
        const e = effect as Extract<CourseEffect, { type: 'escalate' }> & { organizationId: string };
        // Who escalated it: a person's "escalate now" or the deadline (rows from before it was carried: the deadline).
        const escalation = e.escalation ?? { reason: 'deadline' as const, by: null };
        await this.repos.alerts.recordEscalationOnce({
          organizationId: e.organizationId,
          courseId: row.course_id,
          gateKey: e.gateKey,
          message: escalationAlertMessage(e.stage, escalation),
          metadata: { stage: e.stage, gateKey: e.gateKey, reason: escalation.reason, by: escalation.by },
        });
        this.live.publish({
          room: orgRoom(e.organizationId, 'approval.escalated'),
          event: 'approval.escalated',
          payload: { courseId: row.course_id, stage: e.stage, gateKey: e.gateKey, reason: escalation.reason, by: escalation.by },
        });
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
        const { event, escalation } = effect as Extract<CourseEffect, { type: 'notifyWebhook' }>;
        // One delivery per outbox row: its id is the webhook-id on every attempt.
        const deliveryId = `msg_${row.course_id.replace(/-/g, '')}_${row.id}`;
        // The message is in the organization's default language: a receiver sends no Accept-Language.
        const message = webhookMessage(event, row.default_language ?? 'en', escalation);
        const course = await this.repos.webhooks.courseSummary(row.course_id);
        if (!course) return;
        // The documented event name and a summary of the course as it is now (webhooks/webhook-payload.ts).
        const payload = coursePayload(event, course, message, this.options.publicUrl, new Date(), escalation);
        await this.repos.webhooks.addDelivery({
          id: deliveryId,
          courseId: row.course_id,
          organizationId: row.organization_id,
          event: WEBHOOK_EVENT_TYPES[event],
          url: row.webhook_url,
          payload,
        });
        await this.queues.enqueueWebhook(deliveryId, this.options.webhookAttempts, this.options.webhookBackoffMs);
        return;
      }
      case 'budgetThreshold': {
        // Written by the budget trigger in the transaction of the trace that crossed it.
        const b = row.payload as {
          organizationId: string;
          courseId: string | null;
          month: string;
          threshold: number;
          spentUsd: string;
          budgetUsd: string;
          url: string | null;
          crossedAt: string;
        };
        const data = { month: b.month, threshold: b.threshold, spentUsd: b.spentUsd, budgetUsd: b.budgetUsd, courseId: b.courseId, crossedAt: b.crossedAt };
        this.live.publish({
          room: orgRoom(b.organizationId, 'cost.updated'),
          event: 'cost.updated',
          payload: { organizationId: b.organizationId, month: b.month, spentUsd: b.spentUsd, budgetUsd: b.budgetUsd },
        });
        this.live.publish({ room: orgRoom(b.organizationId, 'budget.threshold'), event: 'budget.threshold', payload: data });
        if (!b.url) return;
        const deliveryId = `msg_budget_${b.organizationId.replace(/-/g, '')}_${b.month.replace('-', '')}_${b.threshold}`;
        await this.repos.webhooks.addDelivery({
          id: deliveryId,
          courseId: b.courseId,
          organizationId: b.organizationId,
          event: 'budget.threshold',
          url: b.url,
          payload: { type: 'budget.threshold', timestamp: b.crossedAt, data },
        });
        await this.queues.enqueueWebhook(deliveryId, this.options.webhookAttempts, this.options.webhookBackoffMs);
        return;
      }
      default:
        throw new Error(`unknown outbox kind ${row.kind}`);
    }
  }
}
