// Seed 001's analytics queries served by indexes. The GIN index of 1763800001000 serves
// containment (`generation_metadata @> '{…}'`) but not the seed's `->>` comparisons, which
// ran as sequential scans. Two sets of indexes:
//
// - the seed's three expressions exactly as it writes them, partial on
//   `generation_metadata IS NOT NULL` (implied by each comparison, so the seed's queries
//   as written use them): for analysts and system work on the owner connection;
// - for the API, which runs as mc_app under row-level security: there Postgres only uses
//   a condition as an index condition when its functions are LEAKPROOF, and `->>`, the
//   text casts and numeric comparisons are not — a `->>` comparison, indexed or not, is a
//   filter after the policy. So each value is also a stored generated column (float8:
//   its comparisons are leakproof) and indexed after organization_id, partial on the
//   value being present. The course list's filters and GET /api/reports/generations
//   compare these columns (repositories/tenant/courses.repository.ts).
//
// A generated column is NULL when the metadata's value is missing or not a JSON number;
// our writer (jobs/phases/generation-metadata.ts) always writes numbers.
import { MigrationInterface, QueryRunner } from 'typeorm';

/** A JSON number as float8, or NULL when the value is missing or not a number. */
const number = (json: string, text: string) => `CASE WHEN jsonb_typeof(${json}) = 'number' THEN (${text})::float8 END`;

const COLUMNS: Record<string, string> = {
  metadata_cost_usd: number(`generation_metadata->'cost_usd'`, `generation_metadata->>'cost_usd'`),
  metadata_duration_ms: number(`generation_metadata->'duration_ms'->'total'`, `generation_metadata->'duration_ms'->>'total'`),
  metadata_quality: number(`generation_metadata->'quality_scores'->'overall'`, `generation_metadata->'quality_scores'->>'overall'`),
};

export class GenerationMetadataIndexes1763800040000 implements MigrationInterface {
  name = 'GenerationMetadataIndexes1763800040000';

  async up(q: QueryRunner): Promise<void> {
    // The seed's queries, as written.
    await q.query(`CREATE INDEX idx_courses_meta_cost ON courses (((generation_metadata->>'cost_usd')::numeric)) WHERE generation_metadata IS NOT NULL`);
    await q.query(
      `CREATE INDEX idx_courses_meta_duration ON courses (((generation_metadata->'duration_ms'->>'total')::int)) WHERE generation_metadata IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX idx_courses_meta_quality ON courses (((generation_metadata->'quality_scores'->>'overall')::numeric)) WHERE generation_metadata IS NOT NULL`,
    );
    // The API's: per organization, under row-level security.
    for (const [column, expression] of Object.entries(COLUMNS)) {
      await q.query(`ALTER TABLE courses ADD COLUMN ${column} float8 GENERATED ALWAYS AS (${expression}) STORED`);
      await q.query(`CREATE INDEX idx_courses_org_${column} ON courses (organization_id, ${column}) WHERE ${column} IS NOT NULL`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of Object.keys(COLUMNS)) await q.query(`ALTER TABLE courses DROP COLUMN ${column}`);
    for (const name of ['cost', 'duration', 'quality']) await q.query(`DROP INDEX idx_courses_meta_${name}`);
  }
}
