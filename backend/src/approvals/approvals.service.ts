// The approvals inbox: the organization's courses waiting at a gate (overdue and
// escalated first, then by due time), how long each has waited against the SLA, who may
// decide it, what the stage produced and, after a rejected attempt, what it produced the
// time before. Ops read every gate without deciding and may escalate one at once.
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/access.decorators';
import { can, rolesFor } from '../auth/permissions';
import { ConflictStateError } from '../common/errors.filter';
import type { Escalation } from '../pipeline/escalation';
import { CourseNotFoundError, CourseOrchestrator } from '../orchestrator/course-orchestrator';
import { INBOX_LIMIT, type DeciderRow } from '../repositories/tenant/approvals.repository';
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
  /** who escalated it: a person's "escalate now" (manual, by whom) or its deadline; null when not escalated */
  escalation: Escalation | null;
  costUsd: string;
  /** what rerunning the stage would cost, estimated by what its last run cost */
  rerunEstimateUsd: string;
  /** whether the caller may decide this gate (ops read it only) */
  canDecide: boolean;
  /** the organization's people who may decide it: reviewers for a review gate, finance for a budget gate (and admins) */
  deciders: DeciderRow[];
  output: unknown;
  previous: { output: unknown; reasons: string[]; comment: string; rejectedAt: string } | null;
}

const KINDS = ['review', 'budget'] as const;
type Kind = (typeof KINDS)[number];
const DECIDES = { review: 'courses.approve', budget: 'gates.decideBudget' } as const;

@Injectable()
export class ApprovalsService {
  constructor(
    private readonly scope: TenantScope,
    private readonly orchestrator: CourseOrchestrator,
  ) {}

  /** The gates the user decides (review gates: `courses.approve`, budget gates: `gates.decideBudget`); every gate for who decides none (ops). */
  inbox(user: AuthUser): Promise<ApprovalItem[]> {
    const decided = KINDS.filter((k) => can(user, DECIDES[k]));
    const kinds = decided.length ? decided : [...KINDS];
    // Finance decides on numbers, never sees generated content (`traces.readBodies`).
    return this.scope.run(user.organizationId, (repos) => this.read(user, repos, kinds, null));
  }

  /** The gate one course waits at, as the inbox shows it (null when it waits at none). */
  async gate(user: AuthUser, courseId: string): Promise<ApprovalItem | null> {
    return this.scope.run(user.organizationId, async (repos) => {
      if (!(await repos.courses.find(courseId, false))) throw new CourseNotFoundError(courseId);
      return (await this.read(user, repos, [...KINDS], courseId))[0] ?? null;
    });
  }

  /** Escalates the gate a course waits at now, as its deadline would (alert, webhook, live event). */
  async escalate(user: AuthUser, courseId: string): Promise<ApprovalItem | null> {
    const current = await this.gate(user, courseId);
    if (!current?.gateKey) throw new ConflictStateError('this course waits at no gate: there is nothing to escalate');
    if (current.escalatedAt) throw new ConflictStateError(`this gate was escalated already, at ${current.escalatedAt}`);
    const gateKey = current.gateKey;
    const outcome = await this.orchestrator.apply(
      courseId,
      { type: 'ESCALATE', actor: { type: 'user', id: user.id }, gateKey, byName: user.name || user.email },
      {
        organizationId: user.organizationId,
        withinTransaction: async (repos) => {
          // Two people pressing "escalate now" at once: the course row's lock orders them, and
          // the second finds the gate escalated already (its transaction, and its alert, roll back).
          if (!(await (repos as TenantRepositories).approvals.markEscalated(courseId, gateKey, current.stage))) {
            throw new ConflictStateError('this gate was escalated already');
          }
        },
      },
    );
    if (!outcome.applied) throw new ConflictStateError(`this gate cannot be escalated now: ${outcome.detail}`);
    return this.gate(user, courseId);
  }

  private async read(user: AuthUser, repos: TenantRepositories, kinds: readonly Kind[], courseId: string | null): Promise<ApprovalItem[]> {
    const withContent = can(user, 'traces.readBodies');
    // One statement: the items with what each stage produced and its last rejected attempt.
    const rows = await repos.approvals.waiting([...kinds], courseId, withContent);
    const deciders = new Map<Kind, DeciderRow[]>();
    for (const k of new Set(rows.map((r) => r.kind))) deciders.set(k, await repos.approvals.deciders(rolesFor(DECIDES[k])));
    return rows.map((r) => {
      const prev = r.previous;
      return {
        ...r,
        waitingSince: new Date(r.waitingSince).toISOString(),
        dueAt: r.dueAt ? new Date(r.dueAt).toISOString() : null,
        escalatedAt: r.escalatedAt ? new Date(r.escalatedAt).toISOString() : null,
        // Escalated by the sweeper before its ESCALATE applied, or before who escalated was kept: the deadline's.
        escalation: r.escalatedAt ? (r.escalation ?? { reason: 'deadline', by: null }) : null,
        overdue: r.dueAt ? new Date(r.dueAt).getTime() <= Date.now() : false,
        canDecide: can(user, DECIDES[r.kind]),
        deciders: deciders.get(r.kind) ?? [],
        output: withContent ? (r.output ?? null) : null,
        previous:
          withContent && prev
            ? { output: prev.output, reasons: prev.reasons, comment: prev.comment, rejectedAt: new Date(prev.created_at).toISOString() }
            : null,
      };
    });
  }
}
