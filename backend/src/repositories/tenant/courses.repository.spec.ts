import { BadRequestException } from '@nestjs/common';
import { parseListQuery } from '../list-query';
import { LIST_SPEC } from './courses.repository';

const filter = (f: Record<string, unknown>) => () => parseListQuery({ filter: JSON.stringify(f) }, LIST_SPEC);

describe('courses list spec', () => {
  it.each([
    ['createdFrom', '2026-02-30'],
    ['createdFrom', '0000-01-01'],
    ['createdTo', '2026-13-01'],
    ['createdTo', 20260101],
  ])('refuses %s %p with a 400 naming the field', (field, value) => {
    expect(filter({ [field]: value })).toThrow(BadRequestException);
    expect(filter({ [field]: value })).toThrow(`filter.${field}: must be a real date YYYY-MM-DD`);
  });

  it('bounds a real date range, the end day included', () => {
    const q = parseListQuery({ filter: JSON.stringify({ createdFrom: '2024-02-29', createdTo: '2026-03-01' }) }, LIST_SPEC);
    expect(q.where).toEqual(['c.created_at >= $1::date::timestamptz', 'c.created_at < ($2::date + 1)::timestamptz']);
    expect(q.params).toEqual(['2024-02-29', '2026-03-01']);
  });
});
