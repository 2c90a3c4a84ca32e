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

  constructor(private readonly redis: IORedis, key: string, private readonly changedChannel?: string) {
    this.emitter = new Emitter(redis, { key }).of(LIVE_NAMESPACE) as unknown as Emitter;
  }

  /** course.updated messages waiting out their deferMs, by course. */
  private readonly deferred = new Map<string, NodeJS.Timeout>();

  publish(message: LiveMessage): void {
    const id = (message.payload as { id?: unknown } | null)?.id;
    if (message.event === 'course.updated' && typeof id === 'string') {
      // Caches hear of every change at once; only the sockets' copy may wait.
      if (this.changedChannel) void this.redis.publish(this.changedChannel, id).catch(() => undefined);
      // A newer update of the course supersedes one still waiting.
      clearTimeout(this.deferred.get(id));
      this.deferred.delete(id);
      if (message.deferMs) {
        const timer = setTimeout(() => {
          this.deferred.delete(id);
          this.emitter.to(message.room).emit(message.event, message.payload);
        }, message.deferMs);
        timer.unref();
        this.deferred.set(id, timer);
        return;
      }
    }
    this.emitter.to(message.room).emit(message.event, message.payload);
  }

  /** To every connected dashboard, whatever its organization: only for system-wide news that names no organization's data. */
  broadcast(event: LiveMessage['event'], payload: Record<string, unknown>): void {
    this.emitter.emit(event, payload);
  }
}
