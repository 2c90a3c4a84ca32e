// The tenant jobs view (GET /api/jobs, GET /api/jobs/:id, POST /api/jobs/:id/retry) and
// the dashboard's Queues page, against real api + worker processes and BullMQ. Every
// call of phase_3_expert fails (the simulated provider's forced fault), so each course
// fails at stage 4 with a failed job; Globex never sees Acme's jobs, and a retry goes
// through the course's RETRY. The page is checked by axe-core for accessibility.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, startStack, waitFor } from '../harness.mjs';
import { SCREENSHOTS, axeProblems, launch, login, newPage } from '../browser.mjs';

const FAULT = { SIMULATED_FORCE_FAULT: 'phase_3_expert:serverError' };
const failedJob = (courseId) => `${courseId}-r1-s4-phase_3_expert-0`;

async function failedCourse(client, title) {
  const c = (await client.post('/courses', { title, approvalGates: [] })).body;
  assert.equal((await client.post(`/courses/${c.id}/generation`)).status, 202);
  await waitFor(async () => (await client.get(`/courses/${c.id}`)).body.status === 'failed', { what: `${title} to fail`, timeoutMs: 120_000, intervalMs: 300 });
  return c;
}

describe('tenant jobs view', () => {
  let stack;
  let acme;
  let globex;
  let reviewer;
  let acmeCourse;
  let acmePageCourse;
  let globexCourse;
  before(async () => {
    stack = await startStack({ workerEnv: FAULT });
    acme = await Client.login(stack.baseUrl, 'ops@acme.test');
    globex = await Client.login(stack.baseUrl, 'ops@globex.test');
    reviewer = await Client.login(stack.baseUrl, 'reviewer@acme.test');
    [acmeCourse, acmePageCourse, globexCourse] = await Promise.all([
      failedCourse(acme, 'Acme flaky analysis'),
      failedCourse(acme, 'Acme page retry'),
      failedCourse(globex, 'Globex flaky analysis'),
    ]);
  });
  after(async () => {
    await stack?.stop();
  });

  it('lists the failed job with its course, stage, attempt, error and worker', async () => {
    const res = await acme.get(`/jobs?filter=${encodeURIComponent(JSON.stringify({ state: 'failed' }))}&range=[0,99]`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.headers.get('content-range'), /^jobs \d+-\d+\/\d+$/);
    const job = res.body.find((j) => j.id === failedJob(acmeCourse.id));
    assert.ok(job, `the failed job is listed: ${JSON.stringify(res.body.map((j) => j.id))}`);
    assert.equal(job.state, 'failed');
    assert.equal(job.courseId, acmeCourse.id);
    assert.equal(job.courseTitle, 'Acme flaky analysis');
    assert.equal(job.stage, 'stage_4');
    assert.equal(job.phase, 'phase_3_expert');
    assert.equal(job.queue, 'analysis');
    assert.equal(job.attempt, 3);
    assert.equal(job.maxAttempts, 3);
    assert.match(job.error, /503|server error/i);
    assert.ok(job.worker, 'the worker that ran it is named');
    assert.ok(job.ageSeconds >= 0);
    assert.equal(job.retryable, true);
    assert.ok(res.body.every((j) => j.state === 'failed'));
    const one = await acme.get(`/jobs/${job.id}`);
    assert.equal(one.status, 200);
    assert.equal(one.body.error, job.error);
  });

  it("shows each organization only its own jobs, and another organization's job id is a 404", async () => {
    const mine = (await globex.get('/jobs?range=[0,499]')).body;
    assert.ok(mine.some((j) => j.id === failedJob(globexCourse.id)));
    assert.ok(
      mine.every((j) => j.courseId === globexCourse.id || !j.courseId.startsWith(acmeCourse.id)),
      'no Acme job',
    );
    assert.ok(!mine.some((j) => [acmeCourse.id, acmePageCourse.id].includes(j.courseId)));
    const acmeJobs = (await acme.get('/jobs?range=[0,499]')).body;
    assert.ok(!acmeJobs.some((j) => j.courseId === globexCourse.id));
    // Filtering by another organization's course finds nothing either.
    const filtered = await globex.get(`/jobs?filter=${encodeURIComponent(JSON.stringify({ courseId: acmeCourse.id }))}`);
    assert.deepEqual([filtered.status, filtered.body], [200, []]);
    assert.equal((await globex.get(`/jobs/${failedJob(acmeCourse.id)}`)).status, 404);
    assert.equal((await globex.post(`/jobs/${failedJob(acmeCourse.id)}/retry`)).status, 404);
    // A job id of no course at all, and a malformed one.
    assert.equal((await acme.get(`/jobs/${failedJob('00000000-0000-4000-8000-000000000000')}`)).status, 404);
    const bad = await acme.get('/jobs/not-a-job');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^id: /);
    const badFilter = await acme.get(`/jobs?filter=${encodeURIComponent(JSON.stringify({ organizationId: 'x' }))}`);
    assert.equal(badFilter.status, 400);
    assert.match(badFilter.body.message, /^filter: unknown field "organizationId"/);
    assert.equal((await reviewer.get('/jobs')).status, 403);
  });

  it('refuses to retry a job that did not fail (409)', async () => {
    const done = `${acmeCourse.id}-r1-s4-phase_1_classifier-0`;
    assert.equal((await acme.get(`/jobs/${done}`)).body.state, 'completed');
    const res = await acme.post(`/jobs/${done}/retry`);
    assert.equal(res.status, 409);
    assert.match(res.body.message, /only a failed job can be retried/);
  });

  it("retries a failed job through the course's RETRY", async () => {
    await stack.stopProcesses();
    await stack.start();
    const res = await acme.post(`/jobs/${failedJob(acmeCourse.id)}/retry`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.retriedBy, 'course');
    assert.deepEqual(res.body.course.retry.phases, [{ stage: 'stage_4', phase: 'phase_3_expert', index: 0 }]);
    assert.equal((await acme.get(`/jobs/${failedJob(acmeCourse.id)}`)).status, 404, 'the retried job is gone');
    await waitFor(async () => (await acme.get(`/courses/${acmeCourse.id}`)).body.status === 'completed', {
      what: 'completion after the retry',
      timeoutMs: 120_000,
      intervalMs: 300,
    });
    const history = (await acme.get(`/courses/${acmeCourse.id}/history?range=[0,999]`)).body;
    assert.ok(history.some((h) => h.event === 'RETRY' && h.actorType === 'user'));
  });

  it('Queues page: Acme ops sees their jobs with stage names, filters failed, presses Retry; no serious axe violations', async () => {
    const browser = await launch();
    try {
      const page = await newPage(browser);
      await login(page, stack.baseUrl, 'ops@acme.test');
      await page.goto(`${stack.baseUrl}/#/jobs`);
      await page.locator('[data-testid="jobs-grid"]').waitFor({ timeout: 15_000 });
      const rows = page.locator('[data-testid="jobs-grid"] tbody tr');
      await waitFor(async () => (await rows.count()) > 0, { what: 'job rows' });
      const grid = await page.locator('[data-testid="jobs-grid"]').innerText();
      assert.match(grid, /Acme page retry/);
      assert.match(grid, /4 · Analysis/);
      assert.doesNotMatch(grid, /Globex/);
      // Filter failed (the state filter is always on).
      await page.getByRole('combobox', { name: 'State' }).click();
      await page.getByRole('option', { name: 'Failed' }).click();
      await page.waitForURL(/filter=.*failed/, { timeout: 10_000 });
      await waitFor(
        async () => {
          const states = await page.locator('[data-testid="job-state"]').allInnerTexts();
          return states.length > 0 && states.every((s) => s === 'Failed');
        },
        { what: 'only failed rows' },
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'jobs-failed.png'), fullPage: true });
      // Let the list's fade-in settle: a half-transparent element fails the contrast rule.
      await page.waitForTimeout(1000);

      // axe-core on the page's content (the list, its filters and buttons): no critical or
      // serious violation. The app bar's own findings are the layout's (see the README).
      assert.deepEqual(await axeProblems(page, { include: ['#main-content'] }), []);

      const row = page.locator('[data-testid="jobs-grid"] tbody tr', { hasText: 'Acme page retry' });
      await row.locator('[data-testid="job-retry"]').click();
      await page.getByText('Retry started').waitFor({ timeout: 15_000 });
      await waitFor(async () => (await acme.get(`/courses/${acmePageCourse.id}`)).body.status !== 'failed', { what: 'the course to leave failed' });
      await waitFor(async () => (await page.locator('[data-testid="jobs-grid"] tbody tr', { hasText: 'Acme page retry' }).count()) === 0, {
        what: 'the retried row to leave the failed list',
      });
      assert.deepEqual(page.consoleErrors, [], page.failedRequests.join('\n'));
    } finally {
      await browser.close();
    }
  });
});
