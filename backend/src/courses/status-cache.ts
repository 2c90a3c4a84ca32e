// Keeps, per course, the rows GET /courses/:id/status is computed from, so that the
// dashboards polling a course every 2 s do not each cost Postgres a transaction. An
// entry is dropped when any process applies an event to the course (the outbox relay
// publishes the course id on Redis with the course.updated live event; this process's
// own changes drop it at once) and is never older than a second, which bounds what a
// lost message can cost. The answer itself (ETA, `now`) is still computed per request.
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type IORedis from 'ioredis';
import { REDIS } from '../app/tokens';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { courseChangedChannel } from '../repositories/live.publisher';

export const STATUS_CACHE_MAX_AGE_MS = 1000;
const MAX_ENTRIES = 10_000;

@Injectable()
export class StatusCache<T = unknown> implements OnModuleInit, OnModuleDestroy {
  private readonly entries = new Map<string, { at: number; organizationId: string; value: T }>();
  /** Bumped on every change of a course: a read that started before a change is not kept. */
  private readonly epochs = new Map<string, number>();
  /** One read per course at a time: when an entry expires, the requests waiting share it. */
  private readonly pending = new Map<string, { organizationId: string; promise: Promise<T> }>();
  private subscriber: IORedis | null = null;

  constructor(
    @Inject(REDIS) private readonly redis: IORedis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const sub = this.redis.duplicate();
    this.subscriber = sub;
    sub.on('message', (_channel: string, courseId: string) => this.invalidate(courseId));
    // While the subscription is down, changes are missed: forget everything at each (re)connect.
    sub.on('ready', () => this.clear());
    await sub.subscribe(courseChangedChannel(this.config.queuePrefix));
  }

  async onModuleDestroy(): Promise<void> {
    await this.subscriber?.quit().catch(() => undefined);
  }

  /** The cached rows, or the rows `load` reads (shared with concurrent callers). */
  read(courseId: string, organizationId: string, load: () => Promise<T>): Promise<T> {
    const hit = this.get(courseId, organizationId);
    if (hit) return Promise.resolve(hit);
    const inFlight = this.pending.get(courseId);
    if (inFlight && inFlight.organizationId === organizationId) return inFlight.promise;
    const epoch = this.epoch(courseId);
    const readAt = Date.now();
    const promise = load()
      .then((value) => {
        this.put(courseId, epoch, organizationId, value, readAt);
        return value;
      })
      .finally(() => {
        if (this.pending.get(courseId)?.promise === promise) this.pending.delete(courseId);
      });
    if (!inFlight) this.pending.set(courseId, { organizationId, promise });
    return promise;
  }

  get(courseId: string, organizationId: string): T | null {
    const e = this.entries.get(courseId);
    if (!e || e.organizationId !== organizationId || Date.now() - e.at > STATUS_CACHE_MAX_AGE_MS) return null;
    return e.value;
  }

  epoch(courseId: string): number {
    return this.epochs.get(courseId) ?? 0;
  }

  /** Keeps what a read found, unless the course changed since the read began (`epoch`). */
  put(courseId: string, epoch: number, organizationId: string, value: T, readAt: number): void {
    if (!this.subscriber || this.subscriber.status !== 'ready' || this.epoch(courseId) !== epoch) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(courseId, { at: readAt, organizationId, value });
  }

  invalidate(courseId: string): void {
    this.entries.delete(courseId);
    // A read that began before the change must not answer requests made after it.
    this.pending.delete(courseId);
    if (this.epochs.size >= MAX_ENTRIES * 10) this.epochs.clear();
    this.epochs.set(courseId, this.epoch(courseId) + 1);
  }

  clear(): void {
    for (const id of this.entries.keys()) this.invalidate(id);
  }
}
