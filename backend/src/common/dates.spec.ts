import { calendarDate, calendarMonth, isCalendarDate } from './dates';

describe('calendar dates', () => {
  it('accepts real days, leap days included', () => {
    for (const d of ['2026-01-31', '2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']) expect(isCalendarDate(d)).toBe(true);
  });

  it('refuses days that do not exist', () => {
    for (const d of ['2026-02-30', '2026-02-29', '1900-02-29', '0000-01-01', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '2026-01-01T00:00:00Z']) {
      expect(isCalendarDate(d)).toBe(false);
    }
  });

  it('as Zod schemas, with a message a person can act on', () => {
    expect(calendarDate().safeParse('2026-02-30').success).toBe(false);
    expect(calendarMonth().safeParse('2026-02').success).toBe(true);
    expect(calendarMonth().safeParse('0000-01').success).toBe(false);
  });
});
