// Uploaded documents live in a storage folder (the row keeps where), each organization
// has upload limits and a monthly model budget that every model call is checked
// against, and ETAs read phase durations from recent history.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class DocumentsStorageAndBudgets1763800011000 implements MigrationInterface {
  name = 'DocumentsStorageAndBudgets1763800011000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE course_documents ADD COLUMN storage_path text`);
    await q.query(`ALTER TABLE organizations
      ADD COLUMN max_document_bytes int NOT NULL DEFAULT 10485760 CHECK (max_document_bytes > 0),
      ADD COLUMN max_documents_per_course int NOT NULL DEFAULT 20 CHECK (max_documents_per_course > 0),
      ADD COLUMN monthly_budget_usd numeric(14, 4) CHECK (monthly_budget_usd >= 0)`);
    // Phase durations for ETAs are read from the history of recent runs.
    await q.query(`CREATE INDEX idx_status_history_phase_events ON generation_status_history (created_at)
      WHERE event IN ('PHASE_STARTED', 'PHASE_DONE')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_status_history_phase_events`);
    await q.query(`ALTER TABLE organizations DROP COLUMN monthly_budget_usd, DROP COLUMN max_documents_per_course, DROP COLUMN max_document_bytes`);
    await q.query(`ALTER TABLE course_documents DROP COLUMN storage_path`);
  }
}
