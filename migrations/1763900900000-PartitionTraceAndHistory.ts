// The two tables that grow with every model call and every transition —
// generation_trace and generation_status_history — become partitioned by month of
// created_at (native range partitioning). Old months then leave by detaching a partition
// (the retention job) instead of deleting millions of rows, and a month's reads touch one
// partition.
//
// The conversion is generic: the old table's columns, defaults, checks, foreign keys,
// indexes, row-level security policies, triggers and grants are carried to the new
// partitioned table by reading the catalog, so every rule (the closed-month trigger, the
// cost rollups, the budget thresholds, tenant isolation) works as before. Primary keys gain
// created_at (a partitioned table's unique keys must hold the partition key). A trace's
// idempotency key cannot stay unique inside the partitioned table, so it moves to
// generation_trace_keys, which the recording statement claims first.
//
// Partitions: one per month from the oldest row's month, this month and PARTITION_MONTHS
// ahead (the worker keeps them ahead: mc_ensure_month_partitions), and a default partition
// for rows outside them (a backdated import), which stays empty in normal operation.
import { MigrationInterface, QueryRunner } from 'typeorm';

export const PARTITIONED_TABLES = ['generation_trace', 'generation_status_history'] as const;

export class PartitionTraceAndHistory1763900900000 implements MigrationInterface {
  name = 'PartitionTraceAndHistory1763900900000';

