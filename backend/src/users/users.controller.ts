// User management for admins: list, invite, change a role, disable and enable again.
// A role change or disabling bumps the user's token_version, which ends their access
// tokens at once and their refresh tokens at the next refresh. An organization always
// keeps an enabled admin, and an admin cannot lock themselves out.
import { Body, ConflictException, Controller, Get, HttpCode, NotFoundException, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ALL_ROLES, Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { AuthService, hashInviteToken } from '../auth/auth.service';
import { RateLimit } from '../auth/rate-limit';
import { eq, pageOf, search } from '../repositories/list-query';
import { UuidPipe, ZodPipe } from '../common/zod.pipe';
import { Queryable, TenantDb } from '../repositories/tenant/tenant-db';

const RoleSchema = z.enum(ALL_ROLES as [string, ...string[]]);

const InviteSchema = z.object({
  email: z.string().email().max(320).transform((e) => e.toLowerCase()),
  name: z.string().trim().min(1).max(200),
  role: RoleSchema,
}).strict();

const UpdateUserSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  role: RoleSchema.optional(),
  disabled: z.boolean().optional(),
}).strict().refine((b) => Object.keys(b).length > 0, 'body: nothing to change (name, role or disabled)');

const COLUMNS = `u.id, u.email, u.name, u.role, (u.disabled_at IS NOT NULL) AS disabled, u.disabled_at AS "disabledAt",
  (u.invite_token_hash IS NOT NULL) AS invited, u.invite_expires_at AS "inviteExpiresAt", u.last_login_at AS "lastLoginAt",
  u.created_at AS "createdAt"`;

const SPEC = {
  sortable: { email: 'u.email', name: 'u.name', role: 'u.role', createdAt: 'u.created_at', lastLoginAt: 'u.last_login_at' },
  filters: { role: eq('u.role'), q: search('u.email', 'u.name') },
  defaultSort: ['email', 'ASC'] as [string, 'ASC'],
};

const INVITE_DAYS = 7;

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly tenant: TenantDb,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Allow('admin')
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.tenant.run(user.organizationId, (db) => pageOf(db, query, SPEC, {
      resource: 'users', select: COLUMNS, from: 'users u', tiebreak: 'u.id',
      scope: { sql: 'u.organization_id = $1', params: [user.organizationId] },
    }));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Allow('admin')
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.tenant.run(user.organizationId, (db) => this.one(db, user, id));
  }

  /** Invites a user: the answer carries the invitation token once (to send by mail). */
  @Post()
  @Allow('admin')
  @RateLimit('invite', 30, 60)
  async invite(@CurrentUser() user: AuthUser, @Body(new ZodPipe(InviteSchema)) body: z.infer<typeof InviteSchema>) {
    const token = randomBytes(24).toString('base64url');
    return this.tenant.run(user.organizationId, async (db) => {
      const [taken] = await db.query(`SELECT exists(SELECT 1 FROM users WHERE email = $1) AS taken`, [body.email]);
      // Another organization's users are invisible here; the unique index still refuses them.
      if (taken.taken) throw new ConflictException('email: a user with this email already exists');
      const rows = await db.query(
        `INSERT INTO users (organization_id, email, name, role, invited_by, invite_token_hash, invite_expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => ${INVITE_DAYS}))
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [user.organizationId, body.email, body.name, body.role, user.id, hashInviteToken(token)],
      );
      if (!rows[0]) throw new ConflictException('email: a user with this email already exists');
      return { ...(await this.one(db, user, rows[0].id)), inviteToken: token, inviteExpiresInDays: INVITE_DAYS };
    });
  }

  @Patch(':id')
  @HttpCode(200)
  @Allow('admin')
  async update(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(UpdateUserSchema)) body: z.infer<typeof UpdateUserSchema>) {
    const result = await this.tenant.run(user.organizationId, async (db) => {
      const before = await this.one(db, user, id);
      const demotes = (body.role !== undefined && body.role !== 'admin') || body.disabled === true;
      if (id === user.id && demotes) throw new ConflictException('you cannot take away your own admin role or disable yourself; ask another admin');
      if (demotes && before.role === 'admin' && !before.disabled) {
        // Lock the organization's admins so two admins demoting each other cannot both win.
        const admins = await db.query(`SELECT id FROM users WHERE organization_id = $1 AND role = 'admin' AND disabled_at IS NULL FOR UPDATE`, [user.organizationId]);
        if (admins.length <= 1) throw new ConflictException('the organization must keep at least one enabled admin');
      }
      const endsTokens = (body.role !== undefined && body.role !== before.role) || (body.disabled !== undefined && body.disabled !== before.disabled);
      await db.query(
        `UPDATE users SET name = coalesce($3, name), role = coalesce($4, role),
                disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at WHEN $5 THEN coalesce(disabled_at, now()) ELSE NULL END,
                token_version = token_version + $6
          WHERE id = $1 AND organization_id = $2`,
        [id, user.organizationId, body.name ?? null, body.role ?? null, body.disabled ?? null, endsTokens ? 1 : 0],
      );
      if (endsTokens) await db.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [id]);
      return { ...(await this.one(db, user, id)), previous: { role: before.role, disabled: before.disabled } };
    });
    this.auth.forget(id);
    return result;
  }

  private async one(db: Queryable, user: AuthUser, id: string) {
    const rows = await db.query(`SELECT ${COLUMNS} FROM users u WHERE u.id = $1 AND u.organization_id = $2`, [id, user.organizationId]);
    if (!rows[0]) throw new NotFoundException('user not found');
    return rows[0];
  }
}
