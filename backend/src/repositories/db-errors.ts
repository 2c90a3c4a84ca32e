// One error map for both doors into Postgres (pg's DatabaseError from the tenant and
// system paths, TypeORM's QueryFailedError from migrations and tests): an HTTP status
// and a message of our own. A client never sees Postgres's text, which can carry row
// values (DESIGN.md, "Where SQL lives"); the original stays in the server's log.
export class DbUnavailableError extends Error {}

export interface MappedDbError {
  status: 400 | 403 | 404 | 409 | 503;
  message: string;
}

interface PgFields {
  code?: string;
  column?: string;
  constraint?: string;
  table?: string;
  detail?: string;
  message?: string;
}

/** The pg error behind `err`, whichever layer threw it. */
export function pgFields(err: unknown): PgFields | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as PgFields & { driverError?: PgFields };
  const inner = e.driverError && typeof e.driverError === 'object' ? e.driverError : e;
  return typeof inner.code === 'string' ? inner : null;
}

export function isRetryable(err: unknown): boolean {
  const code = pgFields(err)?.code;
  return code === '40001' || code === '40P01';
}

/** Messages our own triggers raise (migrations 1763800008000, 1763800014000) are ours to show. */
const OWN_RULES = /^rule_/;

function keyColumn(detail: string | undefined): string | null {
  // "Key (course_id, ordinal)=(…) already exists." → course_id, ordinal (the values are not shown)
  const m = detail ? /^Key \(([^)]+)\)=/.exec(detail) : null;
  return m ? m[1] : null;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND']);

export function mapDbError(err: unknown): MappedDbError | null {
  if (err instanceof DbUnavailableError) return { status: 503, message: err.message };
  const pg = pgFields(err);
  if (!pg?.code) return null;
  const code = pg.code;
  const where = pg.column ? ` in ${pg.column}` : '';
  if (CONNECTION_CODES.has(code) || code.startsWith('08') || code === '53300' || code === '57P01' || code === '57P03') {
    return { status: 503, message: 'the database is not reachable; try again shortly' };
  }
  switch (code) {
    case '22021':
    case '22P05':
      return { status: 400, message: `invalid text${where}: NUL characters and invalid encodings are not accepted` };
    case '22007':
    case '22008':
      return { status: 400, message: `invalid date or time${where}` };
    case '22003':
      return { status: 400, message: `number out of range${where}` };
    case '22P02':
      return { status: 400, message: `invalid value${where}` };
    case '22001':
      return { status: 400, message: `value too long${where}` };
    case '23502':
      return { status: 400, message: `${pg.column ?? 'a required field'} is required` };
    case '23505': {
      const key = keyColumn(pg.detail);
      return { status: 409, message: key ? `a record with the same ${key} already exists` : 'a record with the same key already exists' };
    }
    case '23503': {
      const key = keyColumn(pg.detail);
      if (pg.detail?.includes('is still referenced')) return { status: 409, message: 'still referenced by other records' };
      return { status: 400, message: key ? `${key}: refers to a record that does not exist` : 'refers to a record that does not exist' };
    }
    case '23514':
      if (pg.constraint && OWN_RULES.test(pg.constraint)) return { status: 409, message: pg.message ?? 'refused by a course rule' };
      return { status: 400, message: pg.constraint ? `invalid value (${pg.constraint})` : 'invalid value' };
    case '42501':
      return { status: 403, message: 'not permitted' };
    case 'MC001':
    case 'MC002':
      // Our own guards (closed months, immutable price versions): their text is ours.
      return { status: 409, message: pg.message ?? 'refused' };
    case '40001':
    case '40P01':
      return { status: 503, message: 'the database was busy with conflicting changes; try again' };
    case '57014':
      return { status: 503, message: 'the query took too long; try a narrower request' };
    default:
      return null;
  }
}
