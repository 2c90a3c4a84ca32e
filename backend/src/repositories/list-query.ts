// Parses react-admin's ra-data-simple-rest list parameters — sort=["field","ASC"],
// range=[0,24], filter={...} — against allow-lists, into SQL pieces. Keys are looked up
// as own properties only (`Object.hasOwn`): a key every object has (`constructor`,
// `__proto__`, `toString`…) is an unknown field like any other, never a built-in
// function. Values are always bound parameters. Unknown fields, malformed JSON and bad
// text are 400s that name the parameter.
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { describeZodError } from '../common/zod.pipe';
import { findBadText } from '../common/text';

export interface ListSpec {
  /** api field -> SQL column expression */
  sortable: Record<string, string>;
  /** api filter key -> how to turn a value into a condition */
  filters: Record<string, (value: unknown, param: (v: unknown) => string, field: string) => string>;
  defaultSort: [string, 'ASC' | 'DESC'];
  maxPage?: number;
}

export interface ListQuery {
  where: string[];
  params: unknown[];
  orderBy: string;
  /** the sort's direction, which the tie-break follows (one index then serves both) */
  direction: 'ASC' | 'DESC';
  offset: number;
  limit: number;
}

const SortSchema = z.tuple([z.string(), z.enum(['ASC', 'DESC', 'asc', 'desc'])]);
const RangeSchema = z.tuple([z.number().int().min(0), z.number().int().min(0)]).refine(([a, b]) => b >= a, 'end must not be before start');

export function parseJson(name: string, raw: unknown): unknown {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string') throw new BadRequestException(`${name}: must be a JSON string`);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new BadRequestException(`${name}: is not valid JSON`);
  }
  // JSON escapes can carry what the query string itself could not (\u0000, lone surrogates).
  const bad = findBadText(value, name);
  if (bad) throw new BadRequestException(bad);
  return value;
}

/** `spec[key]` when `key` is the spec's own entry, else undefined. */
function own<T>(spec: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(spec, key) ? spec[key] : undefined;
}

export function parseListQuery(query: Record<string, unknown>, spec: ListSpec, firstParam = 1): ListQuery {
  const params: unknown[] = [];
  const param = (v: unknown) => {
    params.push(v);
    return `$${params.length + firstParam - 1}`;
  };
  const sortRaw = parseJson('sort', query.sort);
  const sort = sortRaw === undefined ? spec.defaultSort : SortSchema.safeParse(sortRaw);
  let orderBy: string;
  let direction: 'ASC' | 'DESC';
  if (Array.isArray(sort)) {
    orderBy = `${own(spec.sortable, sort[0])} ${sort[1]}`;
    direction = sort[1];
  } else if (!sort.success) {
    throw new BadRequestException(`sort: ${describeZodError(sort.error)}`);
  } else {
    const column = own(spec.sortable, sort.data[0]);
    if (typeof column !== 'string') throw new BadRequestException(`sort: cannot sort by "${sort.data[0]}" (allowed: ${Object.keys(spec.sortable).join(', ')})`);
    direction = sort.data[1].toUpperCase() as 'ASC' | 'DESC';
    orderBy = `${column} ${direction}`;
  }
  const filterRaw = parseJson('filter', query.filter) ?? {};
  if (typeof filterRaw !== 'object' || filterRaw === null || Array.isArray(filterRaw)) throw new BadRequestException('filter: must be a JSON object');
  const maxPage = spec.maxPage ?? 500;
  const rangeRaw = parseJson('range', query.range);
  // ra-data-simple-rest's getMany sends filter={"id":[...]} and no range: the page is
  // then as long as the list of ids (up to the page cap), not the default 25 rows.
  const ids = (filterRaw as Record<string, unknown>).id;
  const defaultEnd = Array.isArray(ids) ? Math.min(Math.max(ids.length, 25), maxPage) - 1 : 24;
  const range = rangeRaw === undefined ? { success: true as const, data: [0, defaultEnd] as [number, number] } : RangeSchema.safeParse(rangeRaw);
  if (!range.success) throw new BadRequestException(`range: ${describeZodError(range.error)}`);
  const limit = range.data[1] - range.data[0] + 1;
  if (limit > maxPage) throw new BadRequestException(`range: at most ${maxPage} rows per page`);
  const where: string[] = [];
  // The parsed JSON itself, not a copy: JSON.parse keeps "__proto__" as an own key,
  // while copying it into a fresh object would drop it silently.
  for (const [key, value] of Object.entries(filterRaw)) {
    const make = own(spec.filters, key);
    if (typeof make !== 'function') throw new BadRequestException(`filter: unknown field "${key}" (allowed: ${Object.keys(spec.filters).join(', ')})`);
    if (value === undefined || value === null || value === '') continue;
    where.push(make(value, param, key));
  }
  return { where, params, orderBy, direction, offset: range.data[0], limit };
}

