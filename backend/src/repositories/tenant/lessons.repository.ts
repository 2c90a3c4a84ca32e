// Lessons and their generated contents, for the lessons list and page.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';
import { eq, ListSpec, pageOf, search, uuidEq } from '../list-query';

export interface LessonRow {
  id: string;
  courseId: string;
  sectionNumber: number;
  lessonNumber: number;
  ordinal: number;
  title: string;
  status: string;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  attempts: number;
}

export interface LessonWithSourceRow extends LessonRow {
  spec: unknown;
  typescriptSource: string | null;
  compiledJs: string | null;
}

const COLUMNS = `l.id, l.course_id AS "courseId", l.section_number AS "sectionNumber", l.lesson_number AS "lessonNumber",
  l.ordinal, l.title, l.status, l.error, l.created_at AS "createdAt", l.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM generation_attempts a WHERE a.lesson_id = l.id) AS attempts`;

export const SPEC: ListSpec = {
  sortable: { ordinal: 'l.ordinal', title: 'l.title', status: 'l.status', createdAt: 'l.created_at', updatedAt: 'l.updated_at' },
  filters: { id: uuidEq('l.id'), courseId: uuidEq('l.course_id'), status: eq('l.status'), q: search('l.title') },
  defaultSort: ['ordinal', 'ASC'],
};

export class LessonsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** One page of the organization's lessons (react-admin list parameters). */
  async page(query: Record<string, unknown>): Promise<{ rows: LessonRow[]; range: string }> {
    return pageOf(this.db, query, SPEC, {
      resource: 'lessons',
      select: COLUMNS,
      from: 'lessons l',
      tiebreak: 'l.id',
      scope: { sql: 'l.organization_id = $1', params: [this.organizationId] },
    });
  }

  /** The lesson with its spec and its latest generated source. */
  async byIdWithSource(id: string): Promise<LessonWithSourceRow | undefined> {
    const rows = await this.db.query<LessonWithSourceRow>(
      `SELECT ${COLUMNS}, l.spec,
              (SELECT typescript_source FROM lesson_contents c WHERE c.lesson_id = l.id ORDER BY version DESC LIMIT 1) AS "typescriptSource",
              (SELECT compiled_js FROM lesson_contents c WHERE c.lesson_id = l.id ORDER BY version DESC LIMIT 1) AS "compiledJs"
         FROM lessons l WHERE l.id = $1 AND l.organization_id = $2`,
      [id, this.organizationId],
    );
    return rows[0];
  }
}
