// Publishes live events to every API process's Socket.IO clients through Redis, so a
// worker (or any API process) reaches dashboards connected anywhere.
import { Emitter } from '@socket.io/redis-emitter';
import IORedis from 'ioredis';
import { can, type Action, type Principal } from '../auth/permissions';
import type { LiveMessage } from '../orchestrator/outbox.types';

export const LIVE_NAMESPACE = '/live';

type LiveEvent = LiveMessage['event'];

/**
 * What a dashboard must be allowed to receive each event: an organization's sockets sit
 * in one room per action of this table their role may do, and each event goes to the
 * room of its action only (a reviewer's socket hears no stall alerts, finance's no
 * prompts' progress it could not read over HTTP).
 */
export const LIVE_EVENT_ACTION = {
  'course.updated': 'courses.read',
  'trace.created': 'traces.read',
  'approval.requested': 'approvals.read',
  'approval.escalated': 'approvals.read',
  'cost.updated': 'reports.costs',
  'budget.threshold': 'reports.costs',
  'alert.raised': 'alerts.read',
  'alert.cleared': 'alerts.read',
} as const satisfies Record<LiveEvent, Action>;

const LIVE_ACTIONS = [...new Set(Object.values(LIVE_EVENT_ACTION))];

/** The room of an organization's sockets allowed to receive `event`. */
export const orgRoom = (organizationId: string, event: LiveEvent) => `org-${organizationId}:${LIVE_EVENT_ACTION[event]}`;
/** The room of every organization's sockets allowed to receive `event` (system-wide news). */
export const systemRoom = (event: LiveEvent) => `all:${LIVE_EVENT_ACTION[event]}`;
/** The rooms a socket of `who` joins on connecting. */
export const liveRoomsOf = (who: Principal & { organizationId: string }): string[] =>
  LIVE_ACTIONS.filter((action) => can(who, action)).flatMap((action) => [`org-${who.organizationId}:${action}`, `all:${action}`]);
export const courseRoom = (courseId: string) => `course-${courseId}`;
/** Redis channel carrying the id of each course that changed (the api's status cache listens). */
export const courseChangedChannel = (queuePrefix: string) => `${queuePrefix}:course-changed`;

/**
 * Sends a course's update only if it is newer than the newest one sent of that course,
 * from any process: the check, the note and the PUBLISH happen in one Redis script, so
 * two processes that committed a course's transitions in order cannot deliver them out
 * of order (one of them may be descheduled between its commit and its publish).
 */
const SEND_IF_NEWER = `
local latest = redis.call('GET', KEYS[1])
if latest and tonumber(latest) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', 60000)
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1`;

type Publish = [channel: string, message: string | Buffer];

export class LivePublisher {
  private readonly emitter: Emitter;
  /** The same emitter over a client that only records what it would publish (see sendIfNewer). */
  private readonly recorder: Emitter;
  private readonly recorded: Publish[] = [];

  /** key: the Socket.IO adapter's key, which also names where each course's latest sent update is noted */
  constructor(
    private readonly redis: IORedis,
    private readonly key: string,
    private readonly changedChannel?: string,
  ) {
    this.emitter = new Emitter(redis, { key }).of(LIVE_NAMESPACE) as unknown as Emitter;
    const recording = { publish: (channel: string, message: string | Buffer) => void this.recorded.push([channel, message]) };
    this.recorder = new Emitter(recording as never, { key }).of(LIVE_NAMESPACE) as unknown as Emitter;
    if (!(redis as unknown as { mcSendIfNewer?: unknown }).mcSendIfNewer) redis.defineCommand('mcSendIfNewer', { numberOfKeys: 1, lua: SEND_IF_NEWER });
  }

  /** course.updated messages waiting out their deferMs, by course. */
  private readonly deferred = new Map<string, NodeJS.Timeout>();

  publish(message: LiveMessage): void {
    const id = (message.payload as { id?: unknown } | null)?.id;
    if (message.event !== 'course.updated' || typeof id !== 'string') {
      this.emitter.to(message.room).emit(message.event, message.payload);
      return;
    }
    // Caches hear of every change at once; only the sockets' copy may wait.
    if (this.changedChannel) void this.redis.publish(this.changedChannel, id).catch(() => undefined);
    // A newer update of the course from this process supersedes one still waiting here…
    clearTimeout(this.deferred.get(id));
    this.deferred.delete(id);
    if (!message.deferMs) {
      this.sendIfNewer(id, message);
      return;
    }
    // …and one from any other process sent meanwhile (checked when it is sent).
    const timer = setTimeout(() => {
      this.deferred.delete(id);
      this.sendIfNewer(id, message);
    }, message.deferMs);
    timer.unref();
    this.deferred.set(id, timer);
  }

  /**
   * The course's order: its version after the transition (`seq`, stamped under the row
   * lock), or for messages without one the transition's time. Each has its own note.
   */
  private orderOf(id: string, payload: Record<string, unknown>): { key: string; order: number } | null {
    if (typeof payload.seq === 'number' && Number.isFinite(payload.seq)) return { key: `${this.key}:latest-seq:${id}`, order: payload.seq };
    const at = typeof payload.at === 'string' ? Date.parse(payload.at) : NaN;
    return Number.isFinite(at) ? { key: `${this.key}:latest-at:${id}`, order: at } : null;
  }

  private sendIfNewer(id: string, message: LiveMessage): void {
    const order = this.orderOf(id, message.payload as Record<string, unknown>);
    if (!order) {
      this.emitter.to(message.room).emit(message.event, message.payload);
      return;
    }
    this.recorder.to(message.room).emit(message.event, message.payload);
    const publishes = this.recorded.splice(0);
    for (const [channel, encoded] of publishes) {
      const send = (this.redis as unknown as { mcSendIfNewer(k: string, o: string, c: string, m: string | Buffer): Promise<number> }).mcSendIfNewer;
      void send.call(this.redis, order.key, String(order.order), channel, encoded).catch(() => {
        // Redis refused the script (or is gone): send without the order check rather than not at all.
        void this.redis.publish(channel, encoded).catch(() => undefined);
      });
    }
  }

  /** To every organization's dashboards allowed to receive `event`: only for system-wide news that names no organization's data. */
  broadcast(event: LiveMessage['event'], payload: Record<string, unknown>): void {
    this.emitter.to(systemRoom(event)).emit(event, payload);
  }
}
