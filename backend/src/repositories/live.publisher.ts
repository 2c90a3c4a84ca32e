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

  publish(message: LiveMessage): void {
    this.emitter.to(message.room).emit(message.event, message.payload);
    const id = (message.payload as { id?: unknown } | null)?.id;
    if (this.changedChannel && message.event === 'course.updated' && typeof id === 'string') {
      void this.redis.publish(this.changedChannel, id).catch(() => undefined);
    }
  }

  /** To every connected dashboard, whatever its organization: only for system-wide news that names no organization's data. */
  broadcast(event: LiveMessage['event'], payload: Record<string, unknown>): void {
    this.emitter.emit(event, payload);
  }
}
