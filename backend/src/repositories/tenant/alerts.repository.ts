// Open and closed alerts (system_metrics) the organization may see.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement). The alerts policy
// (migration 1763800017000) shows the organization's own alerts and the system-wide
// ones (organization_id NULL); the list names the same scope in its SQL.
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import type { Queryable } from '../db';
import { eq, ListSpec, pageOf, uuidEq } from '../list-query';
import { ALERT_KINDS } from '../../orchestrator/stall-detector';

const SELECT = `a.id::text AS id, a.kind, a.subject, a.organization_id AS "organizationId", a.course_id AS "courseId",
  a.details, a.raised_at AS "raisedAt", a.cleared_at AS "clearedAt",
  CASE WHEN a.cleared_at IS NULL THEN 'open' ELSE 'cleared' END AS status`;

export const SPEC: ListSpec = {
  sortable: { id: 'a.id', raisedAt: 'a.raised_at', clearedAt: 'a.cleared_at', kind: 'a.kind' },
  filters: {
    id: eq('a.id::text', z.string().regex(/^\d{1,18}$/, 'must be an alert id')),
    kind: eq('a.kind', z.enum(ALERT_KINDS as [string, ...string[]])),
    courseId: uuidEq('a.course_id'),
    status: (v: unknown) => {
      const s = z.enum(['open', 'cleared']).safeParse(v);
      if (!s.success) throw new BadRequestException('filter.status: must be "open" or "cleared"');
      return s.data === 'open' ? 'a.cleared_at IS NULL' : 'a.cleared_at IS NOT NULL';
    },
  },
  defaultSort: ['raisedAt', 'DESC'],
};

export interface AlertRow {
  id: string;
  kind: string;
  subject: string;
  organizationId: string | null;
  courseId: string | null;
  details: Record<string, unknown>;
  raisedAt: Date;
  clearedAt: Date | null;
  status: 'open' | 'cleared';
}

export class AlertsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** One page of the alerts list (react-admin's sort, range, filter) and its Content-Range. */
  async page(query: Record<string, unknown>): Promise<{ rows: AlertRow[]; range: string }> {
    const { rows, range } = await pageOf(this.db, query, SPEC, {
      resource: 'alerts',
      select: SELECT,
      from: 'alerts a',
      tiebreak: 'a.id',
      idType: 'integer',
      scope: { sql: '(a.organization_id = $1 OR a.organization_id IS NULL)', params: [this.organizationId] },
    });
    return { rows: rows as AlertRow[], range };
  }
}
