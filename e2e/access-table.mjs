// What the access walk expects, written down independently of the code: every action
// of the permission table with the roles that may do it, every route with the action(s)
// it needs, who walks the routes, and the ids and bodies the walk sends.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../scripts/lib.mjs';

export const ROLES = ['admin', 'ops', 'reviewer', 'finance'];
export const ALL = ROLES;
export const OPERATORS = 'operators';

// Who may do what, written down independently of the code: each action of the permission
// table (backend/src/auth/permissions.ts) with the roles that may, or OPERATORS for the
// actions only the platform organization's admins may do. The code's table must be this one.
export const ACTIONS = {
  'me.read': ALL,
  'me.edit': ALL,
  'overview.read': ALL,
  'courses.read': ALL,
  'courses.create': ['admin', 'ops'],
  'courses.delete': ['admin', 'ops'],
  'courses.start': ['admin', 'ops'],
  'courses.retry': ['admin', 'ops'],
  'courses.cancel': ['admin', 'ops'],
  'courses.restart': ['admin', 'ops'],
  'courses.approve': ['admin', 'reviewer'],
  'gates.decideBudget': ['admin', 'finance'],
  'approvals.read': ALL,
  'gates.escalate': ['admin', 'ops'],
  'lessons.read': ALL,
  'traces.read': ALL,
  'traces.readBodies': ['admin', 'ops', 'reviewer'],
  'alerts.read': ['admin', 'ops'],
  'metrics.read': ['admin', 'ops'],
  'models.read': ALL,
  'prices.edit': ['admin', 'finance'],
  'catalog.edit': OPERATORS,
  'reports.costs': ['admin', 'finance', 'ops'],
  'reports.reprice': ['admin', 'finance'],
  'reports.closeMonth': ['admin', 'finance'],
  'costs.reconcile': ['admin', 'finance'],
  'reports.crossTenant': OPERATORS,
  'organization.read': ALL,
  'organization.edit': ['admin'],
  'webhooks.read': ['admin', 'ops'],
  'jobs.read': ['admin', 'ops'],
  'jobs.retry': ['admin', 'ops'],
  'users.manage': ['admin'],
  'audit.read': ['admin'],
  'queues.board': OPERATORS,
};

// The action(s) each route needs (any one of them), or 'public': a route added without
// an entry here, or with a rule that differs, fails the walk.
export const EXPECTED = {
  'POST /api/auth/login': 'public',
  'POST /api/auth/refresh': 'public',
  'POST /api/auth/logout': 'public',
  'POST /api/auth/accept-invite': 'public',
  'GET /api/health': 'public',
  'GET /api/health/live': 'public',
  'GET /api/health/ready': 'public',
  'GET /api/metrics': 'metrics.read',
  'GET /api/auth/me': 'me.read',
  'GET /api/me': 'me.read',
  'PUT /api/auth/me': 'me.edit',
  'POST /api/auth/password': 'me.edit',
  'GET /api/courses': 'courses.read',
  'GET /api/courses/:id': 'courses.read',
  'POST /api/courses': 'courses.create',
  'PUT /api/courses/:id': 'courses.create',
  'DELETE /api/courses/:id': 'courses.delete',
  'POST /api/courses/:id/generation': 'courses.start',
  'GET /api/courses/:id/status': 'courses.read',
  'GET /api/courses/:id/stages': 'courses.read',
  'GET /api/courses/:id/history': 'courses.read',
  'POST /api/courses/:id/approve': ['courses.approve', 'gates.decideBudget'],
  'POST /api/courses/:id/reject': ['courses.approve', 'gates.decideBudget'],
  'POST /api/courses/:id/retry': 'courses.retry',
  'POST /api/courses/:id/cancel': 'courses.cancel',
  'POST /api/courses/:id/restart': 'courses.restart',
  'POST /api/courses/:id/documents': 'courses.create',
  'GET /api/courses/:id/documents': 'courses.read',
  'GET /api/traces': 'traces.read',
  'GET /api/traces/:id': 'traces.read',
  'GET /api/lessons': 'lessons.read',
  'GET /api/lessons/:id': 'lessons.read',
  'GET /api/models': 'models.read',
  'GET /api/models/:id': 'models.read',
  'PUT /api/models/:id': 'prices.edit',
  'GET /api/organization': 'organization.read',
  'PUT /api/organization': 'organization.edit',
  'GET /api/organization/webhook-secret': 'organization.edit',
  'POST /api/organization/webhook-secret/rotate': 'organization.edit',
  'GET /api/organization/webhook-deliveries': 'webhooks.read',
  'GET /api/reports/costs': 'reports.costs',
  'GET /api/reports/costs.csv': 'reports.costs',
  'GET /api/users': 'users.manage',
  'GET /api/users/:id': 'users.manage',
  'POST /api/users': 'users.manage',
  'PATCH /api/users/:id': 'users.manage',
  'PUT /api/users/:id': 'users.manage',
  'DELETE /api/users/:id': 'users.manage',
  'GET /api/audit': 'audit.read',
  'GET /api/audit/:id': 'audit.read',
  'GET /api/overview': 'overview.read',
  'GET /api/alerts': 'alerts.read',
  'GET /api/approvals': 'approvals.read',
  'GET /api/approvals/:id': 'approvals.read',
  'POST /api/approvals/:id/escalate': 'gates.escalate',
  'GET /api/courses/:id/timeline': 'courses.read',
  'POST /api/queues-board-session': 'queues.board',
  'GET /api/reports/costs/labels': 'reports.costs',
  'POST /api/reports/reprice/preview': 'reports.reprice',
  'POST /api/reports/reprice': 'reports.reprice',
  'GET /api/reports/months': 'reports.costs',
  'POST /api/reports/months/:month/close': 'reports.closeMonth',
  'GET /api/budgets': 'reports.costs',
  'GET /api/reports/generations': 'reports.costs',
  'GET /api/jobs': 'jobs.read',
  'GET /api/jobs/:id': 'jobs.read',
  'POST /api/jobs/:id/retry': 'jobs.retry',
  'GET /api/catalog': 'models.read',
  'GET /api/catalog/:id': 'models.read',
  'PUT /api/catalog/:id': 'catalog.edit',
  'POST /api/catalog': 'catalog.edit',
  'POST /api/reports/reconciliation': 'costs.reconcile',
};
export const actionsOf = (key) => [EXPECTED[key]].flat();

