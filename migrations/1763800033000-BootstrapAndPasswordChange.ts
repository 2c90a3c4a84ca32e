// A first day in production (`npm run bootstrap`): the operating organization is marked
// as the platform's, and its first admin must change the password the bootstrap gave
// them before doing anything else. `is_platform` may also come from another migration
// (1763800030000), so it is added only when missing: either order leaves one column.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class BootstrapAndPasswordChange1763800033000 implements MigrationInterface {
  name = 'BootstrapAndPasswordChange1763800033000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE organizations ADD COLUMN IF NOT EXISTS is_platform boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    // is_platform stays: another migration may own it.
    await q.query(`ALTER TABLE users DROP COLUMN must_change_password`);
  }
}
