// The OpenAPI document: every route documents its answer, and the checked-in spec and
// the dashboard's generated types are what `npm run openapi` writes now.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { apiDocument, apiControllers, DASHBOARD_TYPES_FILE, dashboardTypesText, SPEC_FILE, specText } from './api-document';
import { apiRoutes } from './openapi.document';

const STALE = 'is stale: run `npm run openapi` and commit backend/openapi.json and dashboard/src/api/schema.d.ts';

type Op = {
  operationId: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
};

describe('OpenAPI document', () => {
  const doc = apiDocument();
  const ops: [string, Op][] = Object.entries(doc.paths as Record<string, Record<string, Op>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([m, op]) => [`${m.toUpperCase()} ${path}`, op] as [string, Op]),
  );

  it('every route declares its response (@ApiJson, @ApiList, @ApiText or @ApiEmpty; see README "Adding a route")', () => {
    const missing = apiRoutes(apiControllers())
      .filter((r) => !r.doc)
      .map((r) => `${r.method.toUpperCase()} ${r.path} (${r.controller}.${r.handler})`);
    expect(missing).toEqual([]);
  });

  it('backend/openapi.json is what the routes say now', () => {
    const text = readFileSync(SPEC_FILE, 'utf8');
    if (text !== specText(doc)) throw new Error(`backend/openapi.json ${STALE}`);
  });

  it('dashboard/src/api/schema.d.ts is generated from backend/openapi.json', () => {
    const text = readFileSync(DASHBOARD_TYPES_FILE, 'utf8');
    if (text !== dashboardTypesText(SPEC_FILE)) throw new Error(`dashboard/src/api/schema.d.ts ${STALE}`);
  });

  it('public routes need no token, every other route the bearer token', () => {
    expect(doc.security).toEqual([{ bearer: [] }]);
    const publicOps = ops
      .filter(([, op]) => op.security !== undefined)
      .map(([key]) => key)
      .sort();
    expect(publicOps).toEqual([
      'GET /api/health',
      'GET /api/health/live',
      'GET /api/health/ready',
      'POST /api/auth/accept-invite',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/auth/refresh',
    ]);
    for (const [key, op] of ops) {
      if (op.security) expect([key, op.security]).toEqual([key, []]);
      else expect([key, Object.keys(op.responses).filter((s) => s === '401' || s === '403')]).toEqual([key, ['401', '403']]);
    }
  });

  it('lists document sort, range, filter and Content-Range', () => {
    const lists = ops.filter(([, op]) => Object.values(op.responses).some((r) => r.headers?.['Content-Range']));
    expect(lists.length).toBeGreaterThanOrEqual(10);
    for (const [key, op] of lists) {
      expect([key, ['sort', 'range'].filter((p) => !op.parameters?.some((x) => x.name === p && x.in === 'query'))]).toEqual([key, []]);
    }
    expect(lists.filter(([, op]) => op.parameters?.some((x) => x.name === 'filter')).length).toBeGreaterThanOrEqual(10);
  });

  it('Accept-Language is never required', () => {
    const required = ops.flatMap(([key, op]) => (op.parameters ?? []).filter((p) => p.in === 'header' && p.required).map((p) => `${key} ${p.name}`));
    expect(required).toEqual([]);
    expect(ops.some(([, op]) => op.parameters?.some((p) => p.name === 'Accept-Language'))).toBe(true);
  });

  it('routes that read a body document it, with 400, 413 and 415', () => {
    const posts = ops.filter(([key]) => /^(POST|PUT|PATCH) /.test(key));
    for (const [key, op] of posts) {
      if (!op.requestBody) continue;
      expect([key, ['400', '413', '415'].filter((s) => !op.responses[s])]).toEqual([key, []]);
    }
    expect(posts.filter(([, op]) => op.requestBody).length).toBeGreaterThanOrEqual(20);
  });
});
