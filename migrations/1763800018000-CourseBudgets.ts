// A budget per course: when the projected cost to complete a course passes it, the
// course waits at a budget gate before its lessons are generated, for finance to decide.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CourseBudgets1763800018000 implements MigrationInterface {
  name = 'CourseBudgets1763800018000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE courses ADD COLUMN budget_usd numeric(14, 4) CHECK (budget_usd >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE courses DROP COLUMN budget_usd`);
  }
}
