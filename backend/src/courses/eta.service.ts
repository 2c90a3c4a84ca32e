// Phase-duration medians for ETAs, per provider, from the last 30 days of phase
// events (PHASE_STARTED to PHASE_DONE of each item), cached for 30 seconds.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MODEL_PROVIDER } from '../app/tokens';
import type { ModelProvider } from '../llm/model.types';
import type { CourseContext } from '../pipeline/course.types';
import { PhaseMedians, etaFromMedians, medianKey } from './eta';

@Injectable()
export class EtaService {
  async estimate(ctx: CourseContext): Promise<number | null> {
    const eta = etaFromMedians(ctx, await this.medians());
    // No step running (a gate, the queue): there is nothing a fresher read would change.
    if (eta !== null || !ctx.stage || !ctx.step) return eta;
    return etaFromMedians(ctx, await this.medians(true));
  }

  private cache: { at: number; medians: PhaseMedians } | null = null;
  /** The read under way: concurrent requests share it instead of each starting one. */
  private loading: Promise<PhaseMedians> | null = null;

  constructor(
    private readonly ds: DataSource,
    @Inject(MODEL_PROVIDER) private readonly provider: ModelProvider,
  ) {}

  /** `fresh`: a phase had no median in the cached set; re-read unless it is under 250 ms old. */
  async medians(fresh = false): Promise<PhaseMedians> {
    const age = this.cache ? Date.now() - this.cache.at : Infinity;
    if (this.cache && age < (fresh ? 250 : 30_000)) return this.cache.medians;
    if (!this.loading) this.loading = this.load().finally(() => (this.loading = null));
    return this.loading;
  }

  private async load(): Promise<PhaseMedians> {
    const rows: { stage: string; phase: string; median: number }[] = await this.ds.query(
      `WITH items AS (
         SELECT h.course_id, h.run, h.stage, h.phase, h.reason,
                min(h.created_at) FILTER (WHERE h.event = 'PHASE_STARTED') AS started,
                max(h.created_at) FILTER (WHERE h.event = 'PHASE_DONE') AS done
           FROM generation_status_history h
          WHERE h.event IN ('PHASE_STARTED', 'PHASE_DONE') AND h.created_at > now() - interval '30 days'
          GROUP BY h.course_id, h.run, h.stage, h.phase, h.reason)
       SELECT i.stage, i.phase, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.done - i.started) * 1000)::float8 AS median
         FROM items i
        WHERE i.started IS NOT NULL AND i.done IS NOT NULL AND i.stage IS NOT NULL
          AND EXISTS (SELECT 1 FROM generation_trace t WHERE t.course_id = i.course_id AND t.provider = $1)
        GROUP BY i.stage, i.phase`,
      [this.provider.name],
    );
    const medians: PhaseMedians = new Map(rows.map((r) => [medianKey(Number(r.stage.slice(6)), r.phase), r.median]));
    this.cache = { at: Date.now(), medians };
    return medians;
  }
}
