// Phase-duration medians for ETAs, per organization and provider. The worker computes
// them in the background (MedianRefresher, from the phase durations recorded as the
// events are written); a request only reads the results, cached per organization for
// 30 seconds — a phase with no median stays missing until the next read, so a course
// whose phase has no history does not re-query on every status request. A transition
// reads only what is cached (estimateFromCache): it never waits for a read.
import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { detached, TenantScope } from '../repositories/tenant/tenant-scope';
import { MODEL_PROVIDER } from '../app/tokens';
import type { ModelProvider } from '../llm/model.types';
import type { CourseContext } from '../pipeline/course.types';
import { PhaseMedians, etaFromMedians, medianKey } from './eta';

const CACHE_MS = 30_000; // ETA_CACHE_MS

@Injectable()
export class EtaService {
  /** Seconds left for the course whose machine context is `ctx`, of `organizationId`. */
  async estimate(ctx: CourseContext, organizationId: string): Promise<number | null> {
    return etaFromMedians(ctx, await this.medians(organizationId));
  }

  /**
   * The same estimate from the medians in hand, however old, without waiting: a missing
   * or stale cache starts a read in the background for the next transition. For code
   * that holds locks in an open transaction (the orchestrator's transitions).
   */
  estimateFromCache(ctx: CourseContext, organizationId: string): number | null {
    const cached = this.cache.get(organizationId);
    if (!cached || Date.now() - cached.at >= (this.config?.etaCacheMs ?? CACHE_MS)) void detached(() => this.medians(organizationId)).catch(() => undefined);
    return cached ? etaFromMedians(ctx, cached.medians) : null;
  }

  private cache = new Map<string, { at: number; medians: PhaseMedians }>();
  /** The reads under way: concurrent requests of one organization share one. */
  private loading = new Map<string, Promise<PhaseMedians>>();

  constructor(
    private readonly scope: TenantScope,
    @Inject(MODEL_PROVIDER) private readonly provider: ModelProvider,
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  async medians(organizationId: string): Promise<PhaseMedians> {
    const cached = this.cache.get(organizationId);
    if (cached && Date.now() - cached.at < (this.config?.etaCacheMs ?? CACHE_MS)) return cached.medians;
    let loading = this.loading.get(organizationId);
    if (!loading) {
      loading = this.load(organizationId).finally(() => this.loading.delete(organizationId));
      this.loading.set(organizationId, loading);
    }
    return loading;
  }

  private async load(organizationId: string): Promise<PhaseMedians> {
    const rows = await this.scope.run(organizationId, (repos) => repos.courses.phaseDurationMedians(this.provider.name));
    const medians: PhaseMedians = new Map(rows.map((r) => [medianKey(Number(r.stage.slice(6)), r.phase), r.median]));
    this.cache.set(organizationId, { at: Date.now(), medians });
    return medians;
  }
}
