import { describe, expect, it } from 'vitest';
import { awaitingStage, formatDuration, formatUsd, monotonicPercentage } from './format';

describe('course formatting', () => {
  it('never moves the bar back unless restarted', () => {
    expect(monotonicPercentage(40, 35, false)).toBe(40);
    expect(monotonicPercentage(40, 55, false)).toBe(55);
    expect(monotonicPercentage(40, 0, true)).toBe(0);
    expect(monotonicPercentage(undefined, 120, false)).toBe(100);
  });

  it('formats money with more digits for tiny amounts', () => {
    expect(formatUsd(1.5)).toBe('$1.50');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(0)).toBe('$0.00');
  });

  it('formats ETAs and reads gates', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(null)).toBeNull();
    expect(awaitingStage('stage_4_awaiting_approval')).toBe(4);
    expect(awaitingStage('stage_4')).toBeNull();
  });
});
