// The ETA's phase-duration medians, refreshed in the background by the worker from
// phase_durations (each item of a phase, recorded by a trigger on the history as its
// PHASE_STARTED and PHASE_DONE are written): per organization and provider, and across
// organizations per provider. The status route only reads the results.
import { Injectable } from '@nestjs/common';
import { SystemDb } from './system-db';

/** Items whose phase ended within this many days count. */
export const MEDIAN_WINDOW_DAYS = 30;

const ITEMS = `
  SELECT organization_id, coalesce(provider, '') AS provider, stage, phase, extract(epoch FROM done_at - started_at) * 1000 AS ms
    FROM phase_durations
   WHERE started_at IS NOT NULL AND done_at IS NOT NULL AND done_at >= started_at
     AND done_at > now() - make_interval(days => ${MEDIAN_WINDOW_DAYS})`;

@Injectable()
export class MediansSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /** Recomputes every median in one transaction; drops the items past the window. Returns the medians written. */
  refresh(): Promise<number> {
    return this.db.run(async (db) => {
      await db.query(`DELETE FROM phase_durations WHERE done_at < now() - make_interval(days => ${MEDIAN_WINDOW_DAYS + 1})`);
      await db.query(`DELETE FROM phase_duration_medians_org`);
      const org = await db.query<{ n: number }>(
        `WITH i AS (${ITEMS})
         INSERT INTO phase_duration_medians_org (organization_id, provider, stage, phase, median_ms, samples)
         SELECT organization_id, provider, stage, phase, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), count(*) FROM i
          GROUP BY 1, 2, 3, 4
         RETURNING 1 AS n`,
      );
      await db.query(`DELETE FROM phase_duration_medians_all`);
      await db.query(
        `WITH i AS (${ITEMS})
         INSERT INTO phase_duration_medians_all (provider, stage, phase, median_ms, samples)
         SELECT provider, stage, phase, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), count(*) FROM i GROUP BY 1, 2, 3`,
      );
      return org.length;
    });
  }
}
