// What a route needs. Every route carries `@Can(...actions)` (the caller must be allowed
// at least one of them by the permission table, permissions.ts) or `@Public()`; the
// AccessGuard refuses a route that has neither (deny by default).
import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ROLES, type Action, type Principal, type Role } from './permissions';

export type { Action, Role };
export const ALL_ROLES: readonly Role[] = ROLES;

export const ACTIONS_KEY = 'mc:actions';
export const PUBLIC_KEY = 'mc:public';

export const Can = (...actions: [Action, ...Action[]]) => SetMetadata(ACTIONS_KEY, actions);
export const Public = () => SetMetadata(PUBLIC_KEY, true);
/** The route also admits the METRICS_TOKEN scrape credential (metrics-token.ts); the request then has `scraper: true` and no user. */
export const SCRAPE_TOKEN_KEY = 'mc:scrape-token';
export const AcceptsScrapeToken = () => SetMetadata(SCRAPE_TOKEN_KEY, true);

/** A user who must change their password first may call this route (and public ones) only. */
export const BEFORE_PASSWORD_CHANGE_KEY = 'mc:before-password-change';
export const AllowedBeforePasswordChange = () => SetMetadata(BEFORE_PASSWORD_CHANGE_KEY, true);

export interface AuthUser extends Principal {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string;
  /** an admin of the platform organization: the deployment's operator */
  operator: boolean;
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
