// Rotating an organization's webhook signing secret without breaking its receivers:
// the secret it replaced keeps signing beside the new one until the overlap ends
// (Standard Webhooks: several space-separated signatures in `webhook-signature`, a
// receiver accepts a delivery when any one verifies with a secret it knows).
import { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookSecretRotation1763900200000 implements MigrationInterface {
  name = 'WebhookSecretRotation1763900200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations
      ADD COLUMN webhook_secret_previous text,
      ADD COLUMN webhook_secret_previous_until timestamptz,
      ADD COLUMN webhook_secret_rotated_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE organizations DROP COLUMN webhook_secret_previous, DROP COLUMN webhook_secret_previous_until, DROP COLUMN webhook_secret_rotated_at`,
    );
  }
}
