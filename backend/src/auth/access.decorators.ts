// Who may call a route. Every route carries one of these; the AccessGuard refuses a
// route that has neither (deny by default).
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export type Role = 'admin' | 'ops' | 'reviewer' | 'finance';
export const ALL_ROLES: Role[] = ['admin', 'ops', 'reviewer', 'finance'];

export const ROLES_KEY = 'mc:roles';
export const PUBLIC_KEY = 'mc:public';

export const Allow = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** A user who must change their password first may call this route (and public ones) only. */
export const BEFORE_PASSWORD_CHANGE_KEY = 'mc:before-password-change';
export const AllowedBeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE_KEY, true);

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string;
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});
