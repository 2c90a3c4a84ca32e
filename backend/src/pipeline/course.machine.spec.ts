import { applyCourseEvent, initialCourse, PersistedCourse, ApplyResult } from './course.runtime';
import type { Actor, CourseEvent } from './course.types';
import { StageNumber, ANALYSIS_PHASES } from './stages';

const user: Actor = { type: 'user', id: 'u1', role: 'ops' };
const worker: Actor = { type: 'worker', id: 'w1' };

function step(c: PersistedCourse, e: CourseEvent): PersistedCourse {
  const r = applyCourseEvent(c, e);
  if (!r.applied) throw new Error(`refused ${e.type}: ${r.detail}`);
  return r.persisted;
}

function done(c: PersistedCourse, stage: StageNumber, phase: string, index = 0, result?: object): ApplyResult {
  return applyCourseEvent(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage, phase, index, result });
}

function started(c: PersistedCourse, stage: StageNumber, phase: string, index = 0): PersistedCourse {
  return step(c, { type: 'PHASE_STARTED', actor: worker, run: c.context.run, stage, phase, index });
}

function runStage4(c: PersistedCourse): PersistedCourse {
  for (const p of ANALYSIS_PHASES) c = step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 4, phase: p, index: 0 });
  return c;
}

function runStage5(c: PersistedCourse, sections = 3, lessons = 10): PersistedCourse {
  c = step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'metadata', index: 0, result: { sectionsTotal: sections } });
  for (let i = 0; i < sections; i++) c = step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'sections', index: i });
  c = step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'validation', index: 0 });
  return step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'saving', index: 0, result: { lessonsTotal: lessons } });
}

function start(gates: StageNumber[] = [], docs = 0): PersistedCourse {
  const c = initialCourse({ courseId: 'c1' });
  return step(c, { type: 'START', actor: user, hasDocuments: docs > 0, documentCount: docs, gates });
}

