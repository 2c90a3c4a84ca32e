// The audit log: every action a user takes that changes something. One interceptor
// records every successful POST/PUT/PATCH/DELETE of an authenticated user (so a new
// route is audited without anyone remembering to), named after its controller and
// handler (`courses.approve`, `users.update`, `models.update`), with the route's id and
// the request body minus secrets. Sign-ins and invitations accepted are recorded by the
// auth service. Admins read it at GET /api/audit.
import { BadRequestException, CallHandler, Controller, ExecutionContext, Get, Injectable, Logger, NestInterceptor, Param, Query, Res, NotFoundException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { eq, pageOf, uuidEq } from '../common/list-query';
import { TenantDb } from '../db/tenant-db';
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

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Audit');

  constructor(private readonly audit: AuditLog) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (ctx.getType() !== 'http') return next.handle();
    const req = ctx.switchToHttp().getRequest();
    const user: AuthUser | undefined = req.user;
    if (!user || req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next.handle();
    const resource = ctx.getClass().name.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase());
    const action = `${resource}.${ctx.getHandler().name}`;
    const body = req.body && typeof req.body === 'object' && !req.isMultipart?.() ? redact(req.body) : undefined;
    return next.handle().pipe(switchMap((result) => from(this.audit.record({
      organizationId: user.organizationId,
      actor: user,
      action,
      subjectType: resource,
      subjectId: req.params?.id ?? (result && typeof result === 'object' && 'id' in result ? String((result as { id: unknown }).id) : null),
      details: { method: req.method, path: req.routeOptions?.url ?? req.url, ...(body !== undefined ? { body } : {}) },
      ip: req.ip ?? null,
    }).then(() => result, (err) => {
      // The action happened; a lost audit row is logged loudly rather than turned into an error.
      this.logger.error(`audit row lost for ${action}: ${err instanceof Error ? err.message : err}`);
      return result;
    }))));
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
