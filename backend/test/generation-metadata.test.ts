// The generation metadata of stage 5 groups a course's traces by phase item, whatever
// the course id looks like: a UUID may itself contain "-c", the separator of a call's
// sequence number in the idempotency key.
import { DataSource } from 'typeorm';
import { buildGenerationMetadata } from '../src/jobs/phases/generation-metadata';
import type { PhaseContext } from '../src/jobs/phase.types';
import { orgId, testDataSource } from './helpers';
import { systemRepositories } from './system-repos';

let ds: DataSource;
beforeAll(async () => { ds = await testDataSource(); });
afterAll(async () => { await ds.destroy(); });

describe('generation metadata', () => {
  it('counts retries per section for a course whose id contains "-c"', async () => {
    const id = `${Math.random().toString(16).slice(2, 10).padEnd(8, '0')}-c0de-4abc-8def-c0ffee000${Math.floor(Math.random() * 900 + 100)}`;
    const org = await orgId(ds);
    await ds.query(`INSERT INTO courses (id, organization_id, title, approval_gates) VALUES ($1, $2, 'C-ids', '{}')`, [id, org]);
    const trace = (phase: string, index: number, seq: number, suffix = '', failed = false) => ds.query(
      `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, tokens_used, cost_usd, duration_ms, error_data, idempotency_key)
       VALUES ($1, $2, 'stage_5', $3, $3, 'm', 'simulated', 10, 0.001, 5, $4, $5)`,
      [id, org, phase, failed ? { kind: 'validation' } : null, `${id}-r1-s5-${phase}-${index}-c${seq}${suffix}`],
    );
    await trace('metadata', 0, 0);
    await trace('sections', 0, 0, '-a1', true); // refused answer, then a good one
    await trace('sections', 0, 0);
    await trace('sections', 1, 0);
    await trace('sections', 2, 0, '-a1', true);
    await trace('sections', 2, 0, '-a2', true);
    await trace('sections', 2, 0);
    const meta = await buildGenerationMetadata({ phases: systemRepositories(ds).phases, course: { id } } as unknown as PhaseContext, null, 3);
    expect(meta.retry_count.sections).toEqual([1, 0, 2]);
    expect(meta.retry_count.metadata).toBe(0);
    expect(meta.total_tokens.total).toBe(70);
  });
});
