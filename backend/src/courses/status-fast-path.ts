// The hot path of the polled status route. Dashboards and client SDKs ask for
// GET /api/courses/:id/status every few seconds, so when the caller's token is valid,
// the route's access rule admits the caller and the course's rows are in the
// status cache for the caller's organization, the answer is given from the cache before
// NestJS's pipeline (guard, pipes, interceptors) runs. Every other request (no or a bad
// token, a course not cached, another organization's course, a malformed id) goes on to
// the route itself, whose guard and service decide and word the refusal: this path can
// only ever give an answer the route would have given. The API's onSend hooks (security
// headers) apply to both.
import type { FastifyInstance } from 'fastify';
import { ACTIONS_KEY } from '../auth/access.decorators';
import { can, type Action } from '../auth/permissions';
import type { AuthService } from '../auth/auth.service';
import { CoursesController } from './courses.controller';
import type { CoursesService } from './courses.service';
import { pickLanguage } from './status-messages';

export const STATUS_ROUTE = '/api/courses/:id/status';

export function statusFastPath(fastify: FastifyInstance, auth: AuthService, courses: CoursesService): void {
  // The same rule the AccessGuard reads for the route.
  const actions: Action[] = Reflect.getMetadata(ACTIONS_KEY, CoursesController.prototype.status) ?? [];
  fastify.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || req.routeOptions.url !== STATUS_ROUTE) return;
    const header = req.headers.authorization;
    if (!header?.startsWith('Bearer ')) return;
    try {
      const user = await auth.verify(header.slice(7));
      if (!user || user.passwordChangeRequired || !actions.some((a) => can(user, a))) return;
      const body = await courses.cachedStatusBody(user, (req.params as { id: string }).id, pickLanguage(req.headers['accept-language'], user));
      if (body === null) return;
      // The request line names the caller (observability/request-log.ts).
      (req as { user?: unknown }).user = user;
      return reply.type('application/json; charset=utf-8').send(body);
    } catch {
      // Whatever went wrong here, the route itself answers.
      return;
    }
  });
}
