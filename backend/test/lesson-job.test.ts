// Stage 6's rule: a lesson counts as generated only when its TSX compiles. A model that
// writes broken TSX is asked again (with the compiler's error); after three failed
// attempts the lesson is failed. Every attempt is a generation_attempts row and a trace.
import { DataSource } from 'typeorm';
import { ModelGateway } from '../src/gateway/model-gateway';
import { GenerateLessonJob, compileTsx } from '../src/jobs/phases/lesson.job';
import type { PhaseContext } from '../src/jobs/phase.types';
import type { ModelProvider, ModelRequest, ModelResponse } from '../src/llm/model.types';
import { SimulatedProvider } from '../src/llm/simulated.provider';
import { makeCourse, orgId, testDataSource } from './helpers';
import { systemRepositories } from './system-repos';

/** A model that writes TSX with a syntax error on its first `broken` answers. */
class SloppyModel implements ModelProvider {
  readonly name = 'simulated' as const;
  calls = 0;
  private readonly inner = new SimulatedProvider({ latency: 'instant' });
  constructor(private readonly broken: number) {}
  async complete(req: ModelRequest): Promise<ModelResponse> {
    const res = await this.inner.complete(req);
    this.calls++;
    if (this.calls > this.broken) return res;
    const { tsx } = JSON.parse(res.text);
    return { ...res, text: JSON.stringify({ tsx: tsx.replace('</article>', '</artcle>') }) };
  }
}

/** A model whose first `n` answers import a package the lesson preview does not provide. */
class ImportingModel implements ModelProvider {
  readonly name = 'simulated' as const;
  calls = 0;
  readonly asked: ModelRequest[] = [];
  private readonly inner = new SimulatedProvider({ latency: 'instant' });
  constructor(private readonly n: number) {}
  async complete(req: ModelRequest): Promise<ModelResponse> {
    const res = await this.inner.complete(req);
    this.asked.push(req);
    if (++this.calls > this.n) return res;
    const { tsx } = JSON.parse(res.text);
    return { ...res, text: JSON.stringify({ tsx: `import confetti from 'canvas-confetti';\n${tsx}` }) };
  }
}

let ds: DataSource;
beforeAll(async () => { ds = await testDataSource(); });
afterAll(async () => { await ds.destroy(); });

async function lessonContext(provider: ModelProvider): Promise<{ ctx: PhaseContext; courseId: string }> {
  const courseId = await makeCourse(ds);
  const org = await orgId(ds);
  await ds.query(
    `INSERT INTO lessons (course_id, organization_id, section_number, lesson_number, ordinal, title, outline, spec)
     VALUES ($1, $2, 1, 1, 0, 'Means', 'o', '{"lesson_title":"Means","lesson_objectives":["Explain means"],"key_topics":["means"]}')`,
    [courseId, org],
  );
  const ctx: PhaseContext = {
    job: { jobId: `${courseId}-r1-s6-lessons-0`, courseId, run: 1, stage: 6, phase: 'lessons', index: 0 },
    course: { id: courseId, organization_id: org, title: 'Stats', description: '', language: 'en', content_style: 'practical', rejection: null },
    phases: systemRepositories(ds).phases,
    gateway: new ModelGateway(systemRepositories(ds).traces, provider, async () => undefined),
    rerun: false,
    savedOutput: async () => null,
    signal: new AbortController().signal,
  };
  return { ctx, courseId };
}