// Who walks the routes: Acme Academy is the demo's platform organization, so its admin is
// an operator; Globex's admin is a tenant admin (created below), with the same role and none
// of the operator's actions.
export const PRINCIPALS = [
  { name: 'acme admin (operator)', email: 'admin@acme.test', role: 'admin', org: 'acme', operator: true },
  { name: 'acme ops', email: 'ops@acme.test', role: 'ops', org: 'acme', operator: false },
  { name: 'acme reviewer', email: 'reviewer@acme.test', role: 'reviewer', org: 'acme', operator: false },
  { name: 'acme finance', email: 'finance@acme.test', role: 'finance', org: 'acme', operator: false },
  { name: 'globex admin', email: 'admin@globex.test', role: 'admin', org: 'globex', operator: false },
];
export const mayDo = (p, action) => (ACTIONS[action] === OPERATORS ? p.operator : ACTIONS[action].includes(p.role));
export const mayCall = (p, key) => actionsOf(key).some((a) => mayDo(p, a));

/** A board cookie as the API would mint it, for a user who should never have been given one. */
export function forgedBoardCookie(user) {
  const require = createRequire(join(ROOT, 'backend/package.json'));
  const jwt = require('jsonwebtoken');
  const token = jwt.sign({ sub: user.id, org: user.organization_id, role: user.role, tv: user.token_version }, 'mission-control-development-secret', {
    algorithm: 'HS256',
    expiresIn: 600,
    issuer: 'mission-control',
    audience: 'mission-control-api-queues-board',
  });
  return `mc_queues_board=${token}`;
}

// Which kind of id a route's `:id` names (for own / foreign ids); catalog models are global.
export const ID_KIND = (path) =>
  path.startsWith('/api/traces')
    ? 'trace'
    : path.startsWith('/api/lessons')
      ? 'lesson'
      : path.startsWith('/api/users')
        ? 'user'
        : path.startsWith('/api/audit')
          ? 'audit'
          : path.startsWith('/api/models') || path.startsWith('/api/catalog')
            ? 'model'
            : path.startsWith('/api/jobs')
              ? 'job'
              : 'course';

// Bodies that pass validation, so a foreign id reaches the lookup (and must get 404).
export const VALID_BODY = {
  'PUT /api/courses/:id': { title: 'Renamed' },
  'POST /api/courses/:id/approve': { stage: 4 },
  'POST /api/courses/:id/reject': { stage: 4, action: 'cancel', comment: 'not needed' },
  'PATCH /api/users/:id': { name: 'Renamed' },
  'PUT /api/users/:id': { name: 'Renamed' },
};
