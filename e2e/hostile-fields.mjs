// The field table of the hostile-input walk (e2e/tests/hostile-input.test.mjs): every
// route's free-text fields, and the routes that take none.
// ---------------------------------------------------------------------------------------
// What each route takes, read from the backend's schemas (backend/src/**/*.dto.ts, the
// controllers' Zod schemas and the list SPECs). Kinds: S string, U uuid, D date
// YYYY-MM-DD, T ISO date-time, M month YYYY-MM. `valid` is a value the field accepts,
// so that a hostile character inside it is the only thing wrong with the request.
// Enum-only, number and boolean fields are left out: they take no free text.
// ---------------------------------------------------------------------------------------
export const S = 'string';
export const U = 'uuid';
export const D = 'date';
export const T = 'datetime';
export const M = 'month';
export const VALID = { [S]: 'abcd', [U]: '5f1c7a3e-2b4d-4c8e-9a6f-1d2e3f4a5b6c', [D]: '2026-01-15', [T]: '2026-01-15T10:00:00Z', [M]: '2025-01' };

let inviteSeq = 0;
// route → { as: role that may call it (null: anonymous), id: kind of :id, body(ctx), bodyFields, query(ctx), queryFields, filterFields, pathFields }
export const FIELDS = {
  'POST /api/auth/login': {
    as: null,
    body: () => ({ email: 'nobody@acme.test', password: 'mission-control' }),
    bodyFields: { email: [S, 'nobody@acme.test'], password: [S, 'mission-control'] },
  },
  'POST /api/auth/refresh': { as: null, body: () => ({ refreshToken: 'r'.repeat(43) }), bodyFields: { refreshToken: [S, 'r'.repeat(43)] } },
  'POST /api/auth/logout': { as: null, body: () => ({ refreshToken: 'r'.repeat(43) }), bodyFields: { refreshToken: [S, 'r'.repeat(43)] } },
  'POST /api/auth/accept-invite': {
    as: null,
    body: () => ({ token: 't'.repeat(32), password: 'a-long-enough-password' }),
    bodyFields: { token: [S, 't'.repeat(32)], password: [S, 'a-long-enough-password'] },
  },
  // a wrong current password: even a request that got every field right changes nothing
  'POST /api/auth/password': {
    as: 'ops',
    body: () => ({ currentPassword: 'not-the-current-password', newPassword: 'a-long-enough-password-2' }),
    bodyFields: { currentPassword: [S, 'not-the-current-password'], newPassword: [S, 'a-long-enough-password-2'] },
  },
  'POST /api/courses': {
    as: 'ops',
    body: () => ({
      title: 'Fuzzed course',
      description: 'About sampling',
      approvalGates: [],
      webhookUrl: 'http://127.0.0.1:9/hook',
      documents: [{ filename: 'notes.txt', mimeType: 'text/plain', content: 'Some notes' }],
    }),
    bodyFields: {
      title: [S, 'Fuzzed course'],
      description: [S, 'About sampling'],
      webhookUrl: [S, 'http://127.0.0.1:9/hook'],
      'documents.0.filename': [S, 'notes.txt'],
      'documents.0.content': [S, 'Some notes'],
    },
  },
  'PUT /api/courses/:id': {
    as: 'ops',
    id: 'course',
    body: () => ({ title: 'Renamed', description: 'Changed', webhookUrl: 'http://127.0.0.1:9/hook' }),
    bodyFields: { title: [S, 'Renamed'], description: [S, 'Changed'], webhookUrl: [S, 'http://127.0.0.1:9/hook'] },
  },
  'POST /api/courses/:id/approve': {
    as: 'reviewer',
    id: 'course',
    body: () => ({ stage: 4, comment: 'looks fine' }),
    bodyFields: { comment: [S, 'looks fine'] },
  },
  'POST /api/courses/:id/reject': {
    as: 'reviewer',
    id: 'course',
    body: () => ({ stage: 4, action: 'rerun', reasons: ['other'], comment: 'not yet' }),
    bodyFields: { comment: [S, 'not yet'] },
  },
  'POST /api/courses/:id/cancel': {
    as: 'ops',
    id: 'cancelCourse',
    body: () => ({ reason: 'no longer needed' }),
    bodyFields: { reason: [S, 'no longer needed'] },
  },
  'PUT /api/models/:id': {
    as: 'admin',
    id: 'model',
    body: () => ({ inputPricePer1m: 1, outputPricePer1m: 2 }),
    bodyFields: { effectiveFrom: [T, '2030-01-01T00:00:00Z'] },
  },
  'PUT /api/catalog/:id': {
    as: 'admin',
    id: 'model',
    body: () => ({ displayName: 'Renamed model', providerModel: 'vendor/model' }),
    bodyFields: { displayName: [S, 'Renamed model'], providerModel: [S, 'vendor/model'] },
  },
  'PUT /api/organization': {
    as: 'admin',
    body: () => ({ budgetWebhookUrl: 'http://127.0.0.1:9/budget' }),
    bodyFields: { budgetWebhookUrl: [S, 'http://127.0.0.1:9/budget'] },
  },
  'POST /api/users': {
    as: 'admin',
    body: () => ({ email: `invitee${++inviteSeq}@acme.test`, name: 'New Person', role: 'reviewer' }),
    bodyFields: { name: [S, 'New Person'] },
  },
  'PATCH /api/users/:id': { as: 'admin', id: 'user', body: () => ({ name: 'Renamed Person' }), bodyFields: { name: [S, 'Renamed Person'] } },
  'PUT /api/users/:id': {
    as: 'admin',
    id: 'user',
    body: () => ({ name: 'Renamed Person', email: 'read-only@acme.test' }),
    bodyFields: { name: [S, 'Renamed Person'] },
  },
  'POST /api/catalog': {
    as: 'admin',
    body: () => ({ id: `fuzz/model-${++inviteSeq}`, displayName: 'Fuzzed model', contextWindow: 8192, defaultInputPricePer1m: 1, defaultOutputPricePer1m: 2 }),
    bodyFields: { id: [S, 'fuzz/model'], displayName: [S, 'Fuzzed model'] },
  },
  'POST /api/reports/reprice/preview': {
    as: 'finance',
    body: (c) => ({ from: '2026-01-01', to: '2026-01-31', prices: [{ model: c.model, inputPerMillion: 1, outputPerMillion: 2 }] }),
    bodyFields: { from: [D, '2026-01-01'], to: [D, '2026-01-31'], 'prices.0.model': [S, 'model'] },
  },
  'POST /api/reports/reprice': {
    as: 'finance',
    body: (c) => ({ from: '2026-01-01', to: '2026-01-31', prices: [{ model: c.model, inputPerMillion: 1, outputPerMillion: 2 }] }),
    bodyFields: { from: [D, '2026-01-01'], to: [D, '2026-01-31'], 'prices.0.model': [S, 'model'] },
  },
  'POST /api/reports/reconciliation': {
    as: 'finance',
    body: () => ({ month: '2026-01', csv: 'model,day,input_tokens,output_tokens,cost\nopenai/gpt-oss-20b,2026-01-05,10,2,0.5\n' }),
    bodyFields: { month: [M, '2026-01'], csv: [S, 'model,day,input_tokens,output_tokens,cost\nm,2026-01-05,1,1,0.1\n'] },
  },
  'POST /api/reports/months/:month/close': { as: 'finance', body: () => ({}), pathFields: { month: [M, '2025-01'] } },
  'GET /api/reports/costs': {
    as: 'finance',
    query: () => ({ from: '2026-01-01', to: '2026-01-31', groupBy: 'day' }),
    queryFields: { from: [D, '2026-01-01'], to: [D, '2026-01-31'], groupBy: [S, 'day'] },
  },
  'GET /api/reports/costs.csv': {
    as: 'finance',
    query: () => ({ from: '2026-01-01', to: '2026-01-31', groupBy: 'day' }),
    queryFields: { from: [D, '2026-01-01'], to: [D, '2026-01-31'], groupBy: [S, 'day'] },
  },
  'GET /api/reports/costs/labels': {
    as: 'finance',
    query: () => ({ from: '2026-01-01', to: '2026-01-31' }),
    queryFields: { from: [D, '2026-01-01'], to: [D, '2026-01-31'] },
  },
  // list routes: filter={"<field>": value}
  'GET /api/courses': {
    as: 'ops',
    filterFields: {
      id: [U],
      createdBy: [U],
      q: [S],
      status: [S, 'idle'],
      generationStatus: [S, 'idle'],
      language: [S, 'en'],
      stage: [S, '4'],
      createdFrom: [D],
      createdTo: [D],
      awaitingApproval: [S, 'true'],
      qualityLow: [S, 'true'],
    },
  },
  'GET /api/courses/:id/history': { as: 'ops', id: 'course', filterFields: { event: [S, 'START'], actorType: [S, 'user'] } },
  'GET /api/traces': {
    as: 'ops',
    filterFields: { id: [U], courseId: [U], lessonId: [U], stage: [S, 'stage_4'], phase: [S], modelUsed: [S], label: [S], otelTraceId: [S], courseTitle: [S] },
  },
  'GET /api/lessons': { as: 'ops', filterFields: { id: [U], courseId: [U], status: [S, 'completed'], q: [S] } },
  'GET /api/users': { as: 'admin', filterFields: { id: [U], role: [S, 'ops'], q: [S] } },
  'GET /api/audit': { as: 'admin', filterFields: { action: [S], actorId: [U], subjectType: [S], subjectId: [S], since: [D] } },
  'GET /api/alerts': { as: 'ops', filterFields: { id: [S, '12'], kind: [S], courseId: [U], status: [S, 'open'] } },
  'GET /api/organization/webhook-deliveries': { as: 'ops', filterFields: { courseId: [U], status: [S, 'delivered'], event: [S, 'course.completed'] } },
  'GET /api/jobs': { as: 'ops', filterFields: { id: [S], state: [S, 'failed'], stage: [S, '4'], courseId: [U], q: [S] } },
  'GET /api/reports/generations': { as: 'finance', query: () => ({ kind: 'expensive', threshold: '1.5' }), queryFields: { threshold: [S, '1.5'] } },
};
// Routes that take no JSON body fields or query parameters of their own (ids are checked
// by the access walk; uploads by the documents tests).
export const NO_FIELDS = new Set([
  'GET /api/health',
  'GET /api/health/live',
  'GET /api/health/ready',
  'GET /api/metrics',
  'GET /api/auth/me',
  'GET /api/me',
  'GET /api/courses/:id',
  'POST /api/courses/:id/generation',
  'GET /api/courses/:id/status',
  'GET /api/courses/:id/stages',
  'POST /api/courses/:id/retry',
  'POST /api/courses/:id/restart',
  'POST /api/courses/:id/documents',
  'GET /api/courses/:id/documents',
  'GET /api/traces/:id',
  'GET /api/lessons/:id',
  'GET /api/models',
  'GET /api/models/:id',
  'GET /api/catalog',
  'GET /api/catalog/:id',
  'GET /api/organization',
  'GET /api/organization/webhook-secret',
  'GET /api/users/:id',
  'GET /api/audit/:id',
  'GET /api/overview',
  'GET /api/approvals',
  'GET /api/approvals/:id',
  'POST /api/approvals/:id/escalate',
  'GET /api/courses/:id/timeline',
  'POST /api/queues-board-session',
  'GET /api/reports/months',
  'GET /api/budgets',
  'GET /api/jobs/:id',
  'POST /api/jobs/:id/retry',
  'DELETE /api/courses/:id',
  'DELETE /api/users/:id',
  // overlapMinutes is a number: no free text
  'POST /api/organization/webhook-secret/rotate',
  // language is an enum (en, ru, null): no free text
  'PUT /api/auth/me',
]);
