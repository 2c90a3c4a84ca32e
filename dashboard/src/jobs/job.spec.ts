import { describe, expect, it } from 'vitest';
import { formatAge, stateColor } from './job';

describe('formatAge', () => {
  it('says how long ago compactly, in the page language', () => {
    expect([0, 42, 60, 301, 3600, 11400, 86400, 187200].map((s) => formatAge(s))).toEqual([
      '0 s',
      '42 s',
      '1 min',
      '5 min',
      '1 h',
      '3 h 10 min',
      '1 d',
      '2 d 4 h',
    ]);
    expect(formatAge(301, 'ru')).toBe('5 мин');
    expect(formatAge(null)).toBe('—');
    expect(formatAge(-5)).toBe('0 s');
  });

  it('colours failed and missing jobs as errors', () => {
    expect(stateColor('failed')).toBe('error');
    expect(stateColor('missing')).toBe('error');
    expect(stateColor('active')).toBe('info');
  });
});