describe('course machine', () => {
  it('queues on START and asks for the first phase of stage 4 when there are no documents', () => {
    const r = applyCourseEvent(initialCourse({ courseId: 'c1' }), { type: 'START', actor: user, hasDocuments: false, documentCount: 0, gates: [] });
    expect(r.applied && r.to).toBe('queued');
    expect(r.applied && r.effects).toEqual([
      { type: 'enqueuePhases', jobs: [expect.objectContaining({ jobId: 'c1-r1-s4-phase_1_classifier-0', stage: 4, run: 1 })] },
    ]);
  });

  it('runs stages 2 -> 3 -> 4 with documents, one job per document', () => {
    let c = start([], 3);
    expect(c.context.stage).toBe(2);
    c = started(c, 2, 'document', 0);
    expect(c.value).toBe('stage_2');
    for (let i = 0; i < 2; i++) c = step(c, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 2, phase: 'document', index: i });
    const r = done(c, 2, 'document', 2);
    expect(r.applied && r.to).toBe('stage_3');
    expect(r.applied && r.effects[0]).toMatchObject({ type: 'enqueuePhases', jobs: [{ phase: 'summarize' }, { phase: 'summarize' }, { phase: 'summarize' }] });
  });

  it('completes a course without gates and reaches 100 %', () => {
    let c = start();
    c = started(c, 4, 'phase_1_classifier');
    c = runStage4(c);
    expect(c.value).toBe('stage_5');
    c = runStage5(c, 3, 10);
    expect(c.value).toBe('stage_6');
    for (let i = 0; i < 9; i++) c = step(c, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 6, phase: 'lessons', index: i });
    expect(c.context.lessonsCompleted).toBe(9);
    const r = done(c, 6, 'lessons', 9);
    expect(r.applied && r.to).toBe('completed');
    expect(r.applied && r.persisted.context.percentage).toBe(100);
    expect(r.applied && r.effects).toContainEqual({ type: 'notifyWebhook', event: 'completed' });
  });

  it('runs at most two sections at once (PARALLEL_BATCH_SIZE = 2)', () => {
    let c = runStage4(started(start(), 4, 'phase_1_classifier'));
    const r = done(c, 5, 'metadata', 0, { sectionsTotal: 5 });
    expect(r.applied && r.effects[0]).toMatchObject({ jobs: [{ index: 0 }, { index: 1 }] });
    c = (r as { persisted: PersistedCourse }).persisted;
    const r2 = done(c, 5, 'sections', 1);
    expect(r2.applied && r2.effects[0]).toMatchObject({ jobs: [{ index: 2 }] });
  });

  describe('rule 1: stage sequence', () => {
    it('refuses a report for another stage and a stale run', () => {
      const c = started(start(), 4, 'phase_1_classifier');
      expect(done(c, 5, 'metadata')).toMatchObject({ applied: false, reason: 'wrong_stage' });
      expect(applyCourseEvent(c, { type: 'PHASE_DONE', actor: worker, run: 0, stage: 4, phase: 'phase_1_classifier', index: 0 })).toMatchObject({
        applied: false,
        reason: 'stale_run',
      });
      expect(done(c, 4, 'phase_3_expert')).toMatchObject({ applied: false });
    });

    it('counts a phase once when its job reports twice', () => {
      let c = started(start([], 2), 2, 'document', 0);
      c = step(c, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 2, phase: 'document', index: 0 });
      expect(done(c, 2, 'document', 0)).toMatchObject({ applied: false, reason: 'duplicate' });
    });
  });

  describe('rule 2: approval lock', () => {
    it('stops at a gate and applies no worker report until approved', () => {
      let c = runStage4(started(start([4]), 4, 'phase_1_classifier'));
      expect(c.value).toBe('stage_4_awaiting_approval');
      const pct = c.context.percentage;
      for (const e of [
        { type: 'PROGRESS', actor: worker, run: 1, stage: 4, phase: 'phase_5_assembly', index: 0, fraction: 1 },
        { type: 'PHASE_DONE', actor: worker, run: 1, stage: 5, phase: 'metadata', index: 0 },
        { type: 'PHASE_STARTED', actor: worker, run: 1, stage: 5, phase: 'metadata', index: 0 },
      ] as CourseEvent[]) {
        expect(applyCourseEvent(c, e)).toMatchObject({ applied: false, reason: 'approval_lock' });
      }
      expect(applyCourseEvent(c, { type: 'APPROVE', actor: user, stage: 5 })).toMatchObject({ applied: false, reason: 'wrong_stage' });
      c = step(c, { type: 'APPROVE', actor: user, stage: 4 });
      expect(c.value).toBe('stage_5');
      expect(c.context.percentage).toBe(pct);
    });

    it('reruns a rejected stage under a new run without moving the bar back', () => {
      let c = runStage4(started(start([4]), 4, 'phase_1_classifier'));
      const pct = c.context.percentage;
      const r = applyCourseEvent(c, { type: 'REJECT', actor: user, stage: 4, action: 'rerun', reasons: ['too_shallow'] });
      expect(r.applied && r.to).toBe('stage_4');
      c = (r as { persisted: PersistedCourse }).persisted;
      expect(c.context.run).toBe(2);
      expect(c.context.rejection).toEqual({ stage: 4, reasons: ['too_shallow'], comment: '' });
      expect(c.context.percentage).toBe(pct);
      expect(applyCourseEvent(c, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 4, phase: 'phase_1_classifier', index: 0 })).toMatchObject({
        applied: false,
        reason: 'stale_run',
      });
    });

    it('cancels on a reject with action cancel', () => {
      const c = runStage4(started(start([4]), 4, 'phase_1_classifier'));
      const r = applyCourseEvent(c, { type: 'REJECT', actor: user, stage: 4, action: 'cancel' });
      expect(r.applied && r.to).toBe('cancelled');
    });
  });

  describe('rule 3: the bar never goes back', () => {
    it('keeps the percentage on failure and retry, resuming the failed phase', () => {
      let c = started(start(), 4, 'phase_1_classifier');
      c = step(c, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 4, phase: 'phase_1_classifier', index: 0 });
      c = step(c, { type: 'PHASE_FAILED', actor: worker, run: 1, stage: 4, phase: 'phase_2_scope', index: 0, error: 'boom', retryable: true });
      expect(c.value).toBe('failed');
      expect(c.context.error).toMatchObject({ retryable: true, stage: 4, phase: 'phase_2_scope' });
      const pct = c.context.percentage;
      const r = applyCourseEvent(c, { type: 'RETRY', actor: user });
      expect(r.applied && r.to).toBe('stage_4');
      expect(r.applied && r.effects[0]).toMatchObject({ jobs: [{ phase: 'phase_2_scope', run: 2 }] });
      expect(r.applied && r.persisted.context.percentage).toBe(pct);
    });

    it('resets to 0 only on RESTART', () => {
      let c = runStage4(started(start(), 4, 'phase_1_classifier'));
      c = step(c, { type: 'CANCEL', actor: user });
      expect(c.context.percentage).toBeGreaterThan(0);
      c = step(c, { type: 'RESTART', actor: user });
      expect(c.value).toBe('queued');
      expect(c.context.percentage).toBe(0);
      expect(c.context.run).toBe(2);
    });
  });

  it('refuses RETRY unless failed and APPROVE unless awaiting', () => {
    const c = started(start(), 4, 'phase_1_classifier');
    expect(applyCourseEvent(c, { type: 'RETRY', actor: user })).toMatchObject({ applied: false, reason: 'not_allowed' });
    expect(applyCourseEvent(c, { type: 'APPROVE', actor: user, stage: 4 })).toMatchObject({ applied: false, reason: 'not_allowed' });
  });

  it('survives a JSON round-trip of the persisted snapshot mid-run', () => {
    let c = runStage4(started(start([5]), 4, 'phase_1_classifier'));
    c = step(c, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 5, phase: 'metadata', index: 0, result: { sectionsTotal: 4 } });
    const copy: PersistedCourse = JSON.parse(JSON.stringify(c));
    const a = done(c, 5, 'sections', 0);
    const b = done(copy, 5, 'sections', 0);
    expect(JSON.parse(JSON.stringify(b))).toEqual(JSON.parse(JSON.stringify(a)));
  });
});

