// Through HTTP only: log in, create a course with a gate after stage 4, start it, poll
// /status until completed — every answer matching the seed 003 §5 contract, the
// percentage never going down, the course held at its gate until a reviewer approved —
// and find traces with tokens and cost for stages 4, 5 and 6.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { Client, startStack, waitFor } from '../harness.mjs';

// Seed 003 §5, GetStatusOutputSchema, as written there.
const GetStatusOutputSchema = z.object({
  courseId: z.string().uuid(),
  status: z.enum(['idle', 'queued', 'generating', 'completed', 'failed', 'cancelled']),
  phase: z.enum(['metadata', 'sections', 'validation', 'saving']).nullable(),
  progress: z.number().int().min(0).max(100),
  message: z.string(),
  estimatedRemainingSeconds: z.number().int().min(0).nullable(),
  startedAt: z.string().datetime(),
  lastUpdatedAt: z.string().datetime(),
  metadata: z
    .object({
      batchesCompleted: z.number().int().optional(),
      totalBatches: z.number().int().optional(),
      currentModel: z.string().optional(),
      qualityScore: z.number().min(0).max(1).optional(),
      totalLessons: z.number().int().optional(),
      totalSections: z.number().int().optional(),
      cost: z.number().optional(),
      duration: z.number().int().optional(),
      error: z.string().optional(),
      retryable: z.boolean().optional(),
    })
    .nullable(),
});

// Seed 001, generation_metadata, as its TypeScript interface declares it.
const GenerationMetadataSchema = z
  .object({
    model_used: z.object({ metadata: z.string(), sections: z.string(), validation: z.string().optional() }).strict(),
    total_tokens: z.object({ metadata: z.number(), sections: z.number(), validation: z.number(), total: z.number() }).strict(),
    cost_usd: z.number(),
    duration_ms: z.object({ metadata: z.number(), sections: z.number(), validation: z.number(), total: z.number() }).strict(),
    quality_scores: z.object({ metadata_similarity: z.number(), sections_similarity: z.array(z.number()), overall: z.number() }).strict(),
    batch_count: z.number(),
    retry_count: z.object({ metadata: z.number(), sections: z.array(z.number()) }).strict(),
    created_at: z.string(),
  })
  .strict();

