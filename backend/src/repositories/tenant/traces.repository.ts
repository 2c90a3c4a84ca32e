// Model calls (generation_trace): the traces list and one trace.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';

export class TracesRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}
}
