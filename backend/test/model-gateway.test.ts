// Every fault the simulated provider can inject, through the real gateway and real
// Postgres: which recovery path was taken, and how each attempt was traced and labelled.
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ModelCallFailedError, ModelGateway } from '../src/gateway/model-gateway';
import { SimulatedProvider } from '../src/llm/simulated.provider';
import { MODEL_ROUTES } from '../src/gateway/routes';
import { CourseMetadataSchema, SectionSchema } from '../src/pipeline/outputs';
import { makeCourse, orgId, testDataSource } from './helpers';
import { systemRepositories } from './system-repos';

let ds: DataSource;
let org: string;
const sleeps: number[] = [];
const gateway = () => new ModelGateway(systemRepositories(ds).traces, new SimulatedProvider({ latency: 'instant' }), async (ms) => { sleeps.push(ms); });

beforeAll(async () => { ds = await testDataSource(); org = await orgId(ds); });
afterAll(async () => { await ds.destroy(); });
beforeEach(() => { sleeps.length = 0; });

async function callWith(context: Record<string, unknown>, opts: { messages?: { role: 'user'; content: string }[]; schema?: z.ZodType<unknown> } = {}) {
  const courseId = await makeCourse(ds);
  const call = {
    courseId, organizationId: org, run: 1, stage: 5 as const, phase: 'sections', index: 0, seq: 0, stepName: 'test',
    task: 'structure_section' as const,
    messages: opts.messages ?? [{ role: 'user' as const, content: 'Write section 1' }],
    context: { courseTitle: 'Statistics', language: 'en', sectionNumber: 1, ...context },
    schema: opts.schema ?? SectionSchema,
  };
  return { courseId, call, run: () => gateway().call(call) };
}

async function traces(courseId: string) {
  return ds.query(`SELECT model_used, label, attempt, error_data, output_data->>'repair_level' AS repair, cost_usd::float8 AS cost FROM generation_trace WHERE course_id = $1 ORDER BY attempt`, [courseId]);
}

jest.setTimeout(30_000);

