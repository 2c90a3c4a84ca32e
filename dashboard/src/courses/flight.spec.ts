import { describe, expect, it } from 'vitest';
import { costPoints, timeAxis } from './flight';

const ev = (at: string) => ({
  at,
  kind: 'call' as const,
  traceId: '00000000-0000-0000-0000-000000000000',
  label: 'x',
  stage: null,
  phase: null,
  model: null,
  callLabel: null,
  durationMs: null,
  costUsd: '0',
  error: false,
  run: null,
  attempt: null,
});

describe('flight recorder geometry', () => {
  it('spreads events from the first to the last over the width', () => {
    const axis = timeAxis({ events: [ev('2026-01-01T00:00:00Z'), ev('2026-01-01T00:00:10Z')], cost: [] }, 1000, 10);
    expect(axis.x('2026-01-01T00:00:00Z')).toBe(10);
    expect(axis.x('2026-01-01T00:00:10Z')).toBe(990);
    expect(axis.x('2026-01-01T00:00:05Z')).toBe(500);
  });

  it('draws the running cost rising to the top of its box', () => {
    const cost = [
      { at: '2026-01-01T00:00:00Z', totalUsd: 0.5 },
      { at: '2026-01-01T00:00:10Z', totalUsd: 1 },
    ];
    const axis = timeAxis({ events: [], cost }, 100);
    expect(costPoints(cost, axis, 0, 50)).toBe('0.0,25.0 100.0,0.0');
  });
});
