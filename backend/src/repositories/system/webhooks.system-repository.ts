// Webhook deliveries and their attempts: a delivery is written once (its id is the
// webhook-id of every attempt), read by the sender, and every attempt is recorded.
import { Injectable } from '@nestjs/common';
import type { CourseSummaryRow } from '../../webhooks/webhook-payload';
import { SystemDb } from './system-db';

export interface NewDelivery {
  id: string;
  courseId: string | null;
  organizationId: string;
  event: string;
  url: string;
  payload: Record<string, unknown>;
}

export interface DeliveryToSend {
  id: string;
  url: string;
  payload: unknown;
  status: string;
  webhook_secret: string;
  /** the secret the current one replaced, while its overlap lasts; else null */
  webhook_secret_previous: string | null;
}

export interface DeliveryAttempt {
  deliveryId: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** the delivery's status after this attempt */
  status: 'delivered' | 'pending' | 'refused';
}

@Injectable()
export class WebhooksSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /** A new delivery; one written before under the same id is kept. */
  async addDelivery(d: NewDelivery): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO webhook_deliveries (id, course_id, organization_id, event, url, payload) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [d.id, d.courseId, d.organizationId, d.event, d.url, d.payload],
    );
  }

  /** The delivery with its organization's signing secret (and the replaced one during a rotation's overlap). */
  async deliveryToSend(id: string): Promise<DeliveryToSend | null> {
    const rows = await this.db.autocommit.query<DeliveryToSend>(
      `SELECT d.id, d.url, d.payload, d.status, o.webhook_secret,
              CASE WHEN o.webhook_secret_previous_until > now() THEN o.webhook_secret_previous END AS webhook_secret_previous
         FROM webhook_deliveries d
         JOIN organizations o ON o.id = d.organization_id WHERE d.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The attempt's row, then the delivery's attempt count and status. */
  async recordAttempt(a: DeliveryAttempt): Promise<void> {
    await this.db.autocommit.query(`INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)`, [
      a.deliveryId,
      a.attempt,
      a.statusCode,
      a.error,
      a.durationMs,
    ]);
    await this.db.autocommit.query(
      `UPDATE webhook_deliveries SET attempts = $2, status = $3, delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END WHERE id = $1`,
      [a.deliveryId, a.attempt, a.status],
    );
  }

  /** What a course webhook summarizes: title, status, cost so far, times (null when the course is gone). */
  async courseSummary(courseId: string): Promise<CourseSummaryRow | null> {
    const rows = await this.db.autocommit.query<CourseSummaryRow>(
      `SELECT c.id, c.title, c.status, c.generation_status, c.percentage, c.generation_started_at, c.generation_completed_at, c.error_message,
              (SELECT coalesce(sum(r.cost_usd), 0) FROM cost_daily_rollup r WHERE r.course_id = c.id) AS cost_usd
         FROM courses c WHERE c.id = $1`,
      [courseId],
    );
    return rows[0] ?? null;
  }

  /** A pending delivery whose last attempt failed. */
  async markFailed(id: string): Promise<void> {
    await this.db.autocommit.query(`UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1 AND status = 'pending'`, [id]);
  }
}
