// The audit log: every action a user takes that changes something. One hook
// records every successful POST/PUT/PATCH/DELETE of an authenticated user (so a new
// route is audited without anyone remembering to), named after its controller and
// handler (`courses.approve`, `users.update`, `models.update`), with the route's id and
// the request body minus secrets. Sign-ins and invitations accepted are recorded by the
// auth service. Admins read it at GET /api/audit.
import { Controller, Get, Injectable, Logger, Param, Query, Res, NotFoundException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { NewAuditRow } from '../repositories/tenant/audit.repository';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { Can, AuthUser, CurrentUser } from './access.decorators';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { AuditEntrySchema } from '../users/users.responses';
import { SPEC as AUDIT_LIST } from '../repositories/tenant/audit.repository';

export interface AuditEntry extends NewAuditRow {
  organizationId: string;
}

const SECRET = /password|token|secret|content|authorization/i;

/** The body as recorded: secrets replaced, long strings and deep values cut. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'string' && value.length > 500 ? `${value.slice(0, 500)}…` : value;
  if (depth > 4) return '…';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .slice(0, 50)
      .map(([k, v]) => [k, SECRET.test(k) ? '[redacted]' : redact(v, depth + 1)]),
  );
}

@Injectable()
export class AuditLog {
  constructor(private readonly scope: TenantScope) {}

  /** Appends one entry, in its organization's scope. */
  async record({ organizationId, ...entry }: AuditEntry): Promise<void> {
    await this.scope.run(organizationId, (repos) => repos.audit.record(entry));
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
    await audit
      .record({
        organizationId: user.organizationId,
        actor: user,
        action: target.action,
        subjectType: target.resource,
        subjectId: params?.id ?? createdId(payload),
        details: { method: req.method, path: req.routeOptions?.url ?? req.url, ...(body !== undefined ? { body } : {}) },
        ip: req.ip ?? null,
      })
      .catch((err) => {
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

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly scope: TenantScope) {}

  @Get()
  @Can('audit.read')
  @ApiList(AuditEntrySchema, { summary: 'Who changed what in the organization', spec: AUDIT_LIST })
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.audit.page(query));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Can('audit.read')
  @ApiJson(AuditEntrySchema, { summary: 'One audit entry' })
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    if (!/^\d{1,18}$/.test(id)) throw new NotFoundException('audit entry not found');
    const entry = await this.scope.run(user.organizationId, (repos) => repos.audit.byId(id));
    if (!entry) throw new NotFoundException('audit entry not found');
    return entry;
  }
}
