// Seed 003 wants Russian status messages. The language of a message is picked by the
// request's Accept-Language; without one, by the user's own preference (users.language,
// null when the user chose none), else by the organization's default
// (organizations.default_language). Webhook payloads follow the organization's default.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class OrganizationLanguage1763800042000 implements MigrationInterface {
  name = 'OrganizationLanguage1763800042000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations ADD COLUMN default_language text NOT NULL DEFAULT 'en'
      CONSTRAINT organizations_default_language_check CHECK (default_language IN ('en', 'ru'))`);
    await q.query(`ALTER TABLE users ADD COLUMN language text
      CONSTRAINT users_language_check CHECK (language IN ('en', 'ru'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN language`);
    await q.query(`ALTER TABLE organizations DROP COLUMN default_language`);
  }
}
