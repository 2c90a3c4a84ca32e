// Pure geometry of the flight recorder: event times as x positions on one axis from the
// first event to the last, the cost line as a polyline, calls coloured by label.
import type { Timeline } from '../types';

export const LABEL_COLORS: Record<string, string> = {
  first_try: '#1976d2',
  retry: '#ed6c02',
  fallback: '#d32f2f',
  repair: '#9c27b0',
  rerun: '#2e7d32',
};

export interface Axis {
  t0: number;
  t1: number;
  x: (at: string | number) => number;
}

export function timeAxis(timeline: Pick<Timeline, 'events' | 'cost'>, width: number, pad = 0): Axis {
  const times = [...timeline.events.map((e) => Date.parse(e.at)), ...timeline.cost.map((c) => Date.parse(c.at))].filter(Number.isFinite);
  const t0 = times.length ? Math.min(...times) : 0;
  const t1 = times.length ? Math.max(...times) : 1;
  const span = Math.max(1, t1 - t0);
  return { t0, t1, x: (at) => pad + (((typeof at === 'number' ? at : Date.parse(at)) - t0) / span) * (width - 2 * pad) };
}

/** The cumulative cost as SVG polyline points in a box of the given height (0 at the bottom). */
export function costPoints(cost: Timeline['cost'], axis: Axis, top: number, height: number): string {
  const max = cost.reduce((m, c) => Math.max(m, c.totalUsd), 0) || 1;
  return cost.map((c) => `${axis.x(c.at).toFixed(1)},${(top + height - (c.totalUsd / max) * height).toFixed(1)}`).join(' ');
}
