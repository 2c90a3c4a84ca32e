import { describe, expect, it } from 'vitest';
import { bulkPlan, statusWord } from './bulk';

const c = (id: string, status: string, generationStatus = status) =>
  ({ id, status, generationStatus }) as never as { id: string; status: 'failed'; generationStatus: string };

describe('bulk plan', () => {
  it('offers each action only for the courses it applies to', () => {
    const rows = [c('a', 'failed'), c('b', 'completed'), c('d', 'generating', 'stage_4'), c('e', 'cancelled')];
    const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
    expect(ids(bulkPlan('retry', rows).eligible)).toEqual(['a']);
    expect(ids(bulkPlan('retry', rows).skipped)).toEqual(['b', 'd', 'e']);
    expect(ids(bulkPlan('cancel', rows).eligible)).toEqual(['a', 'd']);
    expect(ids(bulkPlan('restart', rows).eligible)).toEqual(['a', 'b', 'e']);
  });
  it('names a course waiting at a gate as waiting', () => {
    expect(statusWord(c('x', 'generating', 'stage_5_awaiting_approval'))).toBe('awaiting');
    expect(statusWord(c('x', 'completed'))).toBe('completed');
  });
});
