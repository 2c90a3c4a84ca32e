import { BadRequestException } from '@nestjs/common';
import { phaseJobId } from '../pipeline/stages';
import { parseJobsQuery, parsePhaseJobId, viewState } from './jobs.dto';

const COURSE = '0b8e3c2a-5d1f-4e7a-9c3b-2f6d8a1e4b7c';

describe('phase job ids', () => {
  it('reads course, run, stage, phase, item and queue back from the id the pipeline makes', () => {
    expect(parsePhaseJobId(phaseJobId(COURSE, 3, 5, 'sections', 7))).toEqual({
      id: `${COURSE}-r3-s5-sections-7`,
      courseId: COURSE,
      run: 3,
      stage: 5,
      phase: 'sections',
      index: 7,
      queue: 'structure',
    });
    expect(parsePhaseJobId(phaseJobId(COURSE, 1, 4, 'phase_3_expert', 0))?.queue).toBe('analysis');
  });

  it('is not fooled by ids that only look like one', () => {
    for (const id of [
      `${COURSE}-r1-s4-lessons-0`,
      `${COURSE}-r1-s7-metadata-0`,
      `${COURSE}-r1-s5-metadata-0-x`,
      'msg_alert_1_raised',
      `${COURSE.toUpperCase()}-r1-s6-lessons-0`,
      '',
    ]) {
      expect(parsePhaseJobId(id)).toBeNull();
    }
  });

  it('maps BullMQ states to the tenant view', () => {
    expect(['waiting', 'prioritized', 'paused', 'active', 'delayed', 'failed', 'completed', 'unknown'].map(viewState)).toEqual([
      'waiting',
      'waiting',
      'waiting',
      'active',
      'delayed',
      'failed',
      'completed',
      'completed',
    ]);
  });
});

describe('list parameters', () => {
  const bad = (q: Record<string, unknown>) => {
    try {
      parseJobsQuery(q);
    } catch (e) {
      expect(e).toBeInstanceOf(BadRequestException);
      return (e as BadRequestException).message;
    }
    throw new Error('accepted');
  };

  it('takes react-admin filters, sort and range', () => {
    expect(
      parseJobsQuery({
        filter: JSON.stringify({ state: 'failed', stage: 'stage_4', courseId: COURSE, q: '', stuck: 'true' }),
        sort: '["attempt","asc"]',
        range: '[10,19]',
      }),
    ).toEqual({ filter: { state: ['failed'], stage: 4, courseId: COURSE, stuck: true }, sort: ['attempt', 'ASC'], range: [10, 19] });
    expect(parseJobsQuery({})).toEqual({ filter: {}, sort: ['createdAt', 'DESC'], range: [0, 24] });
  });

  it('refuses what it does not know, naming the parameter', () => {
    expect(bad({ filter: '{"organizationId":"x"}' })).toMatch(/^filter: unknown field "organizationId"/);
    expect(bad({ filter: '{"state":"completed"}' })).toMatch(/^filter\.state/);
    expect(bad({ filter: '{"stage":9}' })).toMatch(/^filter\.stage/);
    expect(bad({ filter: '{"courseId":"nope"}' })).toMatch(/^filter\.courseId/);
    expect(bad({ filter: '[1]' })).toMatch(/^filter: must be a JSON object/);
    expect(bad({ filter: '{' })).toMatch(/^filter: is not valid JSON/);
    expect(bad({ sort: '["organization_id","ASC"]' })).toMatch(/^sort: cannot sort by/);
    expect(bad({ range: '[5,1]' })).toMatch(/^range/);
    expect(bad({ range: '[0,10000]' })).toMatch(/^range: at most/);
    expect(bad({ filter: '{"q":"a\\u0000b"}' })).toMatch(/^filter/);
  });
});
