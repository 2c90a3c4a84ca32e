import { describe, expect, it } from 'vitest';
import { canDecideGate, controlActions } from './controlActions';

describe('controlActions', () => {
  it('follows what the machine accepts in each status', () => {
    expect(controlActions({ status: 'failed' })).toEqual(['retry', 'restart', 'cancel']);
    expect(controlActions({ status: 'generating' })).toEqual(['cancel']);
    expect(controlActions({ status: 'queued' })).toEqual(['cancel']);
    expect(controlActions({ status: 'completed' })).toEqual(['restart']);
    expect(controlActions({ status: 'cancelled' })).toEqual(['restart']);
    expect(controlActions({ status: 'idle' })).toEqual([]);
  });
});

describe('canDecideGate', () => {
  it('asks courses.approve for a review gate and gates.decideBudget for a budget gate', () => {
    const reviewer = ['courses.approve'];
    const finance = ['gates.decideBudget'];
    expect(canDecideGate(reviewer, 'review')).toBe(true);
    expect(canDecideGate(reviewer, 'budget')).toBe(false);
    expect(canDecideGate(finance, 'budget')).toBe(true);
    expect(canDecideGate(finance, 'review')).toBe(false);
    expect(canDecideGate(reviewer, undefined)).toBe(true);
    expect(canDecideGate(undefined, 'review')).toBe(false);
  });
});