describe('model gateway', () => {
  it('answers first try with a priced trace, and reuses it when the job runs again', async () => {
    const { courseId, run } = await callWith({});
    const first = await run();
    expect(first.reused).toBe(false);
    expect(first.model).toBe('openai/gpt-oss-20b');
    const again = await run();
    expect(again.reused).toBe(true);
    expect(again.value).toEqual(first.value);
    const rows = await traces(courseId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ label: 'first_try', attempt: 1, repair: 'none' });
    expect(rows[0].cost).toBeCloseTo(((first.inputTokens + first.outputTokens) * 0.1) / 1e6, 8);
  });

  it('repairs malformed JSON (fences, prose, trailing comma) with jsonrepair', async () => {
    const { courseId, run } = await callWith({ forceFault: 'malformedJson' });
    await run();
    expect(await traces(courseId)).toEqual([expect.objectContaining({ label: 'first_try', repair: 'jsonrepair', error_data: null })]);
  });

  it('asks the same model again with a larger budget when the answer was cut off', async () => {
    const { courseId, run } = await callWith({ forceFault: 'truncatedJson', forceFaultAttempts: 1 });
    const res = await run();
    const rows = await traces(courseId);
    expect(rows.map((r: { label: string }) => r.label)).toEqual(['first_try', 'repair']);
    expect(rows[0].error_data.kind).toBe('cut_off');
    expect(rows[1].model_used).toBe('openai/gpt-oss-20b');
    expect(res.attempts).toBe(2);
  });

  it('falls back to the next model when the primary keeps failing validation', async () => {
    const { courseId, run } = await callWith({ forceFault: 'truncatedJson', forceFaultModel: 'openai/gpt-oss-20b' });
    const res = await run();
    expect(res.model).toBe('openai/gpt-oss-120b');
    const rows = await traces(courseId);
    expect(rows.map((r: { label: string; model_used: string }) => [r.label, r.model_used])).toEqual([
      // cut off at 8,000, 16,000 and 32,000 tokens (three answers per model), then the fallback
      ['first_try', 'openai/gpt-oss-20b'], ['repair', 'openai/gpt-oss-20b'], ['repair', 'openai/gpt-oss-20b'], ['fallback', 'openai/gpt-oss-120b'],
    ]);
  });

  it('sends an over-budget prompt straight to the large-context model', async () => {
    const big = 'token '.repeat(110_000);
    const { courseId, run } = await callWith({}, { messages: [{ role: 'user', content: big }] });
    const res = await run();
    expect(res.model).toBe('google/gemini-2.5-flash');
    expect(res.inputTokens).toBeGreaterThan(108_000);
    expect((await traces(courseId))[0].model_used).toBe('google/gemini-2.5-flash');
  });

  it('waits as told on 429 without counting it as a failure', async () => {
    const { courseId, run } = await callWith({ forceFault: 'rateLimit', forceFaultAttempts: 4 });
    await run();
    const rows = await traces(courseId);
    expect(rows).toHaveLength(5);
    expect(rows.slice(0, 4).every((r: { error_data: { kind: string } }) => r.error_data.kind === 'ModelRateLimitError')).toBe(true);
    expect(rows[4]).toMatchObject({ label: 'retry', error_data: null });
    expect(sleeps).toHaveLength(4);
    // as told (50-250 ms), plus at most a quarter of jitter
    expect(sleeps.every((ms) => ms >= 50 && ms <= 313)).toBe(true);
  });

  it('backs off exponentially on timeouts and 5xx, and gives up after 3 tries as retryable', async () => {
    const { courseId, run } = await callWith({ forceFault: 'timeout' });
    await expect(run()).rejects.toThrow(ModelCallFailedError);
    await expect(run()).rejects.toMatchObject({ retryable: true });
    expect(sleeps.slice(0, 2)).toEqual([500, 1000]);
    const rows = await traces(courseId);
    expect(rows.slice(0, 3).map((r: { label: string }) => r.label)).toEqual(['first_try', 'retry', 'retry']);
    const server = await callWith({ forceFault: 'serverError', forceFaultAttempts: 2 });
    await server.run();
    expect((await traces(server.courseId)).map((r: { error_data: { kind: string } | null }) => r.error_data?.kind ?? 'ok')).toEqual(['ModelServerError', 'ModelServerError', 'ok']);
  });

  it('stops calling once the organization has spent its monthly budget', async () => {
    const globex = await orgId(ds, 'globex');
    const courseId = await makeCourse(ds, { slug: 'globex' });
    const call = {
      courseId, organizationId: globex, run: 1, stage: 4 as const, phase: 'phase_1_classifier', index: 0, seq: 0, stepName: 'budget',
      task: 'structure_section' as const, messages: [{ role: 'user' as const, content: 'x' }], context: { courseTitle: 'B', sectionNumber: 1 }, schema: SectionSchema,
    };
    try {
      await gateway().call(call);
      // This month's spend passes the budget: the next call is refused before it is made.
      await ds.query(
        `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, cost_usd, idempotency_key)
         VALUES ($1, $2, 'stage_4', 'x', 'x', 'openai/gpt-oss-20b', 'simulated', 1.0, $3)`,
        [courseId, globex, `spend-${courseId}`],
      );
      await ds.query(`UPDATE organizations SET monthly_budget_usd = 0.5 WHERE id = $1`, [globex]);
      await expect(gateway().call({ ...call, seq: 1 })).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/monthly model budget reached: \$1\.0000 spent of \$0\.50/) });
      expect(await traces(courseId)).toHaveLength(2);
      await ds.query(`UPDATE organizations SET monthly_budget_usd = 2 WHERE id = $1`, [globex]);
      await gateway().call({ ...call, seq: 1 });
    } finally {
      await ds.query(`UPDATE organizations SET monthly_budget_usd = NULL WHERE id = $1`, [globex]);
    }
  });

  it('refuses a call whose route names a model without a price for the organization, before calling it', async () => {
    const routes = { ...MODEL_ROUTES, structure_section: { ...MODEL_ROUTES.structure_section, fallback: 'nowhere/unpriced' } };
    let calls = 0;
    const provider = new SimulatedProvider({ latency: 'instant' });
    const counting = { name: provider.name, complete: (req: Parameters<typeof provider.complete>[0]) => { calls++; return provider.complete(req); } };
    const { courseId, call } = await callWith({});
    const refused = new ModelGateway(systemRepositories(ds).traces, counting, async () => undefined, 500, routes).call(call);
    await expect(refused).rejects.toBeInstanceOf(ModelCallFailedError);
    await expect(refused).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/^no price for model nowhere\/unpriced in this organization's price table \(Acme Academy\)/) });
    expect(calls).toBe(0);
    expect(await traces(courseId)).toHaveLength(0);
    const metrics = await ds.query(`SELECT metadata FROM system_metrics WHERE metric_type = 'price_missing' AND course_id = $1`, [courseId]);
    expect(metrics).toEqual([{ metadata: { model: 'nowhere/unpriced', models: ['nowhere/unpriced'], run: 1 } }]);
  });

  it('labels the calls of a stage rerun after a rejection', async () => {
    const { courseId, call } = await callWith({});
    await gateway().call({ ...call, rerun: true, schema: SectionSchema });
    expect((await traces(courseId))[0].label).toBe('rerun');
    void CourseMetadataSchema;
  });
});
