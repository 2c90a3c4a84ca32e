import { describe, expect, it } from 'vitest';
import { diffLines, jsonLines } from './diff';

describe('diffLines', () => {
  it('marks removed and added lines and keeps the common ones', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'c' },
    ]);
  });

  it('handles empty sides', () => {
    expect(diffLines([], ['a'])).toEqual([{ op: '+', text: 'a' }]);
    expect(diffLines(['a'], [])).toEqual([{ op: '-', text: 'a' }]);
  });

  it('diffs JSON values line by line', () => {
    const d = diffLines(jsonLines({ a: 1, b: [1, 2] }), jsonLines({ a: 1, b: [1, 3] }));
    expect(d.filter((l) => l.op !== ' ').map((l) => `${l.op}${l.text.trim()}`)).toEqual(['-2', '+3']);
  });
});
