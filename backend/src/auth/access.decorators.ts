// Who may call a route. Every route carries one of these; the AccessGuard refuses a
// route that has neither (deny by default).
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export type Role = 'admin' | 'ops' | 'reviewer' | 'finance';
export const ALL_ROLES: Role[] = ['admin', 'ops', 'reviewer', 'finance'];

export const ROLES_KEY = 'mc:roles';
export const PUBLIC_KEY = 'mc:public';

export const Allow = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string;
  // Both set for every request's user (read with the user by the access check); optional
  // so that callers building a user by hand (tests, tools) need not name them.
  /** the user's own language (users.language); null when they chose none */
  language?: 'en' | 'ru' | null;
  /** the organization's default language (organizations.default_language) */
  organizationLanguage?: 'en' | 'ru';
}

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest().user;
});
