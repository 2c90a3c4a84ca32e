// The overview page's aggregates: courses by state, cost and tokens, stage durations.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';

export class OverviewRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}
}
