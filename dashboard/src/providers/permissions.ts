// What the signed-in user may do: the actions `GET /api/me` listed for them, read from
// the API's one permission table (backend/src/auth/permissions.ts). The dashboard keeps
// no copy of who may do what; it only hides what the API would refuse (403).

/** The actions the dashboard asks about (the API's names). */
export type Action =
  | 'courses.create'
  | 'courses.start'
  | 'courses.approve'
  | 'gates.decideBudget'
  | 'gates.escalate'
  | 'courses.retry'
  | 'courses.cancel'
  | 'courses.restart'
  | 'traces.readBodies'
  | 'alerts.read'
  | 'approvals.read'
  | 'reports.costs'
  | 'costs.reconcile'
  | 'prices.edit'
  | 'reports.reprice'
  | 'organization.edit'
  | 'queues.board'
  | 'jobs.read'
  | 'jobs.retry';

/** `permissions` is react-admin's, i.e. authProvider.getPermissions(): the list from /api/me. */
export function can(permissions: unknown, action: Action): boolean {
  return Array.isArray(permissions) && permissions.includes(action);
}
