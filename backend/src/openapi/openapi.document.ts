// The OpenAPI 3.1 document of the API, built from the routes themselves: paths and
// methods from NestJS's route metadata, request bodies and path parameters from the
// ZodPipes that validate them, responses from @ApiJson/@ApiList/@ApiText/@ApiEmpty
// (api-doc.decorators.ts), access from @Can/@Public, 429 from @RateLimit. Zod 4's
// JSON Schema output gives the schemas (requests as they are read, responses as they
// are written). No app instance, no I/O: the same function writes the checked-in
// backend/openapi.json (`npm run openapi`) and answers /api/docs-json.
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common/enums/request-method.enum';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { z, ZodType } from 'zod';
import { ACTIONS_KEY, PUBLIC_KEY } from '../auth/access.decorators';
import { rolesFor, type Action } from '../auth/permissions';
import { RATE_LIMIT_KEY } from '../auth/rate-limit';
import { ZodPipe } from '../common/zod.pipe';
import { API_DOC_KEY, ApiDoc } from './api-doc.decorators';
import { ERROR_STATUSES, ErrorSchema, NAMED, TAGS } from './common.schemas';

type Json = Record<string, any>;
type Controller = abstract new (...args: any[]) => unknown;

export interface RouteInfo {
  method: string;
  /** OpenAPI form: /api/courses/{id} */
  path: string;
  controller: string;
  handler: string;
  operationId: string;
  doc: ApiDoc | undefined;
}

// @nestjs/swagger's metadata keys (its constants are not exported): @ApiTags, @ApiOperation, @ApiConsumes.
const DECORATORS = { API_TAGS: 'swagger/apiUseTags', API_OPERATION: 'swagger/apiOperation', API_CONSUMES: 'swagger/apiConsumes' };

const METHODS: Record<number, string> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.PATCH]: 'patch',
};
const REF = (id: string) => `#/components/schemas/${id}`;
const pascal = (s: string) => s.replace(/(^|[-_ ./])(\w)/g, (_, __, c: string) => c.toUpperCase());

interface RouteArg {
  type: number;
  data: unknown;
  pipes: unknown[];
}

function routeArgs(controller: Controller, handler: string): RouteArg[] {
  const meta: Record<string, { index: number; data: unknown; pipes?: unknown[] }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {};
  return Object.entries(meta).map(([key, v]) => ({ type: Number(key.split(':')[0]), data: v.data, pipes: v.pipes ?? [] }));
}

const zodOf = (pipes: unknown[]): ZodType | undefined => (pipes.find((p) => p instanceof ZodPipe) as ZodPipe<unknown> | undefined)?.schema;

/** Every route of the controllers with what the document says of it. */
export function apiRoutes(controllers: readonly Controller[]): RouteInfo[] {
  const routes: RouteInfo[] = [];
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    for (const handler of Object.getOwnPropertyNames(controller.prototype)) {
      const fn = controller.prototype[handler];
      if (handler === 'constructor' || typeof fn !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, fn);
      const sub = Reflect.getMetadata(PATH_METADATA, fn);
      if (method === undefined || sub === undefined) continue;
      const parts = ['api', base, String(sub)].flatMap((p) => p.split('/')).filter(Boolean);
      const path = `/${parts.map((p) => (p.startsWith(':') ? `{${p.slice(1)}}` : p)).join('/')}`;
      const name = controller.name.replace(/Controller$/, '');
      routes.push({
        method: METHODS[method] ?? 'get',
        path,
        controller: controller.name,
        handler,
        operationId: `${name.charAt(0).toLowerCase()}${name.slice(1)}_${handler}`,
        doc: Reflect.getMetadata(API_DOC_KEY, fn),
      });
    }
  }
  return routes;
}

interface Schemas {
  /** schema -> component id, for request bodies (read as input) */
  input: Map<ZodType, string>;
  /** schema -> component id, for responses (written as output) */
  output: Map<ZodType, string>;
}

function name(map: Map<ZodType, string>, taken: Set<string>, schema: ZodType, wanted: string): string {
  const known = map.get(schema);
  if (known) return known;
  const id = NAMED.get(schema) ?? wanted;
  let unique = id;
  for (let n = 2; taken.has(unique); n++) unique = `${id}${n}`;
  taken.add(unique);
  map.set(schema, unique);
  return unique;
}

/** A query parameter per property of a Zod object, read as input. */
function queryParameters(schema: ZodType | undefined): Json[] {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  const required = new Set<string>(json.required ?? []);
  return Object.entries<Json>(json.properties ?? {}).map(([key, s]) => {
    const { description, ...rest } = s;
    return { name: key, in: 'query', required: required.has(key), ...(description ? { description } : {}), schema: rest };
  });
}

