// The cost report's query string: real dates only, each mistake a 400 naming its field
// before any query runs (a day Postgres would refuse must never reach it as a 500).
import { BadRequestException } from '@nestjs/common';
import { parseCostQuery, parseLabelQuery } from './reports.service';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    return (err as BadRequestException).message;
  }
  throw new Error('expected a 400');
};

describe('parseCostQuery', () => {
  it('takes a period and groupings', () => {
    expect(parseCostQuery({ from: '2026-01-01', to: '2026-02-28', groupBy: 'day,model' })).toEqual({
      from: '2026-01-01',
      to: '2026-02-28',
      groupBy: ['day', 'model'],
    });
    expect(parseCostQuery({ from: '2024-02-29', to: '2024-02-29' }).groupBy).toEqual(['day']);
  });

  it.each([
    ['from', { from: '2026-02-30', to: '2026-03-31' }],
    ['from', { from: '0000-01-01', to: '2026-03-31' }],
    ['from', { from: '2026-13-01', to: '2026-12-31' }],
    ['from', { from: '2025-02-29', to: '2026-03-31' }],
    ['to', { from: '2026-02-01', to: '2026-02-30' }],
    ['to', { from: '2026-01-01', to: '2026-04-31' }],
  ])('refuses an impossible date, naming %s', (field, q) => {
    expect(message(() => parseCostQuery(q))).toMatch(new RegExp(`^${field}: is not a real date`));
  });

  it('refuses what is not a date at all', () => {
    expect(message(() => parseCostQuery({ from: '2026-1-1', to: '2026-01-31' }))).toMatch(/^from: must be a date YYYY-MM-DD/);
    expect(message(() => parseCostQuery({ from: '2026-01-01' }))).toMatch(/^to:/);
  });

  it('refuses a period that runs backwards or spans more than two years', () => {
    expect(message(() => parseCostQuery({ from: '2026-02-01', to: '2026-01-31' }))).toMatch(/^from: must not be after to/);
    expect(message(() => parseCostQuery({ from: '2020-01-01', to: '2026-01-31' }))).toMatch(/^to: the range may span at most two years/);
  });

  it('takes groupings from its own list only', () => {
    for (const groupBy of ['constructor', 'toString', '__proto__', 'day,hasOwnProperty', 'week', '', 'day,day', 'day,model,stage,label']) {
      expect(message(() => parseCostQuery({ from: '2026-01-01', to: '2026-01-31', groupBy }))).toMatch(/^groupBy: must be one to three of/);
    }
  });

  it('refuses unknown parameters', () => {
    expect(message(() => parseCostQuery({ from: '2026-01-01', to: '2026-01-31', extra: '1' }))).toMatch(/extra/);
  });
});

describe('parseLabelQuery', () => {
  it('refuses impossible dates, naming the field', () => {
    expect(parseLabelQuery({ from: '2026-01-01', to: '2026-01-31' })).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(message(() => parseLabelQuery({ from: '0000-01-01', to: '2026-01-31' }))).toMatch(/^from: is not a real date/);
    expect(message(() => parseLabelQuery({ from: '2026-01-01', to: '2026-02-30' }))).toMatch(/^to: is not a real date/);
  });
});
