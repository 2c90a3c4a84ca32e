import { QueryFailedError } from 'typeorm';
import { DbUnavailableError, mapDbError } from './db-errors';

const pgError = (fields: Record<string, string>) => Object.assign(new Error(`secret row text ${fields.code}`), fields);

describe('one map for Postgres errors', () => {
  it('answers in its own words, never with the database text', () => {
    const cases: [Record<string, string>, number][] = [
      [{ code: '22021' }, 400],
      [{ code: '22P05' }, 400],
      [{ code: '22007' }, 400],
      [{ code: '22008' }, 400],
      [{ code: '22003', column: 'budget_usd' }, 400],
      [{ code: '23505', detail: 'Key (course_id, ordinal)=(x, 1) already exists.' }, 409],
      [{ code: '23503', detail: 'Key (course_id)=(x) is not present in table "courses".' }, 400],
      [{ code: '23514', constraint: 'rule_stage_sequence' }, 409],
      [{ code: '23514', constraint: 'courses_title_check' }, 400],
      [{ code: '40001' }, 503],
      [{ code: '40P01' }, 503],
      [{ code: 'MC001' }, 409],
      [{ code: 'ECONNREFUSED' }, 503],
    ];
    for (const [fields, status] of cases) {
      const mapped = mapDbError(pgError(fields));
      expect(mapped?.status).toBe(status);
      if (!fields.constraint?.startsWith('rule_') && fields.code !== 'MC001') expect(mapped?.message).not.toContain('secret row text');
    }
    expect(mapDbError(pgError({ code: '23505', detail: 'Key (course_id, ordinal)=(x, 1) already exists.' }))?.message).toBe(
      'a record with the same course_id, ordinal already exists',
    );
  });

  it('reads the pg error inside TypeORM errors too', () => {
    const inner = pgError({ code: '22P05' });
    expect(mapDbError(new QueryFailedError('SELECT 1', [], inner))?.status).toBe(400);
  });

  it('leaves what is not a database error alone', () => {
    expect(mapDbError(new Error('boom'))).toBeNull();
    expect(mapDbError(new DbUnavailableError('busy'))?.status).toBe(503);
  });
});
