import { describe, expect, it } from 'vitest';
import { can } from './permissions';

describe('can', () => {
  it('asks the actions /api/me listed', () => {
    const actions = ['courses.read', 'courses.start', 'traces.readBodies'];
    expect(can(actions, 'courses.start')).toBe(true);
    expect(can(actions, 'courses.approve')).toBe(false);
    expect(can(actions, 'queues.board')).toBe(false);
  });

  it('allows nothing without a list', () => {
    expect(can(undefined, 'courses.approve')).toBe(false);
    expect(can('admin', 'courses.create')).toBe(false);
    expect(can({ 'courses.create': true }, 'courses.create')).toBe(false);
  });
});
