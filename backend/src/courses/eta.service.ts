// Phase-duration medians for ETAs, per provider, from the last 30 days of phase
// events (PHASE_STARTED to PHASE_DONE of each item), cached for 30 seconds. They are
// every organization's figures (aggregates only, through a SECURITY DEFINER function),
// read in the scope of the organization whose course asks.
import { Inject, Injectable } from '@nestjs/common';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { MODEL_PROVIDER } from '../app/tokens';
import type { ModelProvider } from '../llm/model.types';
import type { CourseContext } from '../pipeline/course.types';
import { PhaseMedians, etaFromMedians, medianKey } from './eta';

@Injectable()
export class EtaService {
  /** Seconds left for the course whose machine context is `ctx`, of `organizationId`. */
  async estimate(ctx: CourseContext, organizationId: string): Promise<number | null> {
    const eta = etaFromMedians(ctx, await this.medians(organizationId));
    // No step running (a gate, the queue): there is nothing a fresher read would change.
    if (eta !== null || !ctx.stage || !ctx.step) return eta;
    return etaFromMedians(ctx, await this.medians(organizationId, true));
  }

  private cache: { at: number; medians: PhaseMedians } | null = null;
  /** The read under way: concurrent requests share it instead of each starting one. */
  private loading: Promise<PhaseMedians> | null = null;

  constructor(
    private readonly scope: TenantScope,
    @Inject(MODEL_PROVIDER) private readonly provider: ModelProvider,
  ) {}

  /** `fresh`: a phase had no median in the cached set; re-read unless it is under 250 ms old. */
  async medians(organizationId: string, fresh = false): Promise<PhaseMedians> {
    const age = this.cache ? Date.now() - this.cache.at : Infinity;
    if (this.cache && age < (fresh ? 250 : 30_000)) return this.cache.medians;
    if (!this.loading) this.loading = this.load(organizationId).finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(organizationId: string): Promise<PhaseMedians> {
    const rows = await this.scope.run(organizationId, (repos) => repos.courses.phaseDurationMedians(this.provider.name));
    const medians: PhaseMedians = new Map(rows.map((r) => [medianKey(Number(r.stage.slice(6)), r.phase), r.median]));
    this.cache = { at: Date.now(), medians };
    return medians;
  }
}