describe('lesson job', () => {
  it('compiles TSX and reports the compiler error', async () => {
    expect(await compileTsx('export default function L() { return <p>hi</p>; }')).toMatchObject({ ok: true });
    expect(await compileTsx('export default function L() { return <p>hi</a>; }')).toMatchObject({ ok: false, error: expect.stringMatching(/closing .* tag/) });
  });

  it('asks again after TSX that does not compile, and stores the compiled lesson', async () => {
    const model = new SloppyModel(1);
    const { ctx, courseId } = await lessonContext(model);
    const outcome = await new GenerateLessonJob().run(ctx);
    await systemRepositories(ds).phases.run((tx) => outcome.persist!(tx));
    const attempts = await ds.query(`SELECT a.status, a.error FROM generation_attempts a JOIN lessons l ON l.id = a.lesson_id WHERE l.course_id = $1 ORDER BY attempt_number`, [courseId]);
    expect(attempts.map((a: { status: string }) => a.status)).toEqual(['failed', 'success']);
    expect(attempts[0].error).toMatch(/TSX does not compile/);
    const [lesson] = await ds.query(`SELECT l.status, c.compiled_js FROM lessons l JOIN lesson_contents c ON c.lesson_id = l.id WHERE l.course_id = $1`, [courseId]);
    expect(lesson.status).toBe('generated');
    expect(lesson.compiled_js).toMatch(/jsx/);
    const traces = await ds.query(`SELECT input_data FROM generation_trace WHERE course_id = $1 ORDER BY created_at`, [courseId]);
    expect(traces).toHaveLength(2);
    expect(JSON.stringify(traces[1].input_data)).toMatch(/closing .* tag/);
  });

  it('fails the lesson after three attempts that do not compile', async () => {
    const { ctx, courseId } = await lessonContext(new SloppyModel(99));
    await expect(new GenerateLessonJob().run(ctx)).rejects.toThrow(/failed after 3 attempts/);
    const [lesson] = await ds.query(`SELECT status, error FROM lessons WHERE course_id = $1`, [courseId]);
    expect(lesson.status).toBe('failed');
    const attempts = await ds.query(`SELECT a.status FROM generation_attempts a JOIN lessons l ON l.id = a.lesson_id WHERE l.course_id = $1`, [courseId]);
    expect(attempts.map((a: { status: string }) => a.status)).toEqual(['failed', 'failed', 'failed']);
    expect(await ds.query(`SELECT 1 FROM lesson_contents c JOIN lessons l ON l.id = c.lesson_id WHERE l.course_id = $1`, [courseId])).toHaveLength(0);
  });

  it('refuses a lesson importing a package outside the allowed set: the model is asked again with the reason', async () => {
    const model = new ImportingModel(1);
    const { ctx, courseId } = await lessonContext(model);
    const outcome = await new GenerateLessonJob().run(ctx);
    await systemRepositories(ds).phases.run((tx) => outcome.persist!(tx));
    // One lesson attempt: the refusal is a validation error inside the gateway's repair levels.
    const traces = await ds.query(`SELECT label, error_data FROM generation_trace WHERE course_id = $1 ORDER BY created_at`, [courseId]);
    expect(traces.map((t: { label: string }) => t.label)).toEqual(['first_try', 'repair']);
    expect(traces[0].error_data).toMatchObject({ kind: 'validation', message: expect.stringMatching(/tsx: imports "canvas-confetti"/) });
    expect(JSON.stringify(model.asked[1].messages)).toMatch(/canvas-confetti.*may import only react/);
    const [lesson] = await ds.query(`SELECT l.status, c.typescript_source FROM lessons l JOIN lesson_contents c ON c.lesson_id = l.id WHERE l.course_id = $1`, [courseId]);
    expect(lesson.status).toBe('generated');
    expect(lesson.typescript_source).not.toMatch(/canvas-confetti/);
    expect(lesson.typescript_source).toMatch(/useState/);
  });

  it('fails the lesson when every model keeps importing outside the set', async () => {
    const { ctx, courseId } = await lessonContext(new ImportingModel(99));
    await expect(new GenerateLessonJob().run(ctx)).rejects.toThrow(/canvas-confetti/);
    expect(await ds.query(`SELECT 1 FROM lesson_contents c JOIN lessons l ON l.id = c.lesson_id WHERE l.course_id = $1`, [courseId])).toHaveLength(0);
  });
});