/** The react-admin list parameters; no `filter` for a list that takes none (`filters: []`). */
const LIST_PARAMETERS = (sortable?: readonly string[], filters?: readonly string[]): Json[] =>
  [
    {
      name: 'sort',
      in: 'query',
      required: false,
      description: `react-admin's sort: a JSON array [field, "ASC" | "DESC"]${sortable ? `; field one of ${sortable.join(', ')}` : ''}.`,
      schema: { type: 'string' },
      example: `["${sortable?.[0] ?? 'id'}","DESC"]`,
    },
    {
      name: 'range',
      in: 'query',
      required: false,
      description: "react-admin's range: a JSON array [first, last] of row offsets, both included (default [0,24], at most 500 rows).",
      schema: { type: 'string' },
      example: '[0,24]',
    },
    {
      name: 'filter',
      in: 'query',
      required: false,
      description: `react-admin's filter: a JSON object of field -> value (an array matches any of its values)${filters ? `; keys ${filters.join(', ')}` : ''}. Unknown keys are a 400.`,
      schema: { type: 'string' },
      example: '{}',
    },
  ].filter((p) => p.name !== 'filter' || filters === undefined || filters.length > 0);

const CONTENT_RANGE = {
  'Content-Range': {
    description: 'the page and the total: `<resource> <first>-<last>/<total>`, the total written `10000+` past 10000 rows',
    schema: { type: 'string' },
    example: 'courses 0-24/137',
  },
};

function errorsOf(
  route: RouteInfo,
  controller: Controller,
  fn: object,
  hasInput: { body: boolean; params: boolean; query: boolean },
  isPublic: boolean,
): number[] {
  // 400 on every route: text Postgres cannot store (NUL, lone surrogates) in any query
  // string is refused before the route runs (main-api.ts), besides each route's own checks.
  const statuses = new Set<number>([400, ...(route.doc?.errors ?? [])]);
  if (!isPublic) {
    statuses.add(401);
    statuses.add(403);
  }
  if (hasInput.params) statuses.add(404);
  if (hasInput.body) {
    statuses.add(413);
    statuses.add(415);
  }
  if (Reflect.getMetadata(RATE_LIMIT_KEY, fn) ?? Reflect.getMetadata(RATE_LIMIT_KEY, controller)) statuses.add(429);
  return [...statuses].sort((a, b) => a - b);
}

