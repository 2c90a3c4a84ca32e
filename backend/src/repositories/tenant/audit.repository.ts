// The audit log of the organization: appended to on every write, read by admins.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { calendarTimestamp } from '../../common/dates';
import type { Queryable } from '../db';
import { eq, ListSpec, pageOf, uuidEq } from '../list-query';

export interface NewAuditRow {
  actor: { id: string; email: string; role: string } | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

export interface AuditRow {
  id: string;
  actorId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  action: string;
  subjectType: string;
  subjectId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  createdAt: Date;
}

const IsoDateOrTime = z.string().datetime({ offset: true }).or(z.string().date());

export const SPEC: ListSpec = {
  sortable: { id: 'a.id', createdAt: 'a.created_at', action: 'a.action' },
  filters: {
    action: eq('a.action'),
    actorId: uuidEq('a.actor_id'),
    subjectType: eq('a.subject_type'),
    subjectId: eq('a.subject_id'),
    since: (v: unknown, param: (x: unknown) => string) => {
      // The format, and a day that exists (2026-02-30 and 0000-01-01 do not).
      if (!IsoDateOrTime.safeParse(v).success || !calendarTimestamp().safeParse(v).success) {
        throw new BadRequestException('filter.since: must be a real ISO date or date-time');
      }
      return `a.created_at >= ${param(v)}`;
    },
  },
  defaultSort: ['id', 'DESC'],
};

const COLUMNS = `a.id::text AS id, a.actor_id AS "actorId", a.actor_email AS "actorEmail", a.actor_role AS "actorRole", a.action,
  a.subject_type AS "subjectType", a.subject_id AS "subjectId", a.details, host(a.ip) AS ip, a.created_at AS "createdAt"`;

export class AuditRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  async record(e: NewAuditRow): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_log (organization_id, actor_id, actor_email, actor_role, action, subject_type, subject_id, details, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        this.organizationId,
        e.actor?.id ?? null,
        e.actor?.email ?? null,
        e.actor?.role ?? null,
        e.action,
        e.subjectType,
        e.subjectId ?? null,
        e.details ?? {},
        e.ip ?? null,
      ],
    );
  }

  /** One page of the log (react-admin list parameters). */
  async page(query: Record<string, unknown>): Promise<{ rows: AuditRow[]; range: string }> {
    return pageOf(this.db, query, SPEC, {
      resource: 'audit',
      select: COLUMNS,
      from: 'audit_log a',
      tiebreak: 'a.id',
      idType: 'integer',
      scope: { sql: 'a.organization_id = $1', params: [this.organizationId] },
    });
  }

  /** The entry with this id (digits, checked by the caller). */
  async byId(id: string): Promise<AuditRow | undefined> {
    const rows = await this.db.query<AuditRow>(`SELECT ${COLUMNS} FROM audit_log a WHERE a.id = $1 AND a.organization_id = $2`, [id, this.organizationId]);
    return rows[0];
  }
}
