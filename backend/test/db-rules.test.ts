// The database enforces the three rules of seed 000 on its own: direct SQL that breaks
// one is refused, whatever code path or psql session sends it.
import { DataSource } from 'typeorm';
import { lessonsStructure, makeCourse, orgId, testDataSource } from './helpers';

let ds: DataSource;
beforeAll(async () => { ds = await testDataSource(); });
afterAll(async () => { await ds.destroy(); });

async function setState(id: string, status: string, progress: Record<string, unknown>) {
  await ds.query(`UPDATE courses SET generation_status = $2, generation_progress = generation_progress || $3::jsonb WHERE id = $1`, [id, status, progress]);
}

describe('course rules trigger', () => {
  it('refuses a percentage decrease, and allows it only with an explicit restart', async () => {
    const id = await makeCourse(ds);
    await setState(id, 'queued', { percentage: 0 });
    await setState(id, 'stage_4', { percentage: 30, current_stage: 'stage_4' });
    await expect(setState(id, 'stage_4', { percentage: 20 })).rejects.toThrow(/percentage may not decrease/);
    await expect(ds.query(`UPDATE courses SET generation_status = 'queued', generation_progress = generation_progress || '{"percentage":0}' WHERE id = $1`, [id]))
      .rejects.toThrow(/percentage may not decrease/);
    await ds.query(`UPDATE courses SET generation_status = 'queued', restarted_at = now(), generation_progress = generation_progress || '{"percentage":0,"current_stage":null}' WHERE id = $1`, [id]);
    const [row] = await ds.query(`SELECT percentage FROM courses WHERE id = $1`, [id]);
    expect(row.percentage).toBe(0);
  });

  it('refuses a stage jump and a step back, but lets a course without documents start at stage 4', async () => {
    const id = await makeCourse(ds);
    await setState(id, 'queued', {});
    await setState(id, 'stage_4', { current_stage: 'stage_4' });
    await expect(setState(id, 'stage_6', { current_stage: 'stage_6' })).rejects.toThrow(/may not be skipped/);
    await setState(id, 'stage_5', { current_stage: 'stage_5' });
    await expect(setState(id, 'stage_4', { current_stage: 'stage_4' })).rejects.toThrow(/may not go back/);
    const withDocs = await makeCourse(ds);
    await setState(withDocs, 'queued', { has_documents: true });
    await expect(setState(withDocs, 'stage_4', { current_stage: 'stage_4' })).rejects.toThrow(/may not be skipped/);
    await setState(withDocs, 'stage_2', { current_stage: 'stage_2' });
    await expect(setState(withDocs, 'stage_4', { current_stage: 'stage_4' })).rejects.toThrow(/may not be skipped/);
  });

  it('refuses progress while a course awaits approval', async () => {
    const id = await makeCourse(ds);
    await setState(id, 'queued', {});
    await setState(id, 'stage_4', { current_stage: 'stage_4', percentage: 25 });
    await setState(id, 'stage_4_awaiting_approval', { percentage: 25 });
    await expect(setState(id, 'stage_4_awaiting_approval', { percentage: 40 })).rejects.toThrow(/awaits approval/);
    await expect(setState(id, 'stage_4_awaiting_approval', { lessons_completed: 3 })).rejects.toThrow(/awaits approval/);
    await setState(id, 'stage_5', { current_stage: 'stage_5', percentage: 25 });
  });
});

describe('seed functions', () => {
  it('validate_minimum_lessons counts lessons across sections (FR-015)', async () => {
    const check = async (s: unknown) => (await ds.query(`SELECT validate_minimum_lessons($1::jsonb) AS ok`, [s]))[0].ok;
    expect(await check(lessonsStructure(10))).toBe(true);
    expect(await check(lessonsStructure(9))).toBe(false);
    expect(await check({ sections: [{ lessons: new Array(6).fill({}) }, { lessons: new Array(5).fill({}) }] })).toBe(true);
    expect(await check({})).toBe(false);
    const id = await makeCourse(ds);
    await expect(ds.query(`UPDATE courses SET course_structure = $2 WHERE id = $1`, [id, lessonsStructure(3)])).rejects.toThrow(/minimum_lessons/);
  });

  it('claim_next_lesson hands each lesson to one claimer, and the same one back to a repeated claimer', async () => {
    const id = await makeCourse(ds);
    const org = await orgId(ds);
    for (let i = 0; i < 12; i++) {
      await ds.query(`INSERT INTO lessons (course_id, organization_id, section_number, lesson_number, ordinal, title, outline) VALUES ($1, $2, 1, $3, $3, $4, 'o')`, [id, org, i, `L${i}`]);
    }
    const claims = await Promise.all(Array.from({ length: 12 }, (_, i) => ds.query(`SELECT id FROM claim_next_lesson($1, $2)`, [id, `job-${i}`])));
    const ids = claims.map((r) => r[0]?.id);
    expect(new Set(ids).size).toBe(12);
    expect(ids.every(Boolean)).toBe(true);
    const again = await ds.query(`SELECT id FROM claim_next_lesson($1, 'job-3')`, [id]);
    expect(again[0].id).toBe(ids[3]);
    expect(await ds.query(`SELECT id FROM claim_next_lesson($1, 'job-99')`, [id])).toHaveLength(0);
  });

  it('keeps the cost rollup equal to the traces', async () => {
    const id = await makeCourse(ds);
    const org = await orgId(ds);
    for (let i = 0; i < 5; i++) {
      await ds.query(
        `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, input_tokens, output_tokens, tokens_used, cost_usd, idempotency_key)
         VALUES ($1, $2, 'stage_4', 'p', 's', 'm', 'simulated', 10, 5, 15, $3, $4)`,
        [id, org, (0.00012345 * (i + 1)).toFixed(8), `k-${id}-${i}`],
      );
    }
    const [a] = await ds.query(`SELECT sum(cost_usd)::text AS s FROM generation_trace WHERE course_id = $1`, [id]);
    const [b] = await ds.query(`SELECT sum(cost_usd)::text AS s, sum(calls)::int AS n FROM cost_daily_rollup WHERE course_id = $1`, [id]);
    expect(b.s).toBe(a.s);
    expect(b.n).toBe(5);
  });
});
