// The relay's sweep asks whether a newer live event of the same course exists before
// sending an old one: outbox rows by course.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class OutboxByCourse1763800019000 implements MigrationInterface {
  name = 'OutboxByCourse1763800019000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX idx_outbox_course ON outbox (course_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_outbox_course`);
  }
}
