// The organization's own settings, webhook secret and webhook deliveries.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';

export class OrganizationsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}
}
