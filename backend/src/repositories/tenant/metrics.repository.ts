// What /api/metrics reads for one organization: courses by status, calls, tokens, spend, alerts.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';

export class MetricsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}
}
