// Notices work that has stopped moving and says so, and says so again when it moves:
//  - course_progress_stalled: a queued or generating course (not awaiting approval)
//    whose percentage has not moved for STALL_PROGRESS_MINUTES;
//  - job_without_heartbeat: a phase job BullMQ holds as active that no live worker's
//    heartbeat lists (its worker died; BullMQ takes it back once its lock lapses);
//  - queue_without_consumer: a phase queue with waiting jobs and no live worker on it.
// Each alert is a row in `alerts` (one open per kind and subject, so any number of
// processes may sweep at once), a system_metrics row, a live event (`alert.raised`,
// `alert.cleared`) to the course's organization or, for system-wide alerts, to every
// dashboard, and for course alerts a webhook to the course's webhookUrl when it has one.
// Runs in api and worker processes alike: "no worker consumes" must not depend on a worker.
import { Logger } from '@nestjs/common';
import type IORedis from 'ioredis';
import type { AlertRow as StoredAlertRow, AlertsSystemRepository } from '../repositories/system/alerts.system-repository';
import type { CoursesSystemRepository } from '../repositories/system/courses.system-repository';
import type { WebhooksSystemRepository } from '../repositories/system/webhooks.system-repository';
import { PHASE_QUEUES } from '../jobs/job.names';
import { heartbeatPrefix, WorkerBeat } from '../jobs/worker.host';
import { LivePublisher, orgRoom } from '../repositories/live.publisher';
import type { QueueRepository } from '../repositories/queue.repository';

export type AlertKind = 'course_progress_stalled' | 'job_without_heartbeat' | 'queue_without_consumer';
export const ALERT_KINDS: AlertKind[] = ['course_progress_stalled', 'job_without_heartbeat', 'queue_without_consumer'];

export interface StallThresholds {
  progressMinutes: number;
  jobSeconds: number;
  queueSeconds: number;
  /** a job picked up this recently may not be in a heartbeat yet (beats every 5 s) */
  beatSlackMs?: number;
}

export interface StallWebhooks {
  attempts: number;
  backoffMs: number;
}

interface Finding {
  kind: AlertKind;
  subject: string;
  organizationId: string | null;
  courseId: string | null;
  message: string;
  details: Record<string, unknown>;
  /** the condition has held long enough to raise (else it only keeps an open alert open) */
  ready: boolean;
}

type AlertRow = StoredAlertRow & { kind: AlertKind };

/** What the detector reads and writes. */
export interface StallRepositories {
  alerts: AlertsSystemRepository;
  courses: CoursesSystemRepository;
  webhooks: WebhooksSystemRepository;
}

const BEAT_SLACK_MS = 10_000;

