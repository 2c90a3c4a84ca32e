// The transactional outbox (effects a transition asked for, written in the same
// transaction as the new state and carried out after commit), the saved output of
// every finished phase (so a retry never pays twice), and the documents of stage 2.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOutboxAndPhaseOutputs1763800006000 implements MigrationInterface {
  name = 'CreateOutboxAndPhaseOutputs1763800006000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        course_id uuid REFERENCES courses(id) ON DELETE CASCADE,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        processed_at timestamptz
      )`);
    await q.query(`CREATE INDEX idx_outbox_pending ON outbox (id) WHERE processed_at IS NULL`);
    await q.query(`
      CREATE TABLE phase_outputs (
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        stage int NOT NULL CHECK (stage BETWEEN 2 AND 6),
        phase_key text NOT NULL,
        run int NOT NULL,
        output jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (course_id, stage, phase_key)
      )`);
    await q.query(`
      CREATE TABLE course_documents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        ordinal int NOT NULL,
        filename text NOT NULL,
        mime_type text NOT NULL,
        size_bytes int NOT NULL CHECK (size_bytes >= 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        content text NOT NULL,
        extracted_text text,
        chunks jsonb,
        summary jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (course_id, ordinal)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE course_documents`);
    await q.query(`DROP TABLE phase_outputs`);
    await q.query(`DROP TABLE outbox`);
  }
}
