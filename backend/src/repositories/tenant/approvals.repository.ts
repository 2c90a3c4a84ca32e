// Gate decisions and the approvals inbox: who decided what at which gate, and what each stage produced (the attempts a reviewer compares).
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';

export class ApprovalsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}
}
