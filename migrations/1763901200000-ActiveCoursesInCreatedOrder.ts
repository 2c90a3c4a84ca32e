// The courses list filtered to queued or generating (what an operator watches) in its
// default order, newest first: the active courses' index also holds the status and the
// creation time, so a page is read in index order instead of fetching and sorting every
// active course of the organization. It is partial, so it stays as small as the number
// of running courses, and the start limit's count of active courses reads it as before.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ActiveCoursesInCreatedOrder1763901200000 implements MigrationInterface {
  name = 'ActiveCoursesInCreatedOrder1763901200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_courses_org_active`);
    await q.query(`CREATE INDEX idx_courses_org_active ON courses (organization_id, status, created_at, id) WHERE status IN ('queued', 'generating')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_courses_org_active`);
    await q.query(`CREATE INDEX idx_courses_org_active ON courses (organization_id) WHERE status IN ('queued', 'generating')`);
  }
}
