import { describe, expect, it } from 'vitest';
import { controlActions } from './controlActions';

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
