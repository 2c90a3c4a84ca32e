// Stage 6 lessons and their latest generated source.
import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantDb } from '../repositories/tenant/tenant-db';
import { ALL_ROLES, Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { eq, pageOf, search, uuidEq } from '../repositories/list-query';
import { UuidPipe } from '../common/zod.pipe';

const COLUMNS = `l.id, l.course_id AS "courseId", l.section_number AS "sectionNumber", l.lesson_number AS "lessonNumber",
  l.ordinal, l.title, l.status, l.error, l.created_at AS "createdAt", l.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM generation_attempts a WHERE a.lesson_id = l.id) AS attempts`;

const SPEC = {
  sortable: { ordinal: 'l.ordinal', title: 'l.title', status: 'l.status', createdAt: 'l.created_at', updatedAt: 'l.updated_at' },
  filters: { id: uuidEq('l.id'), courseId: uuidEq('l.course_id'), status: eq('l.status'), q: search('l.title') },
  defaultSort: ['ordinal', 'ASC'] as [string, 'ASC'],
};

@ApiTags('lessons')
@ApiBearerAuth()
@Controller('lessons')
export class LessonsController {
  constructor(private readonly tenant: TenantDb) {}

  @Get()
  @Allow(...ALL_ROLES)
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.tenant.run(user.organizationId, (db) => pageOf(db, query, SPEC, {
      resource: 'lessons', select: COLUMNS, from: 'lessons l', tiebreak: 'l.id',
      scope: { sql: 'l.organization_id = $1', params: [user.organizationId] },
    }));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Allow(...ALL_ROLES)
  async get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    const rows = await this.tenant.query(user.organizationId, 
      `SELECT ${COLUMNS}, l.spec,
              (SELECT typescript_source FROM lesson_contents c WHERE c.lesson_id = l.id ORDER BY version DESC LIMIT 1) AS "typescriptSource",
              (SELECT compiled_js FROM lesson_contents c WHERE c.lesson_id = l.id ORDER BY version DESC LIMIT 1) AS "compiledJs"
         FROM lessons l WHERE l.id = $1 AND l.organization_id = $2`,
      [id, user.organizationId],
    );
    if (!rows[0]) throw new NotFoundException('lesson not found');
    return rows[0];
  }
}
