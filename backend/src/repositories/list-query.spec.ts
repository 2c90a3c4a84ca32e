import { BadRequestException } from '@nestjs/common';
import { contentRange, COUNT_CAP, eq, parseListQuery, search } from './list-query';

const spec = {
  sortable: { title: 'c.title', createdAt: 'c.created_at' },
  filters: { status: eq('c.status'), q: search('c.title') },
  defaultSort: ['createdAt', 'DESC'] as [string, 'DESC'],
  maxPage: 100,
};

describe('react-admin list parameters', () => {
  it('turns sort, range and filter into SQL with bound parameters', () => {
    const q = parseListQuery({ sort: '["title","ASC"]', range: '[10,19]', filter: '{"status":["queued","failed"],"q":"50%_off"}' }, spec, 2);
    expect(q.orderBy).toBe('c.title ASC');
    expect(q.offset).toBe(10);
    expect(q.limit).toBe(10);
    expect(q.where).toEqual(['c.status = ANY($2)', '(c.title ILIKE $3)']);
    expect(q.params).toEqual([['queued', 'failed'], '%50\\%\\_off%']);
  });

  it('refuses what it does not know, naming the parameter', () => {
    const bad = (query: Record<string, unknown>, message: RegExp) => {
      expect(() => parseListQuery(query, spec)).toThrow(BadRequestException);
      expect(() => parseListQuery(query, spec)).toThrow(message);
    };
    bad({ sort: '["password","ASC"]' }, /sort: cannot sort by "password"/);
    bad({ sort: '["title","SIDEWAYS"]' }, /sort/);
    bad({ range: '[5,1]' }, /range/);
    bad({ range: '[0,1000]' }, /range: at most 100/);
    bad({ filter: '{"owner":1}' }, /filter: unknown field "owner"/);
    bad({ filter: '[1]' }, /filter/);
    bad({ filter: '{' }, /filter: is not valid JSON/);
  });

  it('writes the Content-Range header react-admin reads', () => {
    expect(contentRange('courses', 0, 24, 319)).toBe('courses 0-23/319');
    expect(contentRange('courses', 0, 0, 0)).toBe('courses 0-0/0');
  });

  it('counts up to COUNT_CAP', () => expect(COUNT_CAP).toBe(10_000));

  it('caps the total at 10000: exact up to it, `10000+` past it', () => {
    expect(contentRange('traces', 9975, 25, 10_000)).toBe('traces 9975-9999/10000');
    expect(contentRange('traces', 0, 25, 10_001)).toBe('traces 0-24/10000+');
    expect(contentRange('traces', 12_000, 25, 10_001)).toBe('traces 12000-12024/10000+');
    // What ra-data-simple-rest does with it: parseInt of the text after the slash.
    expect(parseInt('traces 0-24/10000+'.split('/').pop()!, 10)).toBe(10_000);
  });
});

describe('keys every object has', () => {
  const spec = { sortable: { title: 'c.title' }, filters: { q: search('c.title') }, defaultSort: ['title', 'ASC'] as [string, 'ASC'] };
  const keys = [...Object.getOwnPropertyNames(Object.prototype), '__proto__'];

  it.each(keys)('refuses %s as a filter key', (key) => {
    // Built as text so that "__proto__" is a real own key of the parsed JSON.
    const filter = `{${JSON.stringify(key)}:"1=(select 1)"}`;
    expect(() => parseListQuery({ filter }, spec)).toThrow(`unknown field "${key}"`);
  });

  it.each(keys)('refuses %s as a sort field', (key) => {
    expect(() => parseListQuery({ sort: JSON.stringify([key, 'ASC']) }, spec)).toThrow(`cannot sort by "${key}"`);
  });

  it('refuses NUL and lone surrogates inside filter JSON, naming the key', () => {
    expect(() => parseListQuery({ filter: '{"q":"a\\u0000b"}' }, spec)).toThrow('filter.q: must not contain NUL');
    expect(() => parseListQuery({ filter: '{"q":"a\\ud800b"}' }, spec)).toThrow('filter.q: must be valid Unicode');
  });

  it('refuses a filter that is not an object', () => {
    expect(() => parseListQuery({ filter: '["q"]' }, spec)).toThrow('filter: must be a JSON object');
  });
});
