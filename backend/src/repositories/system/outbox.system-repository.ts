// The outbox the orchestrator writes (see courses.system-repository.ts) and the relay
// drains: rows claimed with SKIP LOCKED in one transaction, marked done after their
// effect went through, or their failure recorded.
import { Injectable } from '@nestjs/common';
import type { Queryable } from '../db';
import { SystemDb } from './system-db';

export interface OutboxRow {
  id: string;
  course_id: string | null;
  kind: string;
  payload: Record<string, unknown>;
  tier: string | null;
  webhook_url: string | null;
  organization_id: string | null;
  sla_minutes: number | null;
  /** the course's organization's default language (webhook messages speak it) */
  default_language: 'en' | 'ru' | null;
  /** a course.updated row that a newer course.updated row of its course supersedes (alerts never are) */
  superseded: boolean;
}

export interface ClaimFilter {
  /** exactly these rows; else every pending row */
  ids?: string[];
  /** with every pending row: fresh live rows too (else those younger than liveGraceSeconds are left to their writer) */
  fresh: boolean;
  liveGraceSeconds: number;
}

/** A drain's transaction: the claimed rows stay locked until it ends. */
export class OutboxTransaction {
  constructor(private readonly db: Queryable) {}

  claimPending(f: ClaimFilter): Promise<OutboxRow[]> {
    const grace = Math.floor(f.liveGraceSeconds);
    return this.db.query<OutboxRow>(
      `SELECT o.id, o.course_id, o.kind, o.payload, org.tier, c.webhook_url, c.organization_id,
              coalesce(c.approval_sla_minutes, org.approval_sla_minutes) AS sla_minutes, org.default_language,
              (o.kind = 'publishLive' AND o.payload->>'event' = 'course.updated' AND EXISTS (
                 SELECT 1 FROM outbox n WHERE n.course_id = o.course_id AND n.kind = 'publishLive' AND n.payload->>'event' = 'course.updated' AND n.id > o.id)) AS superseded
         FROM outbox o
         LEFT JOIN courses c ON c.id = o.course_id
         LEFT JOIN organizations org ON org.id = c.organization_id
        WHERE o.processed_at IS NULL AND o.attempts < 20
          ${f.ids ? 'AND o.id = ANY($1::bigint[])' : f.fresh ? '' : `AND (o.kind <> 'publishLive' OR o.created_at < now() - make_interval(secs => ${grace}))`}
        ORDER BY o.id
        LIMIT 500
        FOR UPDATE OF o SKIP LOCKED`,
      f.ids ? [f.ids] : [],
    );
  }

  async recordFailure(id: string, error: string): Promise<void> {
    await this.db.query(`UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1`, [id, error]);
  }

  async markDone(ids: string[]): Promise<void> {
    await this.db.query(`UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])`, [ids]);
  }
}

@Injectable()
export class OutboxSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /**
   * One drain in one transaction. Not rerun on a serialization failure or deadlock
   * (the drain has effects outside the database): that fails the drain, and the next sweep runs.
   */
  drain<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
    return this.db.run((db) => fn(new OutboxTransaction(db)), { retries: 0 });
  }

  /** Marks rows whose effect was carried out elsewhere (live events published at once) as done, unless they are already. */
  async markPublished(ids: string[]): Promise<void> {
    await this.db.autocommit.query(`UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[]) AND processed_at IS NULL`, [
      ids,
    ]);
  }
}
