// The audit log: every action a user takes that changes something. One hook
// records every successful POST/PUT/PATCH/DELETE of an authenticated user (so a new
// route is audited without anyone remembering to), named after its controller and
// handler (`courses.approve`, `users.update`, `models.update`), with the route's id and
// the request body minus secrets. Sign-ins and invitations accepted are recorded by the
// auth service. Admins read it at GET /api/audit.
import { BadRequestException, Controller, Get, Injectable, Logger, Param, Query, Res, NotFoundException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { eq, pageOf, uuidEq } from '../repositories/list-query';
import { TenantDb } from '../repositories/tenant/tenant-db';
import { Allow, AuthUser, CurrentUser } from './access.decorators';

export interface AuditEntry {
  organizationId: string;
  actor: { id: string; email: string; role: string } | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  details?: Record<string, unknown>;
  ip?: string | null;
}

const SECRET = /password|token|secret|content|authorization/i;

/** The body as recorded: secrets replaced, long strings and deep values cut. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'string' && value.length > 500 ? `${value.slice(0, 500)}…` : value;
  if (depth > 4) return '…';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).slice(0, 50).map(([k, v]) => [k, SECRET.test(k) ? '[redacted]' : redact(v, depth + 1)]));
}

@Injectable()
export class AuditLog {
  constructor(private readonly ds: DataSource) {}

  async record(e: AuditEntry): Promise<void> {
    await this.ds.query(
      `INSERT INTO audit_log (organization_id, actor_id, actor_email, actor_role, action, subject_type, subject_id, details, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [e.organizationId, e.actor?.id ?? null, e.actor?.email ?? null, e.actor?.role ?? null, e.action, e.subjectType, e.subjectId ?? null, e.details ?? {}, e.ip ?? null],
    );
  }
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What the audit row of a write is named after: `courses.approve`, `users.update`… */
export interface AuditTarget {
  resource: string;
  action: string;
}

/** The audit target of a request an authenticated user makes, or null when it is not a write. */
export function auditTarget(method: string, controller: { name: string }, handler: { name: string }): AuditTarget | null {
  if (!WRITES.has(method)) return null;
  const resource = controller.name.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase());
  return { resource, action: `${resource}.${handler.name}` };
}

interface AuditedRequest {
  method: string;
  url: string;
  ip?: string;
  body?: unknown;
  params?: unknown;
  user?: AuthUser;
  auditTarget?: AuditTarget | null;
  routeOptions?: { url?: string };
  isMultipart?: () => boolean;
}

/**
 * Records every successful write of an authenticated user once its handler answered and
 * before the answer leaves (a fastify onSend hook, so that reads pay nothing for it). The
 * AccessGuard marks the request with its target; the subject is the route's :id or the
 * id of what the write created.
 */
export function recordWrites(fastify: FastifyInstance, audit: AuditLog): void {
  const logger = new Logger('Audit');
  fastify.addHook('onSend', async (request, reply, payload) => {
    const req = request as unknown as AuditedRequest;
    const target = req.auditTarget;
    const user = req.user;
    if (!target || !user || reply.statusCode >= 400) return payload;
    const body = req.body && typeof req.body === 'object' && !req.isMultipart?.() ? redact(req.body) : undefined;
    const params = req.params as { id?: string } | undefined;
    await audit.record({
      organizationId: user.organizationId,
      actor: user,
      action: target.action,
      subjectType: target.resource,
      subjectId: params?.id ?? createdId(payload),
      details: { method: req.method, path: req.routeOptions?.url ?? req.url, ...(body !== undefined ? { body } : {}) },
      ip: req.ip ?? null,
    }).catch((err) => {
      // The action happened; a lost audit row is logged loudly rather than turned into an error.
      logger.error(`audit row lost for ${target.action}: ${err instanceof Error ? err.message : err}`);
    });
    return payload;
  });
}

function createdId(payload: unknown): string | null {
  if (typeof payload !== 'string' || payload[0] !== '{' || payload.length > 1_000_000) return null;
  try {
    const id = (JSON.parse(payload) as { id?: unknown }).id;
    return id === undefined || id === null ? null : String(id);
  } catch {
    return null;
  }
}

const SPEC = {
  sortable: { id: 'a.id', createdAt: 'a.created_at', action: 'a.action' },
  filters: {
    action: eq('a.action'),
    actorId: uuidEq('a.actor_id'),
    subjectType: eq('a.subject_type'),
    subjectId: eq('a.subject_id'),
    since: (v: unknown, param: (x: unknown) => string) => {
      const d = z.string().datetime({ offset: true }).or(z.string().date()).safeParse(v);
      if (!d.success) throw new BadRequestException('filter.since: must be an ISO date or date-time');
      return `a.created_at >= ${param(d.data)}`;
    },
  },
  defaultSort: ['id', 'DESC'] as [string, 'DESC'],
};
const COLUMNS = `a.id::text AS id, a.actor_id AS "actorId", a.actor_email AS "actorEmail", a.actor_role AS "actorRole", a.action,
  a.subject_type AS "subjectType", a.subject_id AS "subjectId", a.details, host(a.ip) AS ip, a.created_at AS "createdAt"`;

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly tenant: TenantDb) {}

  @Get()
  @Allow('admin')
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.tenant.run(user.organizationId, (db) => pageOf(db, query, SPEC, {
      resource: 'audit', select: COLUMNS, from: 'audit_log a', tiebreak: 'a.id',
      scope: { sql: 'a.organization_id = $1', params: [user.organizationId] },
    }));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Allow('admin')
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    if (!/^\d{1,18}$/.test(id)) throw new NotFoundException('audit entry not found');
    const rows = await this.tenant.query(user.organizationId, `SELECT ${COLUMNS} FROM audit_log a WHERE a.id = $1 AND a.organization_id = $2`, [id, user.organizationId]);
    if (!rows[0]) throw new NotFoundException('audit entry not found');
    return rows[0];
  }
}
