// A course's source documents: upload (numbered under the course's row lock), listing and reading them back.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';

export interface DocumentCourseRow {
  id: string;
  generation_status: string;
}

export interface NewDocument {
  courseId: string;
  ordinal: number;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  /** the text of a text document; '' for a PDF (extracted later) */
  content: string;
  /** where the file's bytes are stored; null when the text is kept in the row only */
  storagePath: string | null;
}

/** A document as its upload answers it. */
export interface SavedDocumentRow {
  id: string;
  ordinal: number;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  createdAt: Date;
}

/** A document as the course's list shows it. */
export interface DocumentRow extends SavedDocumentRow {
  extracted: boolean;
  chunks: number;
  summary: unknown;
}

export class DocumentsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** The course, if the organization has it. */
  async course(courseId: string): Promise<DocumentCourseRow | undefined> {
    const rows = await this.db.query<DocumentCourseRow>(`SELECT id, generation_status FROM courses WHERE id = $1 AND organization_id = $2`, [
      courseId,
      this.organizationId,
    ]);
    return rows[0];
  }

  /**
   * The course, locked until the transaction ends: uploads and START of the same course
   * take this lock, so the status, the document count and the ordinals read under it
   * stay true until the upload commits.
   */
  async lockCourse(courseId: string): Promise<DocumentCourseRow | undefined> {
    const rows = await this.db.query<DocumentCourseRow>(`SELECT id, generation_status FROM courses WHERE id = $1 AND organization_id = $2 FOR UPDATE`, [
      courseId,
      this.organizationId,
    ]);
    return rows[0];
  }

  async courseExists(courseId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM courses WHERE id = $1 AND organization_id = $2`, [courseId, this.organizationId]);
    return rows.length > 0;
  }

  /** How many documents the course has, and the ordinal the next one gets. */
  async countAndNextOrdinal(courseId: string): Promise<{ count: number; nextOrdinal: number }> {
    const [row] = await this.db.query<{ count: number; next: number }>(
      `SELECT count(*)::int AS count, coalesce(max(ordinal) + 1, 0)::int AS next FROM course_documents WHERE course_id = $1`,
      [courseId],
    );
    return { count: row.count, nextOrdinal: row.next };
  }

  async insert(d: NewDocument): Promise<SavedDocumentRow> {
    const [row] = await this.db.query<SavedDocumentRow>(
      `INSERT INTO course_documents (course_id, organization_id, ordinal, filename, mime_type, size_bytes, sha256, content, storage_path)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       RETURNING id, ordinal, filename, mime_type AS "mimeType", size_bytes AS "sizeBytes", sha256, created_at AS "createdAt"`,
      [d.courseId, this.organizationId, d.ordinal, d.filename, d.mimeType, d.sizeBytes, d.sha256, d.content, d.storagePath],
    );
    return row;
  }

  /** Notes on the course that it has documents, and their total size. */
  async markCourseHasDocuments(courseId: string): Promise<void> {
    await this.db.query(
      `UPDATE courses SET generation_progress = generation_progress || jsonb_build_object('has_documents', true,
         'document_size', (SELECT coalesce(sum(size_bytes), 0) FROM course_documents WHERE course_id = $1)), updated_at = now()
       WHERE id = $1`,
      [courseId],
    );
  }

  /** The course's documents in order. */
  async list(courseId: string): Promise<DocumentRow[]> {
    return this.db.query<DocumentRow>(
      `SELECT d.id, d.ordinal, d.filename, d.mime_type AS "mimeType", d.size_bytes AS "sizeBytes", d.sha256,
              (d.extracted_text IS NOT NULL) AS extracted, jsonb_array_length(coalesce(d.chunks, '[]')) AS chunks, d.summary, d.created_at AS "createdAt"
         FROM course_documents d WHERE d.course_id = $1 AND d.organization_id = $2 ORDER BY d.ordinal`,
      [courseId, this.organizationId],
    );
  }
}
