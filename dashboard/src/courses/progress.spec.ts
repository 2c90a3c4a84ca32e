import { describe, expect, it } from 'vitest';
import { isRestart, monotonicPercentage } from './progress';

describe('monotonicPercentage', () => {
  it('never moves the bar back within a run', () => {
    expect(monotonicPercentage(40, 35, false)).toBe(40);
    expect(monotonicPercentage(40, 55, false)).toBe(55);
    expect(monotonicPercentage(100, 0, false)).toBe(100);
  });

  it('starts over on a restart', () => {
    expect(monotonicPercentage(40, 0, true)).toBe(0);
    expect(monotonicPercentage(90, 12, true)).toBe(12);
  });

  it('takes the first value as it is, clamped and rounded', () => {
    expect(monotonicPercentage(undefined, 37.6, false)).toBe(38);
    expect(monotonicPercentage(undefined, 120, false)).toBe(100);
    expect(monotonicPercentage(undefined, -5, false)).toBe(0);
    expect(monotonicPercentage(undefined, Number.NaN, false)).toBe(0);
    expect(monotonicPercentage(30, Number.NaN, false)).toBe(30);
  });
});

describe('isRestart', () => {
  it('is a restart the first time a course is seen', () => {
    expect(isRestart(undefined, { status: 'generating', run: 1 })).toBe(true);
  });

  it('follows the run number when there is one', () => {
    expect(isRestart({ status: 'failed', run: 1 }, { status: 'queued', run: 1 })).toBe(false);
    expect(isRestart({ status: 'completed', run: 1 }, { status: 'queued', run: 2 })).toBe(true);
    expect(isRestart({ status: 'generating', run: 2 }, { status: 'generating', run: 2 })).toBe(false);
  });

  it('without a run number, counts a return to idle or queued', () => {
    expect(isRestart({ status: 'completed' }, { status: 'queued' })).toBe(true);
    expect(isRestart({ status: 'cancelled' }, { status: 'idle' })).toBe(true);
    expect(isRestart({ status: 'queued' }, { status: 'queued' })).toBe(false);
    expect(isRestart({ status: 'generating' }, { status: 'generating' })).toBe(false);
  });
});
