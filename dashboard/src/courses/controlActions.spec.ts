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
  it('lets reviewers decide reviews and finance decide budget gates; admins both; nobody else', () => {
    expect(['admin', 'reviewer', 'finance', 'ops'].filter((r) => canDecideGate(r, 'review'))).toEqual(['admin', 'reviewer']);
    expect(['admin', 'reviewer', 'finance', 'ops'].filter((r) => canDecideGate(r, 'budget'))).toEqual(['admin', 'finance']);
    expect(canDecideGate('reviewer', undefined)).toBe(true);
    expect(canDecideGate(undefined, 'review')).toBe(false);
  });
});
