// The organization itself: its settings (gate policy, limits, budget), its webhook
// signing secret and the webhook deliveries with every attempt.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';
import { eq, ListSpec, pageOf, uuidEq } from '../list-query';

export interface OrganizationRow {
  id: string;
  name: string;
  slug: string;
  tier: string;
  maxConcurrentGenerations: number;
  defaultApprovalGates: number[];
  requireDistinctApprover: boolean;
  approvalSlaMinutes: number | null;
  maxDocumentBytes: number;
  maxDocumentsPerCourse: number;
  monthlyBudgetUsd: number | null;
  budgetThresholds: number[];
  budgetWebhookUrl: string | null;
  /** the language of messages when a request names none and its user chose none; of webhook payloads always */
  defaultLanguage: 'en' | 'ru';
  /** stage 5's quality score below this flags a course `quality_low` (seed 004: 0.75) */
  qualityThreshold: number;
  /** a course below the threshold waits at a review gate before its lessons */
  qualityGate: boolean;
}

/** A settings change: undefined leaves a setting as it is; null clears a nullable one. */
export interface OrganizationChange {
  defaultApprovalGates?: number[];
  requireDistinctApprover?: boolean;
  approvalSlaMinutes?: number | null;
  maxConcurrentGenerations?: number;
  maxDocumentBytes?: number;
  maxDocumentsPerCourse?: number;
  monthlyBudgetUsd?: number | null;
  budgetThresholds?: number[];
  budgetWebhookUrl?: string | null;
  defaultLanguage?: 'en' | 'ru';
  qualityThreshold?: number;
  qualityGate?: boolean;
}

export interface DocumentLimits {
  maxBytes: number;
  maxDocuments: number;
}

export interface WebhookSecretRow {
  webhookSecret: string;
  previousSecretUntil: Date | null;
  rotatedAt: Date | null;
}

const SECRET_COLUMNS = `webhook_secret AS "webhookSecret",
  CASE WHEN webhook_secret_previous_until > now() THEN webhook_secret_previous_until END AS "previousSecretUntil",
  webhook_secret_rotated_at AS "rotatedAt"`;

export interface WebhookAttemptEntry {
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
  at: string;
}

export interface WebhookDeliveryRow {
  id: string;
  courseId: string | null;
  event: string;
  url: string;
  status: string;
  attempts: number;
  createdAt: Date;
  deliveredAt: Date | null;
  attemptLog: WebhookAttemptEntry[];
}

const COLUMNS = `id, name, slug, tier, max_concurrent_generations AS "maxConcurrentGenerations",
  default_approval_gates AS "defaultApprovalGates", require_distinct_approver AS "requireDistinctApprover",
  approval_sla_minutes AS "approvalSlaMinutes", max_document_bytes AS "maxDocumentBytes",
  max_documents_per_course AS "maxDocumentsPerCourse", monthly_budget_usd::float8 AS "monthlyBudgetUsd",
  budget_thresholds AS "budgetThresholds", budget_webhook_url AS "budgetWebhookUrl",
  default_language AS "defaultLanguage", quality_threshold::float8 AS "qualityThreshold", quality_gate AS "qualityGate"`;

export const DELIVERIES: ListSpec = {
  sortable: { createdAt: 'd.created_at', attempts: 'd.attempts' },
  filters: { courseId: uuidEq('d.course_id'), status: eq('d.status'), event: eq('d.event') },
  defaultSort: ['createdAt', 'DESC'],
};

const DELIVERY_COLUMNS = `d.id, d.course_id AS "courseId", d.event, d.url, d.status, d.attempts, d.created_at AS "createdAt", d.delivered_at AS "deliveredAt",
  coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms, 'at', a.created_at) ORDER BY a.id)
              FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS "attemptLog"`;