describe('walking skeleton', () => {
  let stack;
  before(async () => {
    // The worker recomputes the ETA's medians often here, and the api keeps them briefly.
    stack = await startStack({ env: { MEDIAN_REFRESH_MS: '300', ETA_CACHE_MS: '200' } });
  });
  after(async () => {
    await stack?.stop();
  });

  it('takes a course from creation to completed, stopping at its gate until approved', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const reviewer = await Client.login(stack.baseUrl, 'reviewer@acme.test');
    const created = await ops.post('/courses', { title: 'Intro to Statistics', description: 'Means, medians and doubt', approvalGates: [4] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const started = await ops.post(`/courses/${id}/generation`);
    assert.equal(started.status, 202);
    assert.deepEqual(Object.keys(started.body).sort(), ['courseId', 'jobId', 'status']);
    assert.equal(started.body.status, 'queued');
    assert.ok(!started.body.jobId.includes(':'));

    const seen = [];
    const poll = async () => {
      const res = await ops.get(`/courses/${id}/status`);
      assert.equal(res.status, 200);
      const parsed = GetStatusOutputSchema.safeParse(res.body);
      assert.ok(parsed.success, `status answer breaks the seed 003 contract: ${JSON.stringify(parsed.error?.issues)} in ${JSON.stringify(res.body)}`);
      seen.push(res.body);
      return res.body;
    };

    const atGate = await waitFor(
      async () => {
        const s = await poll();
        return s.generationStatus === 'stage_4_awaiting_approval' && s;
      },
      { what: 'the stage 4 gate' },
    );
    // Held at the gate: nothing moves while it waits.
    await new Promise((r) => setTimeout(r, 1500));
    const still = await poll();
    assert.equal(still.generationStatus, 'stage_4_awaiting_approval');
    assert.equal(still.progress, atGate.progress);
    assert.equal(still.estimatedRemainingSeconds, null);
    const stages = await ops.get(`/courses/${id}/stages`);
    assert.deepEqual(
      stages.body.map((s) => [s.id, s.status]),
      [
        ['stage_2', 'pending'],
        ['stage_3', 'pending'],
        ['stage_4', 'awaiting'],
        ['stage_5', 'pending'],
        ['stage_6', 'pending'],
      ],
    );

    // ops may not approve; the reviewer may, once.
    assert.equal((await ops.post(`/courses/${id}/approve`, { stage: 4 })).status, 403);
    assert.equal((await reviewer.post(`/courses/${id}/approve`, { stage: 5 })).status, 409);
    const approved = await reviewer.post(`/courses/${id}/approve`, { stage: 4, comment: 'analysis looks right' });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal((await reviewer.post(`/courses/${id}/approve`, { stage: 4 })).status, 409);

    const done = await waitFor(
      async () => {
        const s = await poll();
        return s.status === 'completed' && s;
      },
      { what: 'completion', timeoutMs: 120_000 },
    );
    assert.equal(done.progress, 100);
    assert.equal(done.phase, 'saving');
    assert.ok(done.metadata.totalLessons >= 10);
    assert.ok(done.metadata.totalSections >= 1);
    assert.ok(done.metadata.cost > 0);

    for (let i = 1; i < seen.length; i++) {
      assert.ok(seen[i].progress >= seen[i - 1].progress, `percentage went down: ${seen[i - 1].progress} -> ${seen[i].progress}`);
    }
    assert.ok(
      seen.some((s) => s.status === 'generating' && s.progress > 0 && s.progress < 100),
      'saw the course while it was generating',
    );

    for (const stage of ['stage_4', 'stage_5', 'stage_6']) {
      const traces = await ops.get(`/traces?filter=${encodeURIComponent(JSON.stringify({ courseId: id, stage }))}&range=[0,499]`);
      assert.equal(traces.status, 200);
      assert.ok(traces.body.length > 0, `no traces for ${stage}`);
      for (const t of traces.body) {
        assert.ok(t.tokensUsed > 0 && t.inputTokens > 0 && t.outputTokens > 0, `trace without tokens in ${stage}`);
        assert.ok(t.costUsd > 0, `trace without cost in ${stage}`);
        assert.equal(t.provider, 'simulated');
      }
      assert.match(traces.headers.get('content-range'), /^traces 0-\d+\/\d+$/);
    }
    const full = (await ops.get(`/courses/${id}`)).body;
    const gm = GenerationMetadataSchema.safeParse(full.generationMetadata);
    assert.ok(gm.success, `generation_metadata breaks seed 001: ${JSON.stringify(gm.error?.issues)}`);
    assert.equal(full.generationMetadata.batch_count, full.courseStructure.sections.length);
    assert.equal(full.generationMetadata.quality_scores.sections_similarity.length, full.courseStructure.sections.length);
    assert.ok(full.generationMetadata.total_tokens.total > 0 && full.generationMetadata.cost_usd > 0);
    assert.ok(full.analysisResult.recommended_structure.sections_count >= 4);
    const lessons = await ops.get(`/lessons?filter=${encodeURIComponent(JSON.stringify({ courseId: id }))}&range=[0,99]`);
    assert.ok(lessons.body.length >= 10);
    assert.ok(lessons.body.every((l) => l.status === 'generated'));
    // With a finished run behind it, the next course's ETA comes from measured phase
    // durations (here milliseconds), not from seed 003's static 150 s.
    const next = (await ops.post('/courses', { title: 'Second course', approvalGates: [6] })).body;
    assert.equal((await ops.post(`/courses/${next.id}/generation`)).status, 202);
    // The medians are refreshed in the background (MEDIAN_REFRESH_MS): the measured ETA arrives with the next refresh.
    let early;
    await waitFor(
      async () => {
        early = (await ops.get(`/courses/${next.id}/status`)).body;
        return early.estimatedRemainingSeconds !== null && early.estimatedRemainingSeconds < 30;
      },
      { what: `an ETA from measured durations (last: ${early?.estimatedRemainingSeconds})`, timeoutMs: 10_000, intervalMs: 100 },
    );
    const history = await ops.get(`/courses/${id}/history?range=[0,999]`);
    const approvals = history.body.filter((h) => h.event === 'APPROVE');
    assert.equal(approvals.length, 1);
    assert.equal(approvals[0].actorType, 'user');
  });

  it('skips stages 2 and 3 without documents and runs them with documents', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const created = await ops.post('/courses', {
      title: 'Reading the Docs',
      approvalGates: [],
      documents: [
        { filename: 'notes.md', mimeType: 'text/markdown', content: '# Notes\n\nFirst paragraph.\n\nSecond paragraph.' },
        { filename: 'page.html', mimeType: 'text/html', content: '<h1>Page</h1><p>Body text</p><script>alert(1)</script>' },
      ],
    });
    assert.equal(created.status, 201);
    assert.equal((await ops.post(`/courses/${created.body.id}/generation`)).status, 202);
    await waitFor(async () => (await ops.get(`/courses/${created.body.id}/status`)).body.status === 'completed', { what: 'completion', timeoutMs: 120_000 });
    const history = (await ops.get(`/courses/${created.body.id}/history?range=[0,999]`)).body;
    const stagesSeen = [...new Set(history.map((h) => h.stage).filter(Boolean))];
    assert.deepEqual(stagesSeen, ['stage_2', 'stage_3', 'stage_4', 'stage_5', 'stage_6']);
    const summaries = await ops.get(`/traces?filter=${encodeURIComponent(JSON.stringify({ courseId: created.body.id, stage: 'stage_3' }))}`);
    assert.equal(summaries.body.length, 2);
  });

  it('answers bad input with a 4xx that names the problem', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const bad = [
      [await ops.post('/courses', {}), 400, /title/],
      [await ops.post('/courses', { title: 'x', organizationId: 'y' }), 400, /organizationId/],
      [await ops.post('/courses', { title: 'x', approvalGates: [9] }), 400, /approvalGates/],
      [await ops.get('/courses/not-a-uuid'), 400, /id/],
      [await ops.get('/courses/00000000-0000-4000-8000-000000000000'), 404, /not found/],
      [await ops.get('/courses?sort=["password","ASC"]'), 400, /sort/],
      [await ops.get('/courses?range=[0'), 400, /range/],
      [await ops.get('/courses?filter={"evil":1}'), 400, /filter/],
      [await new Client(stack.baseUrl).get('/courses'), 401, /token/],
      [await new Client(stack.baseUrl, 'garbage').get('/courses'), 401, /token/],
    ];
    for (const [res, status, pattern] of bad) {
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.match(res.body.message, pattern);
    }
    const globex = await Client.login(stack.baseUrl, 'ops@globex.test');
    const mine = await ops.post('/courses', { title: 'Acme only' });
    assert.equal((await globex.get(`/courses/${mine.body.id}`)).status, 404);
    assert.equal((await globex.post(`/courses/${mine.body.id}/generation`)).status, 404);
    const retry = await ops.post(`/courses/${mine.body.id}/retry`);
    assert.equal(retry.status, 409);
    assert.match(retry.body.message, /RETRY/);
  });
});
