import { describe, expect, it } from 'vitest';
import { awaitingStage, isActive, stageNumber, stageState, statusColor } from './status';

describe('course status', () => {
  it('reads the gate a course waits at', () => {
    expect(awaitingStage('stage_4_awaiting_approval')).toBe(4);
    expect(awaitingStage('stage_4')).toBeNull();
    expect(awaitingStage(null)).toBeNull();
  });

  it('reads stage numbers', () => {
    expect(stageNumber('stage_5')).toBe(5);
    expect(stageNumber('stage_5_awaiting_approval')).toBe(5);
    expect(stageNumber('completed')).toBeNull();
    expect(stageNumber(null)).toBeNull();
  });

  it('polls only moving courses', () => {
    expect(isActive('queued')).toBe(true);
    expect(isActive('generating')).toBe(true);
    expect(isActive('completed')).toBe(false);
    expect(isActive('idle')).toBe(false);
  });

  it('colours a gate wait apart from plain generating', () => {
    expect(statusColor('generating', 'stage_3')).toBe('primary');
    expect(statusColor('generating', 'stage_5_awaiting_approval')).toBe('warning');
    expect(statusColor('failed', 'failed')).toBe('error');
    expect(statusColor('unknown')).toBe('default');
  });

  it('reads skipped stages in either form', () => {
    expect(stageState({ status: 'pending', skipped: true })).toBe('skipped');
    expect(stageState({ status: 'skipped' })).toBe('skipped');
    expect(stageState({ status: 'active', skipped: false })).toBe('active');
  });
});
