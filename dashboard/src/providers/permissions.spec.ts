import { describe, expect, it } from 'vitest';
import { can } from './permissions';

describe('can', () => {
  it('follows the API table', () => {
    expect(can('ops', 'startGeneration')).toBe(true);
    expect(can('reviewer', 'startGeneration')).toBe(false);
    expect(can('reviewer', 'approve')).toBe(true);
    expect(can('ops', 'approve')).toBe(false);
    expect(can('admin', 'approve')).toBe(true);
    expect(can('finance', 'createCourse')).toBe(false);
  });

  it('allows nothing without a known role', () => {
    expect(can(undefined, 'approve')).toBe(false);
    expect(can('root', 'createCourse')).toBe(false);
  });
});
