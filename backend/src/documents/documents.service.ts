// Stage 2's input: files uploaded to an idle course. Every file is read within the
// organization's size limit and checked before anything is stored (name, type, size, and
// content against the declared type: see document-files.ts); then, under the
// course's row lock, the course is checked again (still idle, the limits still kept)
// and all of them are written (content-addressed, under the storage folder), numbered
// and recorded in one go, so a bad file in a batch stores nothing and parallel uploads
// (or an upload racing START, which takes the same lock) never overrun a limit.
import { BadRequestException, Inject, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthUser } from '../auth/access.decorators';
import { ConflictStateError } from '../common/errors.filter';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CourseNotFoundError } from '../orchestrator/course-orchestrator';
import type { DocumentRow, SavedDocumentRow } from '../repositories/tenant/documents.repository';
import type { DocumentLimits } from '../repositories/tenant/organizations.repository';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { CheckedDocument, DocumentContentRejected, DocumentRejected, checkDocument } from './document-files';

export interface UploadPart {
  filename: string;
  mimetype: string;
  read(limit: number): Promise<Buffer | 'too_large'>;
}

const NOT_IDLE = 'documents can only be added before the generation starts';

@Injectable()
export class DocumentsService {
  constructor(
    private readonly scope: TenantScope,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  limits(user: AuthUser): Promise<DocumentLimits> {
    return this.scope.run(user.organizationId, (repos) => repos.organizations.documentLimits());
  }

  async upload(user: AuthUser, courseId: string, parts: AsyncIterable<UploadPart>): Promise<SavedDocumentRow[]> {
    // A first look, so that a request that cannot succeed is refused before its files are read.
    const { maxBytes } = await this.scope.run(user.organizationId, async (repos) => {
      const course = await repos.documents.course(courseId);
      if (!course) throw new CourseNotFoundError(courseId);
      if (course.generation_status !== 'idle') throw new ConflictStateError(NOT_IDLE);
      return repos.organizations.documentLimits();
    });
    const checked: CheckedDocument[] = [];
    try {
      for await (const part of parts) {
        const bytes = await part.read(maxBytes);
        if (bytes === 'too_large') throw new DocumentRejected(`file "${part.filename}": larger than the limit of ${maxBytes} bytes`);
        checked.push(checkDocument(part.filename, part.mimetype, bytes, maxBytes));
      }
    } catch (err) {
      // Content that is not what its type declares is a 415; a bad name, type or size a 400.
      if (err instanceof DocumentContentRejected) throw new UnsupportedMediaTypeException(err.message);
      if (err instanceof DocumentRejected) throw new BadRequestException(err.message);
      throw err;
    }
    if (checked.length === 0) throw new BadRequestException('file: no file in the request (multipart field "file")');
    const dir = join(this.config.storageDir, user.organizationId, courseId);
    return this.scope.run(user.organizationId, async (repos) => {
      // Everything below holds the course's row lock until the upload commits.
      const course = await repos.documents.lockCourse(courseId);
      if (!course) throw new CourseNotFoundError(courseId);
      if (course.generation_status !== 'idle') throw new ConflictStateError(NOT_IDLE);
      const limits = await repos.organizations.documentLimits();
      const big = checked.find((d) => d.bytes.length > limits.maxBytes);
      if (big) throw new ConflictStateError(`file "${big.filename}": larger than the limit of ${limits.maxBytes} bytes (maxDocumentBytes)`);
      const { count, nextOrdinal } = await repos.documents.countAndNextOrdinal(courseId);
      if (count + checked.length > limits.maxDocuments) {
        throw new ConflictStateError(`file: at most ${limits.maxDocuments} documents per course (maxDocumentsPerCourse); the course has ${count}`);
      }
      await mkdir(dir, { recursive: true });
      const saved: SavedDocumentRow[] = [];
      for (let i = 0; i < checked.length; i++) {
        const d = checked[i];
        // Stored under its hash: the user's file name never becomes a path.
        const path = join(dir, `${d.sha256}.${d.mimeType === 'application/pdf' ? 'pdf' : 'txt'}`);
        await writeFile(path, d.bytes);
        saved.push(
          await repos.documents.insert({
            courseId,
            ordinal: nextOrdinal + i,
            filename: d.filename,
            mimeType: d.mimeType,
            sizeBytes: d.bytes.length,
            sha256: d.sha256,
            content: d.mimeType === 'application/pdf' ? '' : d.bytes.toString('utf8'),
            storagePath: path,
          }),
        );
      }
      await repos.documents.markCourseHasDocuments(courseId);
      return saved;
    });
  }

  async list(user: AuthUser, courseId: string): Promise<DocumentRow[]> {
    return this.scope.run(user.organizationId, async (repos) => {
      if (!(await repos.documents.courseExists(courseId))) throw new CourseNotFoundError(courseId);
      return repos.documents.list(courseId);
    });
  }
}
