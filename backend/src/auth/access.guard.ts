// One guard on every route: public routes pass; every other route needs a valid token
// and an action the route names that the permission table grants the caller. A route with no rule is refused. Rate limits
// (`@RateLimit`) count per user, or per address on public routes.
import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { auditTarget } from './audit';
import { AuthService } from './auth.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ACTIONS_KEY, BEFORE_PASSWORD_CHANGE_KEY, PUBLIC_KEY, SCRAPE_TOKEN_KEY } from './access.decorators';
import { bearerMatches } from './metrics-token';
import { can, type Action } from './permissions';
import { RATE_LIMIT_KEY, RateLimiter, RateRule } from './rate-limit';

@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const req = ctx.switchToHttp().getRequest();
    const rate = this.reflector.getAllAndOverride<RateRule | undefined>(RATE_LIMIT_KEY, targets);
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) {
      if (rate) await this.limiter.hit(rate, `ip:${req.ip}`);
      return true;
    }
    const actions = this.reflector.getAllAndOverride<Action[]>(ACTIONS_KEY, targets);
    const header: string | undefined = req.headers?.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    if (!token) throw new UnauthorizedException('missing bearer token');
    // The deployment's scrape credential, on the routes that take it (GET /api/metrics).
    const scrapeToken = this.config.metricsToken;
    if (scrapeToken && this.reflector.getAllAndOverride<boolean>(SCRAPE_TOKEN_KEY, targets) && bearerMatches(header, scrapeToken)) {
      req.scraper = true;
      if (rate) await this.limiter.hit(rate, 'scraper');
      return true;
    }
    const user = await this.auth.verify(token);
    if (!user) throw new UnauthorizedException('invalid or expired token');
    req.user = user;
    if (user.passwordChangeRequired && !this.reflector.getAllAndOverride<boolean>(BEFORE_PASSWORD_CHANGE_KEY, targets)) {
      throw new ForbiddenException('password change required: set a new password with POST /api/auth/password before doing anything else');
    }
    if (!actions || actions.length === 0) throw new ForbiddenException('this route has no access rule');
    if (!actions.some((a) => can(user, a))) throw new ForbiddenException(`role ${user.role} may not do this (${actions.join(' or ')})`);
    if (rate) await this.limiter.hit(rate, `user:${user.id}`);
    // Writes are recorded in the audit log once they succeed (see recordWrites).
    req.auditTarget = auditTarget(req.method, ctx.getClass(), ctx.getHandler());
    return true;
  }
}