describe('gate escalation', () => {
  it('escalates a waiting gate once, keeping it waiting and the bar still', () => {
    let c = runStage4(started(start([4]), 4, 'phase_1_classifier'));
    const gateKey = c.context.awaiting!.gateKey;
    const pct = c.context.percentage;
    const r = applyCourseEvent(c, { type: 'ESCALATE', actor: { type: 'system', id: 'deadlines' }, gateKey });
    expect(r.applied && r.to).toBe('stage_4_awaiting_approval');
    const deadline = { reason: 'deadline', by: null };
    expect(r.applied && r.effects).toEqual([
      { type: 'escalate', stage: 4, gateKey, escalation: deadline },
      { type: 'notifyWebhook', event: 'escalated', escalation: deadline },
    ]);
    c = (r as { persisted: PersistedCourse }).persisted;
    expect(c.context.percentage).toBe(pct);
    expect(c.context.awaiting?.escalation).toEqual(deadline);
    expect(applyCourseEvent(c, { type: 'ESCALATE', actor: { type: 'system', id: 'deadlines' }, gateKey })).toMatchObject({ applied: false });
    expect(applyCourseEvent(c, { type: 'ESCALATE', actor: { type: 'system', id: 'deadlines' }, gateKey: 'other' })).toMatchObject({ applied: false });
  });
});

describe('manual escalation', () => {
  it('a person\'s "escalate now" is told apart from the deadline: manual, by whom, in the effects and the context', () => {
    const c = runStage4(started(start([4]), 4, 'phase_1_classifier'));
    const gateKey = c.context.awaiting!.gateKey;
    const r = applyCourseEvent(c, { type: 'ESCALATE', actor: { type: 'user', id: 'u-1' }, gateKey, byName: 'Olga Ops' });
    const manual = { reason: 'manual', by: { id: 'u-1', name: 'Olga Ops' } };
    expect(r.applied && r.effects).toEqual([
      { type: 'escalate', stage: 4, gateKey, escalation: manual },
      { type: 'notifyWebhook', event: 'escalated', escalation: manual },
    ]);
    const after = (r as { persisted: PersistedCourse }).persisted;
    expect(after.context.awaiting).toMatchObject({ escalated: true, escalation: manual });
    // Once, whoever asks next: the deadline does not escalate it again.
    expect(applyCourseEvent(after, { type: 'ESCALATE', actor: { type: 'system', id: 'deadlines' }, gateKey })).toMatchObject({ applied: false });
  });
});

