// What a route answers, for the OpenAPI document (openapi/openapi.document.ts): the Zod
// schema of its response, its summary, and what the generator cannot see from the
// route itself (a list's react-admin parameters, a query string, the errors it adds).
// Request bodies and path parameters are read from the route's ZodPipes; tags from
// @ApiTags; who may call it from @Can/@Public; 429 from @RateLimit.
//
// The decorators are typed against the handler: a handler whose answer does not fit
// the schema (a missing field, a string where the schema says number) does not compile.
import { SetMetadata } from '@nestjs/common';
import type { z, ZodObject, ZodType } from 'zod';

export const API_DOC_KEY = 'mc:openapi';

/** Error statuses a route may add to the ones the generator infers (400, 401, 403, 404, 413, 415, 429). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

export interface ApiDocOptions {
  summary: string;
  description?: string;
  /** statuses besides the inferred ones, e.g. 409 when the course's state does not allow the action */
  errors?: readonly ErrorStatus[];
  /** the query string's parameters, one per property of the object */
  query?: ZodObject;
  /** the success status when it is not 200 (POST with @HttpCode is read from the route) */
  status?: number;
}

export interface ListOptions extends Omit<ApiDocOptions, 'query'> {
  /** fields `sort` accepts (the repository's allow-list) */
  sortable?: readonly string[];
  /** keys `filter` accepts */
  filters?: readonly string[];
  /** the repository's list spec, whose allow-lists say both (repositories/list-query.ts) */
  spec?: { sortable: object; filters: object };
  /** extra query parameters beside sort, range and filter */
  query?: ZodObject;
}

export type ApiDoc =
  | ({ kind: 'json'; schema: ZodType } & ApiDocOptions)
  | ({ kind: 'list'; schema: ZodType } & ListOptions)
  | ({ kind: 'text'; contentType: string; example?: string } & ApiDocOptions)
  | ({ kind: 'empty' } & ApiDocOptions);

/** JSON carries dates as strings: a handler may return a Date where the schema says string. */
type Wire<T> = T extends string ? T | Date : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;
// undefined: a handler may end in a branch the database rules out (a row that must exist).
type Handler<T> = (...args: any[]) => T | undefined | Promise<T | undefined>;
// Only `value` is named, so the check is covariant (TypedPropertyDescriptor's setter would make it invariant).
type TypedMethodDecorator<T> = (target: object, key: string | symbol, descriptor: { value?: Handler<T> }) => void;

const set = (doc: ApiDoc) => SetMetadata(API_DOC_KEY, doc) as (target: object, key: string | symbol, descriptor: PropertyDescriptor) => void;

/** The route answers JSON of this schema. */
export function ApiJson<S extends ZodType>(schema: S, options: ApiDocOptions): TypedMethodDecorator<Wire<z.output<S>>> {
  return set({ kind: 'json', schema, ...options });
}

/** A react-admin list: an array of this schema, `sort`/`range`/`filter` JSON parameters, and `Content-Range`. */
export function ApiList<S extends ZodType>(schema: S, options: ListOptions): TypedMethodDecorator<Wire<z.output<S>>[]> {
  return set({ kind: 'list', schema, ...options });
}

/** The route answers text (CSV, Prometheus), written by the handler itself. */
export function ApiText(contentType: string, options: ApiDocOptions & { example?: string }): TypedMethodDecorator<unknown> {
  return set({ kind: 'text', contentType, ...options });
}

/** The route answers no body (204). */
export function ApiEmpty(options: ApiDocOptions): TypedMethodDecorator<void> {
  return set({ kind: 'empty', status: 204, ...options });
}