export class StallDetector {
  private readonly logger = new Logger('StallDetector');
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<unknown> | null = null;
  /** when this process first saw each queue-side condition; conditions are confirmed over time */
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly repos: StallRepositories,
    private readonly redis: IORedis,
    private readonly queues: QueueRepository,
    private readonly live: LivePublisher,
    private readonly prefix: string,
    private readonly thresholds: StallThresholds,
    private readonly webhooks: StallWebhooks,
    private readonly now: () => number = Date.now,
  ) {}

  start(everyMs: number): void {
    const tick = () => {
      if (this.sweeping) return;
      this.sweeping = this.sweep()
        .catch((e) => this.logger.warn(`sweep failed: ${e}`))
        .finally(() => (this.sweeping = null));
    };
    tick();
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping;
  }

  /** One pass: raise what is stuck, clear what moved. Returns what changed. */
  async sweep(): Promise<{ raised: number; cleared: number }> {
    const findings: Finding[] = [];
    const evaluated = new Set<AlertKind>();
    findings.push(...(await this.stalledCourses()));
    evaluated.add('course_progress_stalled');
    // Without Redis nothing can be said about queues: their alerts stay as they are.
    const queueSide = await this.queueFindings().catch((err) => {
      this.logger.warn(`queues unreadable: ${(err as Error).message}`);
      return null;
    });
    if (queueSide) {
      findings.push(...queueSide);
      evaluated.add('job_without_heartbeat');
      evaluated.add('queue_without_consumer');
    }
    let raised = 0;
    let cleared = 0;
    for (const f of findings) if (f.ready && (await this.raise(f))) raised++;
    const present = new Set(findings.map((f) => `${f.kind}|${f.subject}`));
    const open = (await this.repos.alerts.openAlerts()) as AlertRow[];
    for (const a of open) {
      if (!evaluated.has(a.kind) || present.has(`${a.kind}|${a.subject}`)) continue;
      if (await this.clear(a)) cleared++;
    }
    return { raised, cleared };
  }

  private async stalledCourses(): Promise<Finding[]> {
    const rows = await this.repos.alerts.coursesInProgress(this.thresholds.progressMinutes * 60);
    return rows
      .map((r) => ({
        kind: 'course_progress_stalled' as const,
        subject: `course-${r.id}`,
        organizationId: r.organization_id,
        courseId: r.id,
        message: `course ${r.id} has been at ${r.percentage}% (${r.generation_status}) since ${new Date(r.since).toISOString()}`,
        details: {
          percentage: r.percentage,
          generationStatus: r.generation_status,
          since: new Date(r.since).toISOString(),
          thresholdMinutes: this.thresholds.progressMinutes,
        },
        ready: r.stalled,
      }))
      .filter((f) => f.ready);
  }

  private async beats(): Promise<WorkerBeat[]> {
    // SCAN, not KEYS: the keyspace holds every kept job, and this runs in every process.
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${heartbeatPrefix(this.prefix)}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (!keys.length) return [];
    const values = await this.redis.mget(...keys);
    return values.flatMap((v) => {
      try {
        return v ? [JSON.parse(v) as WorkerBeat] : [];
      } catch {
        return [];
      }
    });
  }

  private confirmed(key: string, holdMs: number, seen: Set<string>): boolean {
    seen.add(key);
    const first = this.firstSeen.get(key) ?? this.now();
    this.firstSeen.set(key, first);
    return this.now() - first >= holdMs;
  }

  private async queueFindings(): Promise<Finding[]> {
    const beats = await this.beats();
    const runningAnywhere = new Set(beats.flatMap((b) => b.jobs ?? []));
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const now = this.now();
    for (const name of PHASE_QUEUES) {
      const queue = this.queues.queue(name);
      const consumers = beats.filter((b) => !b.draining && (b.queues ?? []).includes(name)).length;
      const counts = await queue.getJobCounts('waiting', 'prioritized');
      const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0);
      if (waiting > 0 && consumers === 0) {
        const subject = `queue-${name}`;
        findings.push({
          kind: 'queue_without_consumer',
          subject,
          organizationId: null,
          courseId: null,
          message: `queue ${name} has ${waiting} waiting job(s) and no live worker consuming it`,
          details: { queue: name, waiting, consumers, thresholdSeconds: this.thresholds.queueSeconds },
          ready: this.confirmed(subject, this.thresholds.queueSeconds * 1000, seen),
        });
      }
      const active = await queue.getJobs(['active']);
      for (const job of active) {
        if (!job?.id || runningAnywhere.has(job.id) || (job.processedOn ?? now) > now - (this.thresholds.beatSlackMs ?? BEAT_SLACK_MS)) continue;
        const subject = `job-${name}-${job.id}`;
        findings.push({
          kind: 'job_without_heartbeat',
          subject,
          organizationId: null,
          courseId: job.data?.courseId ?? null,
          message: `job ${job.id} is active in ${name} but no live worker runs it`,
          details: {
            queue: name,
            jobId: job.id,
            processedOn: job.processedOn ? new Date(job.processedOn).toISOString() : null,
            thresholdSeconds: this.thresholds.jobSeconds,
          },
          ready: this.confirmed(subject, this.thresholds.jobSeconds * 1000, seen),
        });
      }
    }
    for (const key of [...this.firstSeen.keys()]) if (!seen.has(key)) this.firstSeen.delete(key);
    // A job's alert belongs to its course's organization.
    const courseIds = [...new Set(findings.map((f) => f.courseId).filter((id): id is string => !!id))];
    if (courseIds.length) {
      const orgs = await this.repos.courses.organizationsOf(courseIds);
      const byCourse = new Map(orgs.map((o) => [o.id, o.organization_id]));
      for (const f of findings) if (f.courseId) f.organizationId = byCourse.get(f.courseId) ?? null;
    }
    return findings;
  }

  private async raise(f: Finding): Promise<boolean> {
    const raised = await this.repos.alerts.raise({
      organizationId: f.organizationId,
      courseId: f.courseId,
      kind: f.kind,
      subject: f.subject,
      details: { ...f.details, message: f.message },
    });
    if (!raised) return false;
    this.logger.warn(`alert raised: ${f.message}`);
    await this.announce(raised as AlertRow, 'raised', f.message);
    return true;
  }

  private async clear(a: AlertRow): Promise<boolean> {
    const cleared = await this.repos.alerts.clear(a.id);
    if (!cleared) return false;
    this.logger.log(`alert cleared: ${a.kind} ${a.subject}`);
    await this.announce(cleared as AlertRow, 'cleared', `${a.kind} ${a.subject} cleared`);
    return true;
  }

  private async announce(a: AlertRow, what: 'raised' | 'cleared', message: string): Promise<void> {
    const payload = alertPayload(a);
    await this.repos.alerts.recordMetric({
      metricType: `alert_${what}`,
      severity: what === 'raised' ? 'warn' : 'info',
      organizationId: a.organization_id,
      courseId: a.course_id,
      jobId: (a.details?.jobId as string) ?? null,
      message,
      metadata: payload,
    });
    const event = what === 'raised' ? 'alert.raised' : 'alert.cleared';
    try {
      if (a.organization_id) this.live.publish({ room: orgRoom(a.organization_id, event), event, payload });
      else this.live.broadcast(event, payload);
    } catch (err) {
      this.logger.warn(`live ${event} not sent: ${(err as Error).message}`);
    }
    await this.webhook(a, what, payload).catch((err) => this.logger.warn(`alert webhook not queued: ${(err as Error).message}`));
  }

  /** Course alerts go to the course's webhookUrl (there is no organization-wide URL). */
  private async webhook(a: AlertRow, what: 'raised' | 'cleared', payload: Record<string, unknown>): Promise<void> {
    if (!a.course_id) return;
    const course = await this.repos.courses.webhookTarget(a.course_id);
    if (!course?.webhook_url) return;
    const deliveryId = `msg_alert_${a.id}_${what}`;
    await this.repos.webhooks.addDelivery({
      id: deliveryId,
      courseId: a.course_id,
      organizationId: course.organization_id,
      event: `alert.${what}`,
      url: course.webhook_url,
      payload: { type: `alert.${what}`, timestamp: new Date().toISOString(), data: { courseId: a.course_id, ...payload } },
    });
    await this.queues.enqueueWebhook(deliveryId, this.webhooks.attempts, this.webhooks.backoffMs);
  }
}

export function alertPayload(a: AlertRow): Record<string, unknown> {
  return {
    id: String(a.id),
    kind: a.kind,
    subject: a.subject,
    organizationId: a.organization_id,
    courseId: a.course_id,
    details: a.details,
    raisedAt: new Date(a.raised_at).toISOString(),
    clearedAt: a.cleared_at ? new Date(a.cleared_at).toISOString() : null,
  };
}
