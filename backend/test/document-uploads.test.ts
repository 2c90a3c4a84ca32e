// Uploads under the course's row lock: parallel uploads never overrun the per-course
// limit nor share an ordinal, and every refusal is a 409 (ConflictStateError), never a
// database error.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../src/auth/access.decorators';
import { ConflictStateError } from '../src/common/errors.filter';
import type { AppConfig } from '../src/config/app-config';
import { DocumentsService, UploadPart } from '../src/documents/documents.service';
import { TenantDb } from '../src/repositories/tenant/tenant-db';
import { TenantScope } from '../src/repositories/tenant/tenant-scope';
import { testDataSource } from './helpers';

let ds: DataSource;
let storageDir: string;
let service: DocumentsService;

beforeAll(async () => {
  ds = await testDataSource();
  storageDir = await mkdtemp(join(tmpdir(), 'mc-doc-uploads-'));
  service = new DocumentsService(new TenantScope(new TenantDb(ds)), { storageDir } as AppConfig);
});
afterAll(async () => {
  await ds.destroy();
  await rm(storageDir, { recursive: true, force: true });
});

async function orgWithLimit(maxDocuments: number): Promise<{ user: AuthUser; courseId: string }> {
  const slug = `docs-${Math.random().toString(36).slice(2, 10)}`;
  const [org] = await ds.query(`INSERT INTO organizations (name, slug, max_documents_per_course) VALUES ($1, $1, $2) RETURNING id`, [slug, maxDocuments]);
  const [course] = await ds.query(`INSERT INTO courses (organization_id, title, approval_gates) VALUES ($1, 'Uploads', '{}') RETURNING id`, [org.id]);
  const user: AuthUser = { id: '00000000-0000-4000-8000-000000000000', email: 'ops@docs.test', name: 'Ops', role: 'ops', organizationId: org.id, operator: false };
  return { user, courseId: course.id };
}

async function* files(...names: string[]): AsyncIterable<UploadPart> {
  for (const name of names) {
    const bytes = Buffer.from(`notes of ${name}\n`);
    yield { filename: name, mimetype: 'text/plain', read: async (limit) => (bytes.length > limit ? 'too_large' : bytes) };
  }
}

describe('document uploads', () => {
  it('10 parallel uploads against a limit of 3: three stored, ordinals 0, 1, 2, the rest 409', async () => {
    const { user, courseId } = await orgWithLimit(3);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => service.upload(user, courseId, files(`file-${i}.txt`))));
    const stored = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(stored).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(ConflictStateError);
      expect((r.reason as Error).message).toMatch(/at most 3 documents per course \(maxDocumentsPerCourse\)/);
    }
    const rows = await ds.query(`SELECT ordinal FROM course_documents WHERE course_id = $1 ORDER BY ordinal`, [courseId]);
    expect(rows.map((r: { ordinal: number }) => r.ordinal)).toEqual([0, 1, 2]);
    const [course] = await ds.query(`SELECT generation_progress->>'has_documents' AS has FROM courses WHERE id = $1`, [courseId]);
    expect(course.has).toBe('true');
  });

  it('numbers a batch after the documents already there, and refuses a batch that would pass the limit', async () => {
    const { user, courseId } = await orgWithLimit(3);
    const first = await service.upload(user, courseId, files('a.txt', 'b.txt'));
    expect(first.map((d) => d.ordinal)).toEqual([0, 1]);
    await expect(service.upload(user, courseId, files('c.txt', 'd.txt'))).rejects.toBeInstanceOf(ConflictStateError);
    const third = await service.upload(user, courseId, files('c.txt'));
    expect(third.map((d) => d.ordinal)).toEqual([2]);
  });

  it('refuses an upload to a course that has left idle with a 409', async () => {
    const { user, courseId } = await orgWithLimit(3);
    await ds.query(`UPDATE courses SET generation_status = 'queued' WHERE id = $1`, [courseId]);
    await expect(service.upload(user, courseId, files('late.txt'))).rejects.toBeInstanceOf(ConflictStateError);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM course_documents WHERE course_id = $1`, [courseId]);
    expect(n).toBe(0);
  });
});
