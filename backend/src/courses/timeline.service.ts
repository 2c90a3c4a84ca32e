// A course's flight recorder: on one time axis the machine's transitions (status
// history), every model call (with its label: first try, retry, fallback, repair,
// rerun), the reviewers' decisions, and the running cost; plus the cost by stage and
// model for the course page's chart. Never prompts or answers: every role may read it.
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/access.decorators';
import { TIMELINE_LIMIT } from '../repositories/tenant/course-history.repository';
import { TenantRepositories, TenantScope } from '../repositories/tenant/tenant-scope';
import { CourseNotFoundError } from '../orchestrator/course-orchestrator';

export { TIMELINE_LIMIT };

@Injectable()
export class TimelineService {
  constructor(private readonly scope: TenantScope) {}

  timeline(user: AuthUser, id: string) {
    return this.scope.run(user.organizationId, (repos) => this.read(repos, id));
  }

  private async read(repos: TenantRepositories, id: string) {
    const course = await repos.courseHistory.startedAt(id);
    if (!course) throw new CourseNotFoundError(id);
    const transitions = await repos.courseHistory.timelineTransitions(id);
    const calls = await repos.courseHistory.timelineCalls(id);
    const approvals = await repos.approvals.timelineEntries(id, TIMELINE_LIMIT);
    const costByStageModel = await repos.courseHistory.costByStageModel(id);
    const iso = (d: Date | string) => new Date(d).toISOString();
    const events = [...transitions, ...calls, ...approvals].map((e) => ({ ...e, at: iso(e.at) })).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    let total = 0;
    const cost = calls.map((c) => {
      total += Number(c.costUsd);
      return { at: iso(c.at), totalUsd: Number(total.toFixed(8)) };
    });
    return { startedAt: course.generation_started_at ? iso(course.generation_started_at) : null, events, cost, costByStageModel };
  }
}
