import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../types';
import { actionOf, inboxFilter, inboxOrder, rejectProblems, structureCounts } from './decision';

const item = (p: Partial<ApprovalItem>): ApprovalItem => ({
  courseId: 'c',
  title: 't',
  stage: 4,
  gateKey: 'g',
  kind: 'review',
  budget: null,
  waitingSince: '2026-01-01T10:00:00Z',
  waitSeconds: 0,
  slaMinutes: null,
  dueAt: null,
  overdue: false,
  escalatedAt: null,
  escalation: null,
  costUsd: '0',
  rerunEstimateUsd: '0',
  canDecide: true,
  deciders: [],
  output: null,
  previous: null,
  ...p,
});

describe('gate decisions', () => {
  it('refuses a rejection without a reason or a comment, and without a chosen next step', () => {
    expect(rejectProblems({ reasons: [], comment: '  ', action: null, budget: false })).toEqual(['reason', 'action']);
    expect(rejectProblems({ reasons: ['too_shallow'], comment: '', action: null, budget: false })).toEqual(['action']);
    expect(rejectProblems({ reasons: [], comment: 'go deeper', action: 'rerun', budget: false })).toEqual([]);
    // A budget gate is declined with cancel: no choice to make, but still a reason.
    expect(rejectProblems({ reasons: [], comment: '', action: null, budget: true })).toEqual(['reason']);
    expect(actionOf({ reasons: [], comment: 'x', action: 'rerun', budget: true })).toBe('cancel');
  });

  it('orders overdue and escalated gates first, then by due time', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const items = [
      item({ courseId: 'later', dueAt: '2026-01-01T15:00:00Z' }),
      item({ courseId: 'none' }),
      item({ courseId: 'escalated', escalatedAt: '2026-01-01T11:00:00Z', dueAt: '2026-01-01T11:00:00Z', waitingSince: '2026-01-01T09:00:00Z' }),
      item({ courseId: 'soon', dueAt: '2026-01-01T13:00:00Z' }),
      item({ courseId: 'overdue', dueAt: '2026-01-01T11:30:00Z' }),
    ];
    expect(inboxOrder(items, now).map((i) => i.courseId)).toEqual(['escalated', 'overdue', 'soon', 'later', 'none']);
    expect(inboxFilter(items, { stage: 'all', kind: 'budget' })).toEqual([]);
    expect(inboxFilter([...items, item({ courseId: 's5', stage: 5 })], { stage: 5, kind: 'all' }).map((i) => i.courseId)).toEqual(['s5']);
  });

  it('counts sections and lessons of a structure', () => {
    expect(structureCounts({ sections: [{ lessons: [{}, {}] }, { lessons: [{}] }] })).toEqual({ sections: 2, lessons: 3 });
    expect(structureCounts({ analysis: 1 })).toBeNull();
  });
});
