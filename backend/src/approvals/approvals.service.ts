// The reviewers' inbox: the organization's courses waiting at a gate, oldest first, with
// how long they have waited against the SLA, what the stage produced and, after a
// rejected attempt, what it produced the time before.
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/access.decorators';
import { can } from '../auth/permissions';
import { INBOX_LIMIT } from '../repositories/tenant/approvals.repository';
import { TenantRepositories, TenantScope } from '../repositories/tenant/tenant-scope';

export { INBOX_LIMIT };

export interface ApprovalItem {
  courseId: string;
  title: string;
  stage: number;
  gateKey: string | null;
  /** review: the stage's output waits for a reviewer; budget: the projected cost passed the course's budget, finance decides */
  kind: 'review' | 'budget';
  budget: { projectedUsd: number; budgetUsd: number; spentUsd: number } | null;
  waitingSince: string;
  waitSeconds: number;
  slaMinutes: number | null;
  dueAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  costUsd: string;
  output: unknown;
  previous: { output: unknown; reasons: string[]; comment: string; rejectedAt: string } | null;
}

@Injectable()
export class ApprovalsService {
  constructor(private readonly scope: TenantScope) {}

  /** The gates the user decides: review gates (`courses.approve`), budget gates (`gates.decideBudget`). */
  inbox(user: AuthUser): Promise<ApprovalItem[]> {
    const kinds = [...(can(user, 'courses.approve') ? ['review'] : []), ...(can(user, 'gates.decideBudget') ? ['budget'] : [])];
    // Finance decides on numbers, never sees generated content (`traces.readBodies`).
    return this.scope.run(user.organizationId, (repos) => this.read(repos, kinds, can(user, 'traces.readBodies')));
  }

  private async read(repos: TenantRepositories, kinds: string[], withContent: boolean): Promise<ApprovalItem[]> {
    // One statement: the items with what each stage produced and its last rejected attempt.
    const rows = await repos.approvals.waiting(kinds, withContent);
    return rows.map((r) => {
      const prev = r.previous;
      return {
        ...r,
        waitingSince: new Date(r.waitingSince).toISOString(),
        dueAt: r.dueAt ? new Date(r.dueAt).toISOString() : null,
        escalatedAt: r.escalatedAt ? new Date(r.escalatedAt).toISOString() : null,
        overdue: r.dueAt ? new Date(r.dueAt).getTime() <= Date.now() : false,
        output: withContent ? (r.output ?? null) : null,
        previous: withContent && prev ? { output: prev.output, reasons: prev.reasons, comment: prev.comment, rejectedAt: new Date(prev.created_at).toISOString() } : null,
      };
    });
  }
}