describe('budget gate', () => {
  const hold = { projectedUsd: 12.5, budgetUsd: 10, spentUsd: 1.25 };
  const saving = (c: PersistedCourse, result: object) => done(c, 5, 'saving', 0, result);
  const atSaving = (gates: StageNumber[] = []) => {
    let c = runStage4(started(start(gates), 4, ANALYSIS_PHASES[0]));
    c = step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'metadata', index: 0, result: { sectionsTotal: 1 } });
    c = step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'sections', index: 0 });
    return step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'validation', index: 0 });
  };

  it('waits before the lessons when the projected cost passes the budget; finance approves and stage 6 starts', () => {
    const r = saving(atSaving(), { lessonsTotal: 12, budgetHold: hold });
    expect(r.applied && r.to).toBe('stage_5_awaiting_approval');
    if (!r.applied) return;
    expect(r.persisted.context.awaiting).toEqual({ stage: 5, gateKey: 's5-r1-v1', kind: 'budget', budget: hold });
    expect(r.effects.map((e) => e.type)).toEqual(['requestApproval', 'notifyWebhook']);
    const approved = applyCourseEvent(r.persisted, { type: 'APPROVE', actor: { type: 'user', id: 'f1', role: 'finance' }, stage: 5 });
    expect(approved.applied && approved.to).toBe('stage_6');
    expect(approved.applied && approved.effects[0]).toMatchObject({
      type: 'enqueuePhases',
      jobs: expect.arrayContaining([expect.objectContaining({ stage: 6 })]),
    });
  });

  it('goes straight on without a hold', () => {
    const r = saving(atSaving(), { lessonsTotal: 12 });
    expect(r.applied && r.to).toBe('stage_6');
  });

  it('after a review gate: an approval carrying a hold opens a budget gate, whose approval carrying one again does not loop', () => {
    const review = step(atSaving([5]), {
      type: 'PHASE_DONE',
      actor: worker,
      run: 1,
      stage: 5,
      phase: 'saving',
      index: 0,
      result: { lessonsTotal: 12, budgetHold: hold },
    });
    expect(review.value).toBe('stage_5_awaiting_approval');
    expect(review.context.awaiting).toMatchObject({ kind: 'review', gateKey: 's5-r1-v1' });
    const r = applyCourseEvent(review, { type: 'APPROVE', actor: user, stage: 5, budgetHold: hold });
    expect(r.applied && r.to).toBe('stage_5_awaiting_approval');
    if (!r.applied) return;
    expect(r.persisted.context.awaiting).toEqual({ stage: 5, gateKey: 's5-r1-v2', kind: 'budget', budget: hold });
    expect(r.effects.map((e) => e.type)).toEqual(['requestApproval', 'notifyWebhook']);
    // Worker reports are still locked out at the budget gate.
    expect(applyCourseEvent(r.persisted, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 6, phase: 'lessons', index: 0 }).applied).toBe(false);
    const onward = applyCourseEvent(r.persisted, { type: 'APPROVE', actor: user, stage: 5, budgetHold: hold });
    expect(onward.applied && onward.to).toBe('stage_6');
  });

  it('declining a budget gate cancels the course', () => {
    const r = saving(atSaving(), { lessonsTotal: 12, budgetHold: hold });
    if (!r.applied) throw new Error('refused');
    const declined = applyCourseEvent(r.persisted, { type: 'REJECT', actor: user, stage: 5, action: 'cancel', comment: 'over budget' });
    expect(declined.applied && declined.to).toBe('cancelled');
  });
});

describe('quality gate', () => {
  const verdict = (low: boolean, gate: boolean) => ({ overall: 0.61, threshold: 0.75, method: 'lexical' as const, low, gate });
  const atSaving = () => {
    let c = runStage4(started(start([]), 4, ANALYSIS_PHASES[0]));
    c = step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'metadata', index: 0, result: { sectionsTotal: 1 } });
    c = step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'sections', index: 0 });
    return step(c, { type: 'PHASE_DONE', actor: worker, run: c.context.run, stage: 5, phase: 'validation', index: 0 });
  };

  it('a course below the threshold, when its organization asks, waits at a review gate that keeps the verdict', () => {
    const r = done(atSaving(), 5, 'saving', 0, { lessonsTotal: 12, quality: verdict(true, true) });
    expect(r.applied && r.to).toBe('stage_5_awaiting_approval');
    if (!r.applied) return;
    expect(r.persisted.context.awaiting).toEqual({ stage: 5, gateKey: 's5-r1-v1', kind: 'review', quality: verdict(true, true) });
    expect(r.effects.map((e) => e.type)).toEqual(['requestApproval', 'notifyWebhook']);
    const rerun = applyCourseEvent(r.persisted, { type: 'REJECT', actor: user, stage: 5, action: 'rerun', reasons: ['too_shallow'] });
    expect(rerun.applied && rerun.to).toBe('stage_5');
    const approved = applyCourseEvent(r.persisted, { type: 'APPROVE', actor: user, stage: 5 });
    expect(approved.applied && approved.to).toBe('stage_6');
  });

  it('flagged but not stopped without the option; not flagged above the threshold', () => {
    expect(done(atSaving(), 5, 'saving', 0, { lessonsTotal: 12, quality: verdict(true, false) })).toMatchObject({ applied: true, to: 'stage_6' });
    expect(done(atSaving(), 5, 'saving', 0, { lessonsTotal: 12, quality: { ...verdict(false, false), overall: 0.8 } })).toMatchObject({
      applied: true,
      to: 'stage_6',
    });
  });
});
