// Pieces every module's response schemas share: the error body (common/errors.filter.ts),
// timestamps as JSON carries them, naming a schema as a component of its own, and the
// tags of the document.
import { z, ZodType } from 'zod';

/** Schemas that become `components.schemas[id]` wherever a response contains them. */
export const NAMED = new Map<ZodType, string>();

/** Names a schema: the OpenAPI document and the dashboard's generated types call it `id`. */
export function named<S extends ZodType>(id: string, schema: S): S {
  NAMED.set(schema, id);
  return schema;
}

/** An ISO 8601 timestamp (a Date in the handler, a string on the wire). */
export const DateTime = z.string().meta({ format: 'date-time' });
/** A calendar day, YYYY-MM-DD. */
export const Day = z.string().meta({ format: 'date' });
/** An amount of money in USD as a decimal string (numeric in Postgres: exact). */
export const Usd = z.string().meta({ description: 'USD as a decimal string' });
export const Uuid = z.string().meta({ format: 'uuid' });
/** A value whose shape belongs to the pipeline (stage outputs, trace bodies): any JSON. */
export const AnyJson = z.unknown();

/** Every error answer (common/errors.filter.ts): the message names the field at fault. */
export const ErrorSchema = z.object({
  statusCode: z.number().int(),
  message: z.string(),
  error: z.string(),
});

export const ERROR_STATUSES: Record<number, { status: number; name: string; title: string; description: string; example: string }> = {
  400: {
    status: 400,
    name: 'BadRequest',
    title: 'Bad Request',
    description: 'a parameter or body field is wrong; the message names it',
    example: 'title: is required',
  },
  401: {
    status: 401,
    name: 'Unauthorized',
    title: 'Unauthorized',
    description: 'no valid token (or, for sign-in, wrong credentials)',
    example: 'missing or invalid token',
  },
  403: {
    status: 403,
    name: 'Forbidden',
    title: 'Forbidden',
    description: "the caller's role may not do this",
    example: 'your role (finance) may not courses.create',
  },
  404: { status: 404, name: 'NotFound', title: 'Not Found', description: "not found in the caller's organization", example: 'course not found' },
  409: {
    status: 409,
    name: 'Conflict',
    title: 'Conflict',
    description: "the resource's state does not allow this now; the message says why",
    example: 'course is not awaiting approval',
  },
  413: {
    status: 413,
    name: 'PayloadTooLarge',
    title: 'Payload Too Large',
    description: 'the body is larger than the API accepts',
    example: 'Request body is too large',
  },
  415: {
    status: 415,
    name: 'UnsupportedMediaType',
    title: 'Unsupported Media Type',
    description: "the body's content type is not one this route takes",
    example: 'Unsupported Media Type: text/plain',
  },
  429: {
    status: 429,
    name: 'TooManyRequests',
    title: 'Too Many Requests',
    description: 'past a rate or concurrency limit; Retry-After says when to try again',
    example: 'rate limit: at most 120 course-create requests per 60 s; try again in 12 s',
  },
  503: {
    status: 503,
    name: 'ServiceUnavailable',
    title: 'Service Unavailable',
    description: 'a dependency is down or the process is stopping',
    example: 'database unavailable, try again',
  },
};

export const TAGS: { name: string; description: string }[] = [
  { name: 'auth', description: "Sign-in, tokens, invitations and the caller's own profile" },
  { name: 'courses', description: 'Courses and their generation: start, status, stages, gates, retry, cancel, history, timeline' },
  { name: 'documents', description: 'Source documents of a course (stages 2 and 3)' },
  { name: 'approvals', description: "The reviewers' inbox of courses waiting at a gate" },
  { name: 'overview', description: "The dashboard's home: server aggregates of the organization" },
  { name: 'lessons', description: 'Stage 6 lessons and their generated source' },
  { name: 'traces', description: 'Model calls with tokens, cost and time' },
  { name: 'reports', description: 'Cost reports, re-pricing and closed months' },
  { name: 'budgets', description: "The month's spend against the organization's budget" },
  { name: 'models', description: "The organization's model prices over the shared catalog" },
  { name: 'catalog', description: "The shared model catalog (edited by the platform's admins)" },
  { name: 'organization', description: "The caller's organization: policy, limits, webhooks" },
  { name: 'users', description: 'User management for admins' },
  { name: 'audit', description: 'Who changed what' },
  { name: 'jobs', description: "The organization's phase jobs" },
  { name: 'alerts', description: 'Stall alerts' },
  { name: 'queues', description: "Bull Board sessions for the platform's operators" },
  { name: 'health', description: 'Probes and metrics' },
];