function accessText(actions: Action[] | undefined, isPublic: boolean): string {
  if (isPublic) return 'Public: no token needed.';
  if (!actions) return '';
  const roles = [...new Set(actions.flatMap((a) => rolesFor(a)))];
  return `Needs ${actions.map((a) => `\`${a}\``).join(' or ')} (${roles.length ? `roles: ${roles.join(', ')}` : "the platform's admins only"}).`;
}

export interface DocumentOptions {
  version?: string;
}

/** The whole document. Deterministic: the same routes give the same bytes. */
export function buildOpenApiDocument(controllers: readonly Controller[], options: DocumentOptions = {}): Json {
  const routes = apiRoutes(controllers);
  const schemas: Schemas = { input: new Map(), output: new Map() };
  const taken = new Set<string>(['Error']);
  const paths: Json = {};
  const byClass = new Map(controllers.map((c) => [c.name, c]));

  for (const route of routes) {
    const controller = byClass.get(route.controller)!;
    const fn = controller.prototype[route.handler];
    const doc = route.doc;
    const args = routeArgs(controller, route.handler);
    const isPublic = !!(Reflect.getMetadata(PUBLIC_KEY, fn) ?? Reflect.getMetadata(PUBLIC_KEY, controller));
    const actions: Action[] | undefined = Reflect.getMetadata(ACTIONS_KEY, fn) ?? Reflect.getMetadata(ACTIONS_KEY, controller);
    const tags: string[] = Reflect.getMetadata(DECORATORS.API_TAGS, controller) ?? [];
    const swaggerOp: Json = Reflect.getMetadata(DECORATORS.API_OPERATION, fn) ?? {};
    const consumes: string[] = Reflect.getMetadata(DECORATORS.API_CONSUMES, fn) ?? [];

    const parameters: Json[] = [];
    for (const m of route.path.matchAll(/\{(\w+)\}/g)) {
      const arg = args.find((a) => a.type === RouteParamtypes.PARAM && a.data === m[1]);
      const schema = arg ? zodOf(arg.pipes) : undefined;
      const json = schema ? (z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json) : { type: 'string' };
      delete json.$schema;
      parameters.push({ name: m[1], in: 'path', required: true, schema: json });
    }
    const queryDoc = doc && 'query' in doc ? doc.query : undefined;
    if (doc?.kind === 'list')
      parameters.push(
        ...LIST_PARAMETERS(doc.sortable ?? (doc.spec && Object.keys(doc.spec.sortable)), doc.filters ?? (doc.spec && Object.keys(doc.spec.filters))),
      );
    parameters.push(...queryParameters(queryDoc));
    if (args.some((a) => a.type === RouteParamtypes.HEADERS && a.data === 'accept-language')) {
      parameters.push({
        name: 'Accept-Language',
        in: 'header',
        required: false,
        description: "the language of status messages (en or ru); without it the user's own language, then the organization's default",
        schema: { type: 'string' },
        example: 'ru',
      });
    }

    const op: Json = {
      operationId: route.operationId,
      summary: doc?.summary ?? swaggerOp.summary ?? `${route.method.toUpperCase()} ${route.path}`,
    };
    const description = [doc?.description ?? swaggerOp.description, accessText(actions, isPublic)].filter(Boolean).join('\n\n');
    if (description) op.description = description;
    if (tags.length) op.tags = tags;
    if (isPublic) op.security = [];
    if (parameters.length) op.parameters = parameters;

    let hasBody = false;
    if (consumes.includes('multipart/form-data')) {
      hasBody = true;
      op.requestBody = {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: { file: { type: 'array', items: { type: 'string', contentMediaType: 'application/octet-stream' } } },
              required: ['file'],
            },
          },
        },
      };
    } else {
      const body = args.find((a) => a.type === RouteParamtypes.BODY);
      const schema = body ? zodOf(body.pipes) : undefined;
      if (schema) {
        hasBody = true;
        const id = name(schemas.input, taken, schema, `${pascal(route.operationId)}Body`);
        op.requestBody = { required: !schema.safeParse(undefined).success, content: { 'application/json': { schema: { $ref: REF(id) } } } };
      }
    }

    const method = Reflect.getMetadata(METHOD_METADATA, fn);
    const status = String(doc?.status ?? Reflect.getMetadata(HTTP_CODE_METADATA, fn) ?? (method === RequestMethod.POST ? 201 : 200));
    const responses: Json = {};
    if (!doc || doc.kind === 'empty') {
      responses[status] = { description: doc ? 'no content' : 'undocumented' };
    } else if (doc.kind === 'text') {
      responses[status] = {
        description: 'text',
        content: { [doc.contentType]: { schema: { type: 'string' }, ...(doc.example ? { example: doc.example } : {}) } },
      };
    } else {
      // An array answer is an array of its element's component.
      const array = doc.kind === 'json' && doc.schema instanceof z.ZodArray;
      const element = array ? ((doc.schema as z.ZodArray).element as ZodType) : doc.schema;
      const id = name(schemas.output, taken, element, pascal(route.operationId) + (array ? 'Item' : ''));
      const ref = { $ref: REF(id) };
      responses[status] =
        doc.kind === 'list'
          ? { description: 'one page of the list', headers: CONTENT_RANGE, content: { 'application/json': { schema: { type: 'array', items: ref } } } }
          : { description: 'the answer', content: { 'application/json': { schema: array ? { type: 'array', items: ref } : ref } } };
    }
    const hasParams = parameters.some((p) => p.in === 'path');
    for (const e of errorsOf(route, controller, fn, { body: hasBody, params: hasParams, query: !!queryDoc || doc?.kind === 'list' }, isPublic)) {
      responses[e] = { $ref: `#/components/responses/${ERROR_STATUSES[e].name}` };
    }
    op.responses = responses;
    (paths[route.path] ??= {})[route.method] = op;
  }

  const components: Json = { schemas: {} };
  const convert = (map: Map<ZodType, string>, io: 'input' | 'output') => {
    const registry = z.registry<{ id: string }>();
    for (const [schema, id] of map) registry.add(schema, { id });
    // Schemas named with named() that responses contain become components of their own.
    if (io === 'output') {
      for (const [schema, id] of NAMED) if (!map.has(schema) && !taken.has(id)) registry.add(schema, { id });
    }
    const out = z.toJSONSchema(registry, { io, unrepresentable: 'any', target: 'draft-2020-12', uri: REF }) as { schemas: Record<string, Json> };
    for (const [id, s] of Object.entries(out.schemas)) {
      delete s.$schema;
      delete s.$id;
      components.schemas[id] = s;
    }
  };
  convert(schemas.input, 'input');
  convert(schemas.output, 'output');
  const error = z.toJSONSchema(ErrorSchema, { io: 'output' }) as Json;
  delete error.$schema;
  components.schemas.Error = error;
  components.schemas = Object.fromEntries(Object.entries(components.schemas).sort(([a], [b]) => a.localeCompare(b)));
  components.responses = Object.fromEntries(
    Object.values(ERROR_STATUSES).map((e) => [
      e.name,
      {
        description: e.description,
        ...(e.status === 429 || e.status === 503
          ? { headers: { 'Retry-After': { description: 'seconds after which trying again may succeed', schema: { type: 'integer' } } } }
          : {}),
        content: { 'application/json': { schema: { $ref: REF('Error') }, example: { statusCode: e.status, message: e.example, error: e.title } } },
      },
    ]),
  );
  components.securitySchemes = { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'the accessToken of POST /api/auth/login' } };

  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)));
  const usedTags = new Set(Object.values<Json>(sortedPaths).flatMap((p) => Object.values<Json>(p).flatMap((o) => o.tags ?? [])));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mission Control',
      version: options.version ?? '0.1.0',
      description:
        "Runs and watches the course-generation pipeline. Lists follow react-admin's ra-data-simple-rest conventions (sort, range, filter as JSON query parameters; Content-Range in the answer). Errors are `{statusCode, message, error}`, the message naming the field at fault.",
      license: { name: 'UNLICENSED', identifier: 'UNLICENSED' },
    },
    servers: [{ url: '/', description: "the API's own origin" }],
    security: [{ bearer: [] }],
    tags: TAGS.filter((t) => usedTags.has(t.name)),
    paths: sortedPaths,
    components,
  };
}
