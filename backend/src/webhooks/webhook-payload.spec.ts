import { coursePayload, CourseSummaryRow, CourseWebhookPayloadSchema, courseUrl, WEBHOOK_EVENT_TYPES } from './webhook-payload';

const row: CourseSummaryRow = {
  id: '6f1c2f0e-8f4e-4a57-9a53-0d1f0d7c1e11',
  title: 'PostgreSQL basics',
  status: 'generating',
  generation_status: 'stage_4_awaiting_approval',
  percentage: 25,
  cost_usd: '0.012345',
  generation_started_at: new Date('2026-01-01T10:00:00Z'),
  generation_completed_at: null,
  error_message: null,
};
const now = new Date('2026-01-01T10:02:30Z');

describe('course webhook payloads', () => {
  it('names events as documented, never after the machine effect', () => {
    expect(Object.values(WEBHOOK_EVENT_TYPES).sort()).toEqual([
      'approval.escalated',
      'approval.requested',
      'course.cancelled',
      'course.completed',
      'course.failed',
    ]);
    const p = coursePayload('awaiting_approval', row, 'Awaiting approval', 'https://mc.example.com/', now);
    expect(p.type).toBe('approval.requested');
    expect(JSON.stringify(p)).not.toMatch(/notifyWebhook|"awaiting_approval"/);
    expect(CourseWebhookPayloadSchema.parse(p)).toEqual(p);
  });

  it('summarizes the course: title, status, cost, duration, link', () => {
    const p = coursePayload('awaiting_approval', row, 'Awaiting approval', 'https://mc.example.com/', now);
    expect(p.data.stage).toBe(4);
    expect(p.data.course).toMatchObject({
      title: 'PostgreSQL basics',
      status: 'generating',
      costUsd: 0.012345,
      durationMs: 150_000,
      url: 'https://mc.example.com/#/courses/6f1c2f0e-8f4e-4a57-9a53-0d1f0d7c1e11/show',
    });
    const done = coursePayload(
      'completed',
      { ...row, status: 'completed', generation_status: 'completed', generation_completed_at: new Date('2026-01-01T10:05:00Z') },
      'Generation completed',
      'http://localhost:3000',
      now,
    );
    expect(done.type).toBe('course.completed');
    expect(done.data.stage).toBeUndefined();
    expect(done.data.course.durationMs).toBe(300_000);
  });

  it('keeps approval.escalated as the event name and says in data.escalation who escalated it', () => {
    const manual = coursePayload('escalated', row, 'Approval escalated by Olga Ops', 'http://h', now, {
      reason: 'manual',
      by: { id: 'u-1', name: 'Olga Ops' },
    });
    expect(manual.type).toBe('approval.escalated');
    expect(manual.data.escalation).toEqual({ reason: 'manual', by: { id: 'u-1', name: 'Olga Ops' } });
    expect(CourseWebhookPayloadSchema.parse(manual)).toEqual(manual);
    const deadline = coursePayload('escalated', row, 'Approval is past its deadline', 'http://h', now);
    expect(deadline.data.escalation).toEqual({ reason: 'deadline', by: null });
    expect(coursePayload('awaiting_approval', row, 'x', 'http://h', now).data.escalation).toBeUndefined();
  });

  it('has no duration before the generation starts', () => {
    expect(coursePayload('cancelled', { ...row, generation_started_at: null }, 'x', 'http://h', now).data.course.durationMs).toBeNull();
    expect(courseUrl('http://h//', 'abc')).toBe('http://h/#/courses/abc/show');
  });
});
