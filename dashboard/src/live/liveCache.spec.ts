import { describe, expect, it } from 'vitest';
import type { Course } from '../types';
import { applyCourseUpdate, applyToList, type CourseUpdatedEvent } from './liveCache';

const course = {
  id: 'c1',
  status: 'generating',
  generationStatus: 'stage_4',
  percentage: 40,
  run: 1,
  updatedAt: '2026-01-01T00:00:10.000Z',
  message: 'm',
} as Partial<Course>;
const ev = (over: Partial<CourseUpdatedEvent>): CourseUpdatedEvent => ({
  id: 'c1',
  status: 'generating',
  generationStatus: 'stage_4',
  stage: 'stage_4',
  phase: 'p',
  percentage: 50,
  message: 'n',
  run: 1,
  at: '2026-01-01T00:00:11.000Z',
  ...over,
});

describe('applyCourseUpdate', () => {
  it('applies a newer event', () => {
    const next = applyCourseUpdate(course, ev({}));
    expect(next.percentage).toBe(50);
    expect(next.currentStage).toBe('stage_4');
    expect(next.updatedAt).toBe('2026-01-01T00:00:11.000Z');
  });

  it('drops an event older than the cached course', () => {
    expect(applyCourseUpdate(course, ev({ at: '2026-01-01T00:00:09.000Z', percentage: 30, generationStatus: 'stage_3' }))).toBe(course);
  });

  it('never lowers the percentage within a run, but a new run starts over', () => {
    expect(applyCourseUpdate(course, ev({ percentage: 20 })).percentage).toBe(40);
    expect(applyCourseUpdate(course, ev({ percentage: 0, run: 2, status: 'queued' })).percentage).toBe(0);
    expect(applyCourseUpdate(course, ev({ percentage: 90, run: 0 }))).toBe(course);
  });

  it('leaves other courses alone and reports whether a list held the course', () => {
    expect(applyCourseUpdate(course, ev({ id: 'c2' }))).toBe(course);
    const list = { data: [course], total: 1 };
    expect(applyToList(list, ev({})).found).toBe(true);
    expect(applyToList(list, ev({})).list!.data[0].percentage).toBe(50);
    expect(applyToList(list, ev({ id: 'c2' }))).toEqual({ list, found: false });
  });

  it('carries the course cost the event reports, and keeps the cached one when it reports none', () => {
    expect(applyCourseUpdate({ ...course, costUsd: 0 }, ev({ costUsd: 0.0031 })).costUsd).toBe(0.0031);
    expect(applyCourseUpdate({ ...course, costUsd: 0.002 }, ev({})).costUsd).toBe(0.002);
  });
});
