// The month partitions of generation_trace and generation_status_history: kept ahead of
// time, and old months dropped whole by detaching their partition (the retention job).
import { Injectable } from '@nestjs/common';
import { SystemDb } from './system-db';

/** The tables partitioned by month of created_at (migration PartitionTraceAndHistory). */
export const PARTITIONED_TABLES = ['generation_trace', 'generation_status_history'] as const;
const PARTITION_LOCK = 724_100_002;

export interface MonthPartition {
  table: string;
  partition: string;
  from: string;
  to: string;
  rows: number;
}

@Injectable()
export class PartitionsSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /** Creates the partitions from this month to `monthsAhead` months ahead that are missing; answers how many were made. */
  ensureAhead(monthsAhead: number): Promise<number> {
    return this.db.run(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      let made = 0;
      for (const table of PARTITIONED_TABLES) {
        const [r] = await tx.query<{ made: number }>(
          `SELECT mc_ensure_month_partitions($1::regclass, date_trunc('month', now())::date,
                                              (date_trunc('month', now()) + make_interval(months => $2::int + 1))::date) AS made`,
          [table, monthsAhead],
        );
        made += r.made;
      }
      return made;
    });
  }

  /**
   * Detaches and drops the month partitions that end on or before `cutoff` (and the trace
   * keys of those months). The cost rollups keep their totals: detaching deletes no row
   * one by one, so no rollup or closed-month trigger runs.
   */
  dropBefore(cutoff: Date): Promise<string[]> {
    return this.db.run(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      const gone: string[] = [];
      for (const table of PARTITIONED_TABLES) {
        const [r] = await tx.query<{ gone: string[] }>(`SELECT mc_drop_month_partitions_before($1::regclass, $2::timestamptz) AS gone`, [table, cutoff]);
        gone.push(...r.gone);
      }
      await tx.query(`DELETE FROM generation_trace_keys WHERE created_at < $1::timestamptz`, [cutoff]);
      return gone;
    });
  }

  /** Every partition of the partitioned tables with its bounds and (estimated) row count. */
  list(): Promise<MonthPartition[]> {
    return this.db.autocommit.query<MonthPartition>(
      `SELECT p.relname AS "table", c.relname AS partition,
              coalesce((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\)'))[1], '') AS "from",
              coalesce((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1], '') AS "to",
              greatest(c.reltuples, 0)::int AS rows
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = ANY($1::text[])
        ORDER BY p.relname, c.relname`,
      [PARTITIONED_TABLES],
    );
  }
}