  async up(q: QueryRunner): Promise<void> {
    // Creates the month partitions [from, to) of a partitioned table that do not exist yet.
    await q.query(`
      CREATE FUNCTION mc_ensure_month_partitions(tbl regclass, from_month date, to_month date) RETURNS int
      LANGUAGE plpgsql AS $$
      DECLARE
        m date := date_trunc('month', from_month)::date;
        made int := 0;
        part text;
        base text := (SELECT relname FROM pg_class WHERE oid = tbl);
      BEGIN
        WHILE m < to_month LOOP
          part := format('%s_p%s', base, to_char(m, 'YYYY_MM'));
          IF to_regclass(part) IS NULL THEN
            BEGIN
              EXECUTE format('CREATE TABLE %I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', part, tbl, m::timestamptz, (m + interval '1 month')::timestamptz);
              made := made + 1;
            EXCEPTION WHEN check_violation THEN
              -- The default partition already holds rows of this month (written before it was
              -- made): they stay there, where every query still finds them.
              RAISE WARNING '%: the default partition holds rows of %, the month stays in it', tbl, to_char(m, 'YYYY-MM');
            END;
          END IF;
          m := (m + interval '1 month')::date;
        END LOOP;
        RETURN made;
      END $$`);

    // Detaches (then drops) every month partition that ends on or before the cutoff; answers their names.
    await q.query(`
      CREATE FUNCTION mc_drop_month_partitions_before(tbl regclass, cutoff timestamptz) RETURNS text[]
      LANGUAGE plpgsql AS $$
      DECLARE
        r record;
        gone text[] := '{}';
      BEGIN
        FOR r IN
          SELECT c.oid::regclass AS part, c.relname,
                 (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper_bound
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
           WHERE i.inhparent = tbl AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
        LOOP
          IF r.upper_bound <= cutoff THEN
            EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', tbl, r.part);
            EXECUTE format('DROP TABLE %s', r.part);
            gone := gone || r.relname::text;
          END IF;
        END LOOP;
        RETURN gone;
      END $$`);

    // Turns a table into a table partitioned by month of created_at, keeping its rules.
    await q.query(`
      CREATE FUNCTION mc_partition_by_month(tbl text, months_ahead int) RETURNS void
      LANGUAGE plpgsql AS $$
      DECLARE
        old text := tbl || '_unpartitioned';
        r record;
        cols text;
        oldest date;
      BEGIN
        EXECUTE format('ALTER TABLE %I RENAME TO %I', tbl, old);
        FOR r IN SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = old::regclass LOOP
          EXECUTE format('ALTER INDEX %I RENAME TO %I', r.relname, left(r.relname, 50) || '_unpartitioned');
        END LOOP;
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE) PARTITION BY RANGE (created_at)', tbl, old);
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY (id, created_at)', tbl, tbl || '_pkey');
        -- Foreign keys to other tables.
        FOR r IN SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = old::regclass AND contype = 'f' LOOP
          EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', tbl, r.conname, r.def);
        END LOOP;
        -- The months that hold rows, this month and the months ahead; a default partition for the rest.
        EXECUTE format('SELECT min(created_at)::date FROM %I', old) INTO oldest;
        PERFORM mc_ensure_month_partitions(tbl::regclass, least(coalesce(oldest, current_date), current_date),
                                           (date_trunc('month', current_date) + make_interval(months => months_ahead + 1))::date);
        EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', tbl || '_pdefault', tbl);
        -- Rows move before any trigger exists on the new table (nothing is charged or refused twice).
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
          FROM pg_attribute WHERE attrelid = old::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '';
        EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM %I', tbl, cols, cols, old);
        -- Non-unique indexes, by the same names (unique ones are the primary key and, for traces, the keys table).
        FOR r IN SELECT c.relname, pg_get_indexdef(i.indexrelid) AS def
                   FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                  WHERE i.indrelid = old::regclass AND NOT i.indisunique LOOP
          EXECUTE replace(replace(r.def, format(' ON public.%s ', old), format(' ON public.%s ', tbl)),
                          format('INDEX %s ON', r.relname), format('INDEX %s ON', regexp_replace(r.relname, '_unpartitioned$', '')));
        END LOOP;
        -- Row-level security, exactly as before.
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tbl);
        FOR r IN SELECT * FROM pg_policies WHERE schemaname = 'public' AND tablename = old LOOP
          EXECUTE format('CREATE POLICY %I ON %I AS %s FOR %s TO %s%s%s', r.policyname, tbl, r.permissive, r.cmd,
                         array_to_string(r.roles, ', '),
                         CASE WHEN r.qual IS NOT NULL THEN ' USING (' || r.qual || ')' ELSE '' END,
                         CASE WHEN r.with_check IS NOT NULL THEN ' WITH CHECK (' || r.with_check || ')' ELSE '' END);
        END LOOP;
        FOR r IN SELECT grantee, privilege_type FROM information_schema.role_table_grants
                  WHERE table_schema = 'public' AND table_name = old AND grantee <> current_user LOOP
          EXECUTE format('GRANT %s ON %I TO %I', r.privilege_type, tbl, r.grantee);
        END LOOP;
        -- Sequences owned by the old table's columns follow to the new table.
        FOR r IN SELECT s.oid::regclass AS seq, a.attname FROM pg_depend d
                   JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                   JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                  WHERE d.refobjid = old::regclass AND d.deptype = 'a' LOOP
          EXECUTE format('ALTER SEQUENCE %s OWNED BY %I.%I', r.seq, tbl, r.attname);
        END LOOP;
        -- The rules last: the closed-month trigger, the rollups, the thresholds.
        FOR r IN SELECT tgname, pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = old::regclass AND NOT tgisinternal LOOP
          EXECUTE replace(r.def, format(' ON public.%s ', old), format(' ON public.%s ', tbl));
        END LOOP;
        EXECUTE format('DROP TABLE %I', old);
      END $$`);

    // The trace idempotency keys: claimed by the statement that records a call, so a twin
    // attempt writes nothing. trace_id/created_at find the trace in its partition.
    await q.query(`
      CREATE TABLE generation_trace_keys (
        idempotency_key text PRIMARY KEY,
        trace_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO generation_trace_keys (idempotency_key, trace_id, created_at) SELECT idempotency_key, id, created_at FROM generation_trace`);
    await q.query(`CREATE INDEX idx_trace_keys_created ON generation_trace_keys (created_at)`);
    await q.query(`GRANT SELECT, INSERT, DELETE ON generation_trace_keys TO mc_system`);
    // Row triggers of a partitioned table run on the partition: the closed-month rule tells
    // a trace from a rollup row by the partition's name now.
    await q.query(`
      DO $do$ DECLARE src text; BEGIN
        SELECT prosrc INTO src FROM pg_proc WHERE proname = 'refuse_closed_month_change';
        EXECUTE format('CREATE OR REPLACE FUNCTION refuse_closed_month_change() RETURNS trigger LANGUAGE plpgsql AS %L',
                       replace(src, $q$TG_TABLE_NAME = 'generation_trace'$q$, $q$TG_TABLE_NAME LIKE 'generation\\_trace\\_p%'$q$));
      END $do$`);
    for (const table of PARTITIONED_TABLES) await q.query(`SELECT mc_partition_by_month($1, 3)`, [table]);
  }

  async down(): Promise<void> {
    // Back to plain tables means copying every row: done by hand (CREATE TABLE … AS, then the rules), not by a revert.
    throw new Error('PartitionTraceAndHistory is not reverted automatically');
  }
}