/**
 * Lists count at most this many rows: past it the Content-Range total is `10000+`
 * (ra-data-simple-rest's parseInt reads 10000; the dashboard shows "10,000+"). Below it
 * the count is exact, and a selective filter's count stays cheap.
 */
export const COUNT_CAP = 10_000;

/** `resource start-end/total`, the total written `10000+` when it is over COUNT_CAP. */
export function contentRange(resource: string, offset: number, count: number, total: number): string {
  const end = count === 0 ? offset : offset + count - 1;
  return `${resource} ${offset}-${end}/${total > COUNT_CAP ? `${COUNT_CAP}+` : total}`;
}

/** Filter builders for the common cases. */
export const eq =
  (column: string, schema: z.ZodType = z.string().max(200)) =>
  (value: unknown, param: (v: unknown) => string, field = column) => {
    if (Array.isArray(value)) {
      const items = z.array(schema).max(500).safeParse(value);
      if (!items.success) throw new BadRequestException(`filter.${field}: ${describeZodError(items.error)}`);
      return `${column} = ANY(${param(items.data)})`;
    }
    const v = schema.safeParse(value);
    if (!v.success) throw new BadRequestException(`filter.${field}: ${describeZodError(v.error)}`);
    return `${column} = ${param(v.data)}`;
  };

export const uuidEq = (column: string) => eq(column, z.string().uuid({ message: 'must be a UUID' }));

export const search =
  (...columns: string[]) =>
  (value: unknown, param: (v: unknown) => string, field = 'q') => {
    const v = z.string().max(200).safeParse(value);
    if (!v.success) throw new BadRequestException(`filter.${field}: ${describeZodError(v.error)}`);
    const p = param(`%${v.data.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return `(${columns.map((c) => `${c} ILIKE ${p}`).join(' OR ')})`;
  };

export interface PageSource {
  /** Content-Range resource name */
  resource: string;
  select: string;
  /** table with its alias, e.g. `lessons l` */
  from: string;
  /** the caller's scope, always applied: `l.organization_id = $1` with its parameters */
  scope: { sql: string; params: unknown[] };
  /** unique column that makes the order stable across pages (in the sort's direction); also what `id` sorts and filters by */
  tiebreak: string;
  /** the type of the id column, for the `id` filter a spec does not define itself (default uuid) */
  idType?: 'uuid' | 'text' | 'integer';
  /** the caller already knows the filtered rows pass COUNT_CAP: no count statement */
  overCap?: boolean;
}

const ID_SCHEMAS = {
  uuid: z.string().uuid({ message: 'must be a UUID' }),
  text: z.string().max(200),
  integer: z.union([z.number().int().min(1), z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be a positive integer')]).transform(String),
};

/**
 * The spec with `id` sortable and filterable by the page's unique column, as every
 * ra-data-simple-rest call may ask (getMany filters by id, the default sort is id).
 */
export function withId(spec: ListSpec, src: Pick<PageSource, 'tiebreak' | 'idType'>): ListSpec {
  if (Object.hasOwn(spec.sortable, 'id') && Object.hasOwn(spec.filters, 'id')) return spec;
  return {
    ...spec,
    sortable: Object.hasOwn(spec.sortable, 'id') ? spec.sortable : { id: src.tiebreak, ...spec.sortable },
    filters: Object.hasOwn(spec.filters, 'id') ? spec.filters : { id: eq(src.tiebreak, ID_SCHEMAS[src.idType ?? 'uuid']), ...spec.filters },
  };
}

/** One page of a ra-data-simple-rest list: the rows and the Content-Range header value. */
export async function pageOf(
  ds: { query(sql: string, params?: unknown[]): Promise<any> },
  query: Record<string, unknown>,
  spec: ListSpec,
  src: PageSource,
): Promise<{ rows: any[]; range: string }> {
  const q = parseListQuery(query, withId(spec, src), src.scope.params.length + 1);
  const where = [src.scope.sql, ...q.where].join(' AND ');
  const params = [...src.scope.params, ...q.params];
  const [rows, [{ total }]] = await Promise.all([
    ds.query(
      `SELECT ${src.select} FROM ${src.from} WHERE ${where} ORDER BY ${q.orderBy}, ${src.tiebreak} ${q.direction} LIMIT ${q.limit} OFFSET ${q.offset}`,
      params,
    ),
    // Counts the first COUNT_CAP + 1 rows only: a list of millions stops there.
    src.overCap
      ? [{ total: COUNT_CAP + 1 }]
      : ds.query(`SELECT count(*)::int AS total FROM (SELECT 1 FROM ${src.from} WHERE ${where} LIMIT ${COUNT_CAP + 1}) capped`, params),
  ]);
  return { rows, range: contentRange(src.resource, q.offset, rows.length, total) };
}
