import { Body, Controller, Get, HttpCode, Ip, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ZodPipe } from '../common/zod.pipe';
import { AllowedBeforePasswordChange, AuthUser, Can, CurrentUser, Public } from './access.decorators';
import { actionsOf } from './permissions';
import { MAX_PASSWORD_LENGTH, passwordProblem } from './password-policy';
import { AuthService } from './auth.service';
import { RateLimit } from './rate-limit';
import { ApiEmpty, ApiJson } from '../openapi/api-doc.decorators';
import { MeSchema, SessionSchema } from './auth.responses';

const LoginSchema = z
  .object({
    email: z.string().email().max(320),
    password: z.string().min(1).max(200),
  })
  .strict();

const RefreshSchema = z.object({ refreshToken: z.string().min(20).max(200) }).strict();

/** A new password: the policy of auth/password-policy.ts, worded per field. */
const newPassword = z
  .string()
  .max(MAX_PASSWORD_LENGTH)
  .superRefine((value, ctx) => {
    const problem = passwordProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const AcceptInviteSchema = z
  .object({
    token: z.string().min(20).max(200),
    password: newPassword,
  })
  .strict();

const ChangePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(MAX_PASSWORD_LENGTH),
    newPassword,
  })
  .strict();

const MeBodySchema = z
  .object({
    /** the caller's own language for messages; null: the organization's default */
    language: z.enum(['en', 'ru']).nullable(),
  })
  .strict();

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiJson(SessionSchema, { summary: 'Sign in with email and password', errors: [401, 429] })
  login(@Body(new ZodPipe(LoginSchema)) body: z.infer<typeof LoginSchema>, @Ip() ip: string) {
    return this.auth.login(body.email, body.password, ip);
  }

  @Public()
  @RateLimit('refresh', 120, 60)
  @Post('refresh')
  @HttpCode(200)
  @ApiJson(SessionSchema, { summary: 'Trade a refresh token for a new session (the old token ends)', errors: [401] })
  refresh(@Body(new ZodPipe(RefreshSchema)) body: z.infer<typeof RefreshSchema>) {
    return this.auth.refresh(body.refreshToken);
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiEmpty({ summary: "Sign out: end the refresh token's session" })
  async logout(@Body(new ZodPipe(RefreshSchema)) body: z.infer<typeof RefreshSchema>) {
    await this.auth.logout(body.refreshToken);
  }

  @Public()
  @RateLimit('accept-invite', 20, 60)
  @Post('accept-invite')
  @HttpCode(200)
  @ApiJson(SessionSchema, { summary: 'Accept an invitation: set a password and sign in', errors: [401] })
  acceptInvite(@Body(new ZodPipe(AcceptInviteSchema)) body: z.infer<typeof AcceptInviteSchema>, @Ip() ip: string) {
    return this.auth.acceptInvite(body.token, body.password, ip);
  }

  /**
   * Changes the caller's password. The one route (with sign-out) open to a user who must
   * change their password first; answers a new session, the old one's tokens end.
   */
  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @Can('me.edit')
  @AllowedBeforePasswordChange()
  @RateLimit('change-password', 10, 60)
  @ApiJson(SessionSchema, { summary: "Change the caller's password (answers a new session)" })
  changePassword(@Body(new ZodPipe(ChangePasswordSchema)) body: z.infer<typeof ChangePasswordSchema>, @CurrentUser() user: AuthUser) {
    return this.auth.changePassword(user, body.currentPassword, body.newPassword);
  }

  @Get('me')
  @ApiBearerAuth()
  @Can('me.read')
  @ApiJson(MeSchema, { summary: 'Who the caller is and what they may do' })
  me(@CurrentUser() user: AuthUser) {
    return meBody(user);
  }

  /** The caller sets their own language (null: follow the organization's default). */
  @Put('me')
  @ApiBearerAuth()
  @Can('me.edit')
  @ApiJson(MeSchema, { summary: "Set the caller's own language" })
  async setMe(@CurrentUser() user: AuthUser, @Body(new ZodPipe(MeBodySchema)) body: z.infer<typeof MeBodySchema>) {
    await this.auth.setLanguage(user, body.language);
    return meBody({ ...user, language: body.language });
  }
}

/** Who the caller is, their languages, and every action the permission table allows them (the dashboard asks `can(action)` of it). */
export function meBody(user: AuthUser) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    organizationId: user.organizationId,
    operator: user.operator,
    language: user.language ?? null,
    organizationLanguage: user.organizationLanguage ?? 'en',
    actions: actionsOf(user),
  };
}

@ApiTags('auth')
@Controller('me')
export class MeController {
  @Get()
  @ApiBearerAuth()
  @Can('me.read')
  @ApiJson(MeSchema, { summary: 'Who the caller is and what they may do (same as GET /api/auth/me)' })
  me(@CurrentUser() user: AuthUser) {
    return meBody(user);
  }
}
