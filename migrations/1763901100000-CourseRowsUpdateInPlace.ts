// A running course's row changes on every phase (its snapshot, progress and version). A
// transition that leaves every indexed column as it was can be a heap-only (HOT) update,
// written beside the old version on the same page without a new entry in each of its indexes,
// when the page has room: courses pages are filled to 90 % so that there is.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CourseRowsUpdateInPlace1763901100000 implements MigrationInterface {
  name = 'CourseRowsUpdateInPlace1763901100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE courses SET (fillfactor = 90)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE courses RESET (fillfactor)`);
  }
}
