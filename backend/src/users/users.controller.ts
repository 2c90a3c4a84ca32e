// User management for admins: list, invite, change a role or a user's language, disable and enable again.
// A role change or disabling bumps the user's token_version, which ends their access
// tokens at once and their refresh tokens at the next refresh. An organization always
// keeps an enabled admin, and an admin cannot lock themselves out.
import { Body, ConflictException, Controller, Delete, Get, HttpCode, NotFoundException, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { ROLES, Role, rolesFor } from '../auth/permissions';
import { AuthService, hashInviteToken } from '../auth/auth.service';
import { RateLimit } from '../auth/rate-limit';
import { readOnly, UuidPipe, ZodPipe } from '../common/zod.pipe';
import type { UserRow } from '../repositories/tenant/users.repository';
import { TenantRepositories, TenantScope } from '../repositories/tenant/tenant-scope';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { InvitedUserSchema, UpdatedUserSchema, UserSchema } from './users.responses';
import { SPEC as USERS_LIST } from '../repositories/tenant/users.repository';

const RoleSchema = z.enum(ROLES as unknown as [Role, ...Role[]]);

/** The roles that manage users: an organization keeps at least one enabled user of them. */
const MANAGERS = rolesFor('users.manage');

const InviteSchema = z
  .object({
    email: z
      .string()
      .email()
      .max(320)
      .transform((e) => e.toLowerCase()),
    name: z.string().trim().min(1).max(200),
    role: RoleSchema,
  })
  .strict();

/** What GET /api/users/:id answers besides the editable fields: ignored when sent back (react-admin's update). */
const USER_READ_ONLY = [
  'id',
  'email',
  'disabledAt',
  'invited',
  'inviteExpiresAt',
  'lastLoginAt',
  'createdAt',
  'previous',
  'inviteToken',
  'inviteExpiresInDays',
] as const;

const UpdateUserSchema = z
  .object({
    ...readOnly(USER_READ_ONLY),
    name: z.string().trim().min(1).max(200).optional(),
    role: RoleSchema.optional(),
    disabled: z.boolean().optional(),
    /** the user's own language for messages; null: the organization's default */
    language: z.enum(['en', 'ru']).nullable().optional(),
  })
  .strict()
  .refine((b) => ['name', 'role', 'disabled', 'language'].some((k) => Object.hasOwn(b, k)), 'body: nothing to change (name, role, disabled or language)');
type UpdateUserBody = z.infer<typeof UpdateUserSchema>;

const INVITE_DAYS = 7;

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(
    private readonly scope: TenantScope,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Can('users.manage')
  @ApiList(UserSchema, { summary: 'Users of the organization', spec: USERS_LIST })
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.users.page(query));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Can('users.manage')
  @ApiJson(UserSchema, { summary: 'One user' })
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.scope.run(user.organizationId, (repos) => this.one(repos, id));
  }

  /** Invites a user: the answer carries the invitation token once (to send by mail). */
  @Post()
  @Can('users.manage')
  @RateLimit('invite', 30, 60)
  @ApiJson(InvitedUserSchema, { summary: 'Invite a user (the answer carries the invitation token once)', errors: [409] })
  async invite(@CurrentUser() user: AuthUser, @Body(new ZodPipe(InviteSchema)) body: z.infer<typeof InviteSchema>) {
    const token = randomBytes(24).toString('base64url');
    return this.scope.run(user.organizationId, async (repos) => {
      // Another organization's users are invisible here; the unique index still refuses them.
      if (await repos.users.emailTaken(body.email)) throw new ConflictException('email: a user with this email already exists');
      const id = await repos.users.insertInvited({
        email: body.email,
        name: body.name,
        role: body.role,
        invitedBy: user.id,
        inviteTokenHash: hashInviteToken(token),
        inviteDays: INVITE_DAYS,
      });
      if (!id) throw new ConflictException('email: a user with this email already exists');
      return { ...(await this.one(repos, id)), inviteToken: token, inviteExpiresInDays: INVITE_DAYS };
    });
  }

  @Patch(':id')
  @HttpCode(200)
  @Can('users.manage')
  @ApiJson(UpdatedUserSchema, { summary: "Change a user's name, role, language, or disable them", errors: [409] })
  update(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(UpdateUserSchema)) body: UpdateUserBody) {
    return this.change(user, id, body);
  }

  /** The same change with the whole record, as react-admin's update sends it (read-only fields ignored). */
  @Put(':id')
  @Can('users.manage')
  @ApiJson(UpdatedUserSchema, { summary: 'Change a user with the whole record, as react-admin sends it (read-only fields ignored)', errors: [409] })
  updateRecord(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(UpdateUserSchema)) body: UpdateUserBody) {
    return this.change(user, id, body);
  }

  /**
   * Withdraws an invitation that was never accepted. A user who has signed in is part of
   * the audit trail: disabling them (`disabled: true`) ends their access instead.
   */
  @Delete(':id')
  @HttpCode(200)
  @Can('users.manage')
  @ApiJson(UserSchema, { summary: 'Withdraw an invitation that was never accepted', errors: [409] })
  async remove(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.scope.run(user.organizationId, async (repos) => {
      const before = await this.one(repos, id);
      if (!(await repos.users.deleteUnacceptedInvite(id))) {
        throw new ConflictException('the user has accepted their invitation and is part of the audit trail: disable them (disabled: true) instead of deleting');
      }
      return before;
    });
  }

  private async change(user: AuthUser, id: string, body: UpdateUserBody) {
    const result = await this.scope.run(user.organizationId, async (repos) => {
      const before = await this.one(repos, id);
      const demotes = (body.role !== undefined && !MANAGERS.includes(body.role)) || body.disabled === true;
      if (id === user.id && demotes) throw new ConflictException('you cannot take away your own admin role or disable yourself; ask another admin');
      if (demotes && MANAGERS.includes(before.role) && !before.disabled) {
        // Lock the organization's admins so two admins demoting each other cannot both win.
        const admins = await repos.users.lockEnabledAdmins(MANAGERS);
        if (admins.length <= 1) throw new ConflictException('the organization must keep at least one enabled admin');
      }
      const endsTokens = (body.role !== undefined && body.role !== before.role) || (body.disabled !== undefined && body.disabled !== before.disabled);
      await repos.users.update(id, { name: body.name ?? null, role: body.role ?? null, disabled: body.disabled ?? null, bumpTokenVersion: endsTokens });
      if (endsTokens) await repos.users.revokeRefreshTokens(id);
      if (body.language !== undefined) await repos.users.setLanguage(id, body.language);
      return { ...(await this.one(repos, id)), previous: { role: before.role, disabled: before.disabled } };
    });
    this.auth.forget(id);
    return result;
  }

  private async one(repos: TenantRepositories, id: string): Promise<UserRow> {
    const row = await repos.users.byId(id);
    if (!row) throw new NotFoundException('user not found');
    return row;
  }
}
