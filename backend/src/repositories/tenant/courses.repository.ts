// Courses of the organization: lists, one course, creation and edits, its status rows, stages, history and timeline, and the locks that keep start limits race-free.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';

export class CoursesRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}
}
