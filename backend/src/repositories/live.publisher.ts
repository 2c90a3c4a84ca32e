// Publishes live events to every API process's Socket.IO clients through Redis, so a
// worker (or any API process) reaches dashboards connected anywhere.
import { Emitter } from '@socket.io/redis-emitter';
import IORedis from 'ioredis';
import type { LiveMessage } from '../orchestrator/outbox.types';

export const LIVE_NAMESPACE = '/live';

export const orgRoom = (organizationId: string) => `org-${organizationId}`;
export const courseRoom = (courseId: string) => `course-${courseId}`;
/** Redis channel carrying the id of each course that changed (the api's status cache listens). */
export const courseChangedChannel = (queuePrefix: string) => `${queuePrefix}:course-changed`;

export class LivePublisher {
  private readonly emitter: Emitter;

  /** key: the Socket.IO adapter's key, which also names where each course's latest sent update is noted */
  constructor(private readonly redis: IORedis, private readonly key: string, private readonly changedChannel?: string) {
    this.emitter = new Emitter(redis, { key }).of(LIVE_NAMESPACE) as unknown as Emitter;
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
    const at = String(message.payload.at ?? '');
    if (!message.deferMs) {
      this.noteSent(id, at);
      this.emitter.to(message.room).emit(message.event, message.payload);
      return;
    }
    const timer = setTimeout(() => {
      this.deferred.delete(id);
      // …and one from any other process that was sent meanwhile (transitions are stamped
      // under the course's row lock, so a later stamp is a later state).
      this.redis.get(this.latestKey(id)).then((latest) => {
        if (latest && latest > at) return;
        this.noteSent(id, at);
        this.emitter.to(message.room).emit(message.event, message.payload);
      }, () => this.emitter.to(message.room).emit(message.event, message.payload));
    }, message.deferMs);
    timer.unref();
    this.deferred.set(id, timer);
  }

  private latestKey(courseId: string): string {
    return `${this.key}:latest:${courseId}`;
  }

  /** Notes the stamp of the newest update of a course sent to sockets (kept a minute). */
  private noteSent(courseId: string, at: string): void {
    if (at) void this.redis.set(this.latestKey(courseId), at, 'PX', 60_000).catch(() => undefined);
  }

  /** To every connected dashboard, whatever its organization: only for system-wide news that names no organization's data. */
  broadcast(event: LiveMessage['event'], payload: Record<string, unknown>): void {
    this.emitter.emit(event, payload);
  }
}