export class OrganizationsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  async settings(): Promise<OrganizationRow | undefined> {
    const rows = await this.db.query<OrganizationRow>(`SELECT ${COLUMNS} FROM organizations WHERE id = $1`, [this.organizationId]);
    return rows[0];
  }

  async updateSettings(c: OrganizationChange): Promise<void> {
    await this.db.query(
      `UPDATE organizations SET
         default_approval_gates = coalesce($2, default_approval_gates),
         require_distinct_approver = coalesce($3, require_distinct_approver),
         approval_sla_minutes = CASE WHEN $4::boolean THEN $5 ELSE approval_sla_minutes END,
         max_concurrent_generations = coalesce($6, max_concurrent_generations),
         max_document_bytes = coalesce($7, max_document_bytes),
         max_documents_per_course = coalesce($8, max_documents_per_course),
         monthly_budget_usd = CASE WHEN $9::boolean THEN $10 ELSE monthly_budget_usd END,
         budget_thresholds = coalesce($11::int[], budget_thresholds),
         budget_webhook_url = CASE WHEN $12::boolean THEN $13 ELSE budget_webhook_url END,
         default_language = coalesce($14, default_language),
         quality_threshold = coalesce($15::numeric, quality_threshold),
         quality_gate = coalesce($16::boolean, quality_gate)
       WHERE id = $1`,
      [
        this.organizationId,
        c.defaultApprovalGates ?? null,
        c.requireDistinctApprover ?? null,
        c.approvalSlaMinutes !== undefined,
        c.approvalSlaMinutes ?? null,
        c.maxConcurrentGenerations ?? null,
        c.maxDocumentBytes ?? null,
        c.maxDocumentsPerCourse ?? null,
        c.monthlyBudgetUsd !== undefined,
        c.monthlyBudgetUsd ?? null,
        c.budgetThresholds ?? null,
        c.budgetWebhookUrl !== undefined,
        c.budgetWebhookUrl ?? null,
        c.defaultLanguage ?? null,
        c.qualityThreshold ?? null,
        c.qualityGate ?? null,
      ],
    );
  }

  /** The signing secret, and until when the one it replaced signs too (null once that has passed). */
  async webhookSecret(): Promise<WebhookSecretRow | undefined> {
    const rows = await this.db.query<WebhookSecretRow>(`SELECT ${SECRET_COLUMNS} FROM organizations WHERE id = $1`, [this.organizationId]);
    return rows[0];
  }

  /**
   * Makes `secret` the signing secret; the one it replaces keeps signing for
   * `overlapMinutes` (none when 0). A rotation during an overlap drops the oldest secret.
   */
  async rotateWebhookSecret(secret: string, overlapMinutes: number): Promise<WebhookSecretRow> {
    const [row] = await this.db.query<WebhookSecretRow>(
      `UPDATE organizations SET
         webhook_secret_previous = CASE WHEN $3::int > 0 THEN webhook_secret END,
         webhook_secret_previous_until = CASE WHEN $3::int > 0 THEN now() + make_interval(mins => $3::int) END,
         webhook_secret = $2, webhook_secret_rotated_at = now()
       WHERE id = $1 RETURNING ${SECRET_COLUMNS}`,
      [this.organizationId, secret, overlapMinutes],
    );
    return row;
  }

  /** The upload limits: bytes per document, documents per course. */
  async documentLimits(): Promise<DocumentLimits> {
    const [org] = await this.db.query<{ max_document_bytes: number; max_documents_per_course: number }>(
      `SELECT max_document_bytes, max_documents_per_course FROM organizations WHERE id = $1`,
      [this.organizationId],
    );
    return { maxBytes: Number(org.max_document_bytes), maxDocuments: Number(org.max_documents_per_course) };
  }

  /** One page of the webhook deliveries, each with its attempts (react-admin list parameters). */
  async webhookDeliveries(query: Record<string, unknown>): Promise<{ rows: WebhookDeliveryRow[]; range: string }> {
    return pageOf(this.db, query, DELIVERIES, {
      resource: 'webhook-deliveries',
      from: 'webhook_deliveries d',
      tiebreak: 'd.id',
      idType: 'text',
      select: DELIVERY_COLUMNS,
      scope: { sql: 'd.organization_id = $1', params: [this.organizationId] },
    });
  }
}
