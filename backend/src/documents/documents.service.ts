// Stage 2's input: files uploaded to an idle course. Every file is read within the
// organization's size limit and checked before anything is stored; then all of them
// are written (content-addressed, under the storage folder) and recorded in one go, so
// a bad file in a batch stores nothing.
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { TenantDb } from '../repositories/tenant/tenant-db';
import type { AuthUser } from '../auth/access.decorators';
import { ConflictStateError } from '../common/errors.filter';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CourseNotFoundError } from '../orchestrator/course-orchestrator';
import { CheckedDocument, DocumentRejected, checkDocument } from './document-files';

export interface UploadPart {
  filename: string;
  mimetype: string;
  read(limit: number): Promise<Buffer | 'too_large'>;
}

@Injectable()
export class DocumentsService {
  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tenant: TenantDb,
  ) {}

  async limits(user: AuthUser) {
    const [org] = await this.ds.query(`SELECT max_document_bytes, max_documents_per_course FROM organizations WHERE id = $1`, [user.organizationId]);
    return { maxBytes: Number(org.max_document_bytes), maxDocuments: Number(org.max_documents_per_course) };
  }

  async upload(user: AuthUser, courseId: string, parts: AsyncIterable<UploadPart>) {
    const [course] = await this.ds.query(`SELECT id, generation_status FROM courses WHERE id = $1 AND organization_id = $2`, [courseId, user.organizationId]);
    if (!course) throw new CourseNotFoundError(courseId);
    if (course.generation_status !== 'idle') throw new ConflictStateError('documents can only be added before the generation starts');
    const { maxBytes, maxDocuments } = await this.limits(user);
    const checked: CheckedDocument[] = [];
    try {
      for await (const part of parts) {
        const bytes = await part.read(maxBytes);
        if (bytes === 'too_large') throw new DocumentRejected(`file "${part.filename}": larger than the limit of ${maxBytes} bytes`);
        checked.push(checkDocument(part.filename, part.mimetype, bytes, maxBytes));
      }
    } catch (err) {
      if (err instanceof DocumentRejected) throw new BadRequestException(err.message);
      throw err;
    }
    if (checked.length === 0) throw new BadRequestException('file: no file in the request (multipart field "file")');
    const dir = join(this.config.storageDir, user.organizationId, courseId);
    await mkdir(dir, { recursive: true });
    return this.ds.transaction(async (em) => {
      const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM course_documents WHERE course_id = $1`, [courseId]);
      if (n + checked.length > maxDocuments) throw new BadRequestException(`file: at most ${maxDocuments} documents per course`);
      const saved = [];
      for (let i = 0; i < checked.length; i++) {
        const d = checked[i];
        // Stored under its hash: the user's file name never becomes a path.
        const path = join(dir, `${d.sha256}.${d.mimeType === 'application/pdf' ? 'pdf' : 'txt'}`);
        await writeFile(path, d.bytes);
        const [row] = await em.query(
          `INSERT INTO course_documents (course_id, organization_id, ordinal, filename, mime_type, size_bytes, sha256, content, storage_path)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           RETURNING id, ordinal, filename, mime_type AS "mimeType", size_bytes AS "sizeBytes", sha256, created_at AS "createdAt"`,
          [courseId, user.organizationId, n + i, d.filename, d.mimeType, d.bytes.length, d.sha256, d.mimeType === 'application/pdf' ? '' : d.bytes.toString('utf8'), path],
        );
        saved.push(row);
      }
      await em.query(
        `UPDATE courses SET generation_progress = generation_progress || jsonb_build_object('has_documents', true,
           'document_size', (SELECT coalesce(sum(size_bytes), 0) FROM course_documents WHERE course_id = $1)), updated_at = now()
         WHERE id = $1`,
        [courseId],
      );
      return saved;
    });
  }

  async list(user: AuthUser, courseId: string) {
    return this.tenant.run(user.organizationId, async (db) => {
      const [course] = await db.query(`SELECT id FROM courses WHERE id = $1 AND organization_id = $2`, [courseId, user.organizationId]);
      if (!course) throw new CourseNotFoundError(courseId);
      return db.query(
        `SELECT d.id, d.ordinal, d.filename, d.mime_type AS "mimeType", d.size_bytes AS "sizeBytes", d.sha256,
                (d.extracted_text IS NOT NULL) AS extracted, jsonb_array_length(coalesce(d.chunks, '[]')) AS chunks, d.summary, d.created_at AS "createdAt"
           FROM course_documents d WHERE d.course_id = $1 AND d.organization_id = $2 ORDER BY d.ordinal`,
        [courseId, user.organizationId],
      );
    });
  }
}
