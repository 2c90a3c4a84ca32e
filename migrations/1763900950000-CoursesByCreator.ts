// The courses list's createdBy filter ("my courses") with the organization first, like
// every other filter of the list (the index-coverage test walks them).
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CoursesByCreator1763900950000 implements MigrationInterface {
  name = 'CoursesByCreator1763900950000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_courses_org_created_by ON courses (organization_id, created_by, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_courses_org_created_by`);
  }
}
