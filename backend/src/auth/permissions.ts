// Who may do what: the one role × action table. It decides every permission — the route
// guard (`@Can(...)`, access.guard.ts), the checks inside services (gate deciders,
// finance not seeing prompts and answers), the socket events, Bull Board's cookie, and
// the dashboard, which is served the caller's actions by `GET /api/me`. Row-level
// security (migrations/tenant-rules.ts) stays as the second line. This file is the only
// place in backend/src and dashboard/src that names a role (permissions.spec.ts checks),
// and README.md's "Permissions" table is rendered from it (the same test checks).
//
// Operators are the admins of the deployment's platform organization
// (`organizations.is_platform`, at most one): an operator-only action is theirs alone,
// whatever their role grants inside their own organization.

export const ROLES = ['admin', 'ops', 'reviewer', 'finance'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: their role in their organization, and whether they operate the deployment. */
export interface Principal {
  role: Role;
  operator: boolean;
}

/** The roles of the platform organization whose holders are the deployment's operators. */
export const OPERATOR_ROLES: readonly Role[] = ['admin'];

/** Whether a user of this role, in the platform organization or not, is an operator. */
export const isOperator = (role: Role, platformOrganization: boolean): boolean => platformOrganization && OPERATOR_ROLES.includes(role);

interface Rule {
  /** the roles that may, in their own organization */
  roles: readonly Role[];
  /** true: operators only (the roles then say nothing) */
  operatorOnly?: true;
  /** what it allows, for the README */
  what: string;
}

const ALL = ROLES;
const operators = (what: string): Rule => ({ roles: [], operatorOnly: true, what });

export const PERMISSIONS = {
  'me.read': { roles: ALL, what: 'who am I, and what I may do (`GET /api/me`)' },
  'me.edit': { roles: ALL, what: "change one's own password and language" },
  'overview.read': { roles: ALL, what: 'the overview' },
  'courses.read': { roles: ALL, what: 'courses, their status, stages, history, timeline and documents; live course events' },
  'courses.create': { roles: ['admin', 'ops'], what: 'create and edit a course, upload its documents' },
  'courses.delete': { roles: ['admin', 'ops'], what: 'delete a course that never ran' },
  'courses.start': { roles: ['admin', 'ops'], what: 'start a generation' },
  'courses.retry': { roles: ['admin', 'ops'], what: 'retry a failed course' },
  'courses.cancel': { roles: ['admin', 'ops'], what: 'cancel a course' },
  'courses.restart': { roles: ['admin', 'ops'], what: 'restart a finished course' },
  'courses.approve': { roles: ['admin', 'reviewer'], what: 'approve or reject at a review gate' },
  'gates.decideBudget': { roles: ['admin', 'finance'], what: 'approve or decline the spend at a budget gate' },
  'approvals.read': {
    roles: ['admin', 'ops', 'reviewer', 'finance'],
    what: 'the approvals inbox (the gates one decides; every gate, read-only, for who decides none)',
  },
  'gates.escalate': { roles: ['admin', 'ops'], what: 'escalate a waiting gate now, before its deadline' },
  'lessons.read': { roles: ALL, what: 'lessons' },
  'traces.read': { roles: ALL, what: 'model calls: tokens, cost, duration' },
  'traces.readBodies': { roles: ['admin', 'ops', 'reviewer'], what: 'prompts, answers and stage outputs' },
  'alerts.read': { roles: ['admin', 'ops'], what: 'open stall alerts' },
  'metrics.read': { roles: ['admin', 'ops'], what: 'Prometheus metrics' },
  'models.read': { roles: ALL, what: 'the model catalog and prices' },
  'prices.edit': { roles: ['admin', 'finance'], what: "change the organization's model prices" },
  'catalog.edit': operators('edit the shared model catalog'),
  'reports.costs': { roles: ['admin', 'finance', 'ops'], what: 'cost reports, CSV, label spend, closed months, budgets' },
  'reports.reprice': { roles: ['admin', 'finance'], what: 're-price a period (preview, apply)' },
  'reports.closeMonth': { roles: ['admin', 'finance'], what: 'close a month' },
  'costs.reconcile': { roles: ['admin', 'finance'], what: "reconcile a provider's invoice (usage export) with the recorded costs" },
  'reports.crossTenant': operators('the cost report by organization over every organization'),
  'organization.read': { roles: ALL, what: 'the organization' },
  'organization.edit': { roles: ['admin'], what: 'edit the organization, read and rotate its webhook secret' },
  'webhooks.read': { roles: ['admin', 'ops'], what: 'webhook deliveries' },
  'jobs.read': { roles: ['admin', 'ops'], what: "the organization's phase jobs (the Queues page)" },
  'jobs.retry': { roles: ['admin', 'ops'], what: 'retry a failed phase job' },
  'users.manage': { roles: ['admin'], what: 'list, invite, change and disable users' },
  'audit.read': { roles: ['admin'], what: 'the audit log' },
  'queues.board': operators('Bull Board over every queue (full control)'),
} as const satisfies Record<string, Rule>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];
export const isAction = (a: string): a is Action => Object.hasOwn(PERMISSIONS, a);

/** Whether the principal may do the action. Unknown actions and roles are refused. */
export function can(who: Principal | null | undefined, action: Action): boolean {
  if (!who || !isAction(action)) return false;
  const rule: Rule = PERMISSIONS[action];
  if (rule.operatorOnly) return who.operator === true;
  return rule.roles.includes(who.role);
}

/** Every action the principal may do (what `GET /api/me` tells the dashboard). */
export const actionsOf = (who: Principal): Action[] => ACTIONS.filter((a) => can(who, a));

/** The roles (in any organization) that grant the action; empty for operator-only ones. */
export const rolesFor = (action: Action): readonly Role[] => {
  const rule: Rule = PERMISSIONS[action];
  return rule.operatorOnly ? [] : rule.roles;
};

/** README.md's permission table, rendered from the one above. */
export function permissionsMarkdown(): string {
  const head = `| action | ${ROLES.join(' | ')} | operators | what |`;
  const rule = `|---|${ROLES.map(() => ':-:').join('|')}|:-:|---|`;
  const lines = ACTIONS.map((a) => {
    const r: Rule = PERMISSIONS[a];
    const cells = ROLES.map((role) => (!r.operatorOnly && r.roles.includes(role) ? '✓' : ''));
    const op = r.operatorOnly || r.roles.some((role) => OPERATOR_ROLES.includes(role)) ? '✓' : '';
    return `| \`${a}\` | ${cells.join(' | ')} | ${op} | ${r.what} |`;
  });
  return [head, rule, ...lines].join('\n');
}
