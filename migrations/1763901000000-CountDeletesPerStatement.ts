// Deleting courses takes them off the per-organization status counts once per statement
// (a transition table, grouped by state), as inserting already does. Counted per row,
// every deleted course updated the same few count rows again: deleting 100k courses of
// one organization spent 74 s in that trigger, each update walking the dead versions the
// previous ones left.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CountDeletesPerStatement1763901000000 implements MigrationInterface {
  name = 'CountDeletesPerStatement1763901000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION count_deleted_courses() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- No insert: an organization being deleted takes its counts with it.
        UPDATE course_status_counts c SET n = c.n - d.n
          FROM (SELECT organization_id, status, generation_status, count(*) AS n FROM old_rows GROUP BY 1, 2, 3) d
         WHERE c.organization_id = d.organization_id AND c.status = d.status AND c.generation_status = d.generation_status;
        RETURN NULL;
      END;
      $$`);
    await q.query(`DROP TRIGGER courses_count_delete ON courses`);
    await q.query(`CREATE TRIGGER courses_count_delete AFTER DELETE ON courses REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION count_deleted_courses()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER courses_count_delete ON courses`);
    await q.query(`CREATE TRIGGER courses_count_delete AFTER DELETE ON courses FOR EACH ROW EXECUTE FUNCTION count_course_states()`);
    await q.query(`DROP FUNCTION count_deleted_courses()`);
  }
}
