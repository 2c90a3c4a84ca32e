// Turns domain errors into the HTTP answers DESIGN.md names; anything unexpected is a
// logged 500 without internals in the body.
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { mapDbError } from '../repositories/db-errors';
import { CourseNotFoundError } from '../orchestrator/course-orchestrator';
import { allowedMethods } from './allowed-methods';

export class ConflictStateError extends Error {}
export class TooManyError extends Error {
  /** seconds after which trying again may succeed (the Retry-After header) */
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

const HTTP_NAMES: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 503: 'Service Unavailable' };

@Catch()
export class ErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // JSON whatever the route had begun to answer (a CSV route sets its type early).
    const send = (statusCode: number, message: string, error: string) =>
      void reply.status(statusCode).type('application/json; charset=utf-8').send({ statusCode, message, error });
    if (exception instanceof NotFoundException && /^Cannot [A-Z]+ \//.test(exception.message)) {
      // No route for this method; a path another method answers is a 405 naming them.
      const url = host.switchToHttp().getRequest<{ url: string; method: string }>().url;
      const allow = allowedMethods(url);
      if (allow.length) {
        void reply.header('Allow', allow.join(', '));
        return send(
          405,
          `${host.switchToHttp().getRequest<{ method: string }>().method} is not allowed here (allowed: ${allow.join(', ')})`,
          'Method Not Allowed',
        );
      }
    }
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : ((body as { message?: string | string[] }).message ?? exception.message);
      return send(exception.getStatus(), Array.isArray(message) ? message.join('; ') : message, exception.name.replace(/Exception$/, ''));
    }
    if (exception instanceof CourseNotFoundError) return send(404, 'course not found', 'Not Found');
    if (exception instanceof ConflictStateError) return send(409, exception.message, 'Conflict');
    if (exception instanceof TooManyError) {
      if (exception.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
      return send(429, exception.message, 'Too Many Requests');
    }
    const status = (exception as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // fastify's own errors: body too large, bad JSON, wrong content type
      return send(status, (exception as Error).message, 'Bad Request');
    }
    // Postgres errors from either door (tenant or system), in our own words (repositories/db-errors.ts).
    const db = mapDbError(exception);
    if (db) {
      if (db.status === 503) {
        this.logger.warn(exception instanceof Error ? exception.message : String(exception));
        void reply.header('Retry-After', '1');
      }
      return send(db.status, db.message, HTTP_NAMES[db.status]);
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    send(500, 'internal error', 'Internal Server Error');
  }
}
