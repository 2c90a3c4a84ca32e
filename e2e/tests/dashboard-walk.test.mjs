// Every page holds up (issue 17): a wrong address is a not-found page; /lessons lists
// lessons; and a walk over every page at 1440 and 390 px, in English and Russian, finds
// no critical or serious axe-core violation and no page wider than a 390 px phone (lists
// become cards), saving a screenshot of each page in each language under e2e/screenshots/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';
import { axeProblems, launch, login, newPage, setLanguage, shotSmall } from '../browser.mjs';

async function settle(page) {
  await page
    .locator('.RaLoadingIndicator-loader')
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  await page.waitForTimeout(300);
}

describe('dashboard pages hold up', () => {
  let stack;
  let browser;
  let db;
  let ops;
  let course;
  let lesson;
  let trace;
  before(async () => {
    stack = await startStack({ env: { STALL_SWEEP_MS: '3600000' } });
    browser = await launch();
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    course = (await ops.post('/courses', { title: 'Walk Course', approvalGates: [] })).body;
    const gated = (await ops.post('/courses', { title: 'Walk Gate Course', approvalGates: [5] })).body;
    for (const c of [course, gated]) await ops.post(`/courses/${c.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${course.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 120_000 });
    await waitFor(async () => (await ops.get(`/courses/${gated.id}`)).body.generationStatus === 'stage_5_awaiting_approval', {
      what: 'the gate',
      timeoutMs: 90_000,
    });
    ({
      rows: [lesson],
    } = await db.query(`SELECT id, title FROM lessons WHERE course_id = $1 ORDER BY ordinal LIMIT 1`, [course.id]));
    ({
      rows: [trace],
    } = await db.query(`SELECT id FROM generation_trace WHERE course_id = $1 AND stage = 'stage_4' ORDER BY created_at LIMIT 1`, [course.id]));
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows a not-found page for an unknown course, a malformed id and an unknown address', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    for (const [path, what] of [
      ['/courses/00000000-0000-4000-8000-000000000000/show', 'course'],
      ['/courses/not-a-course/show', 'course'],
      ['/nowhere', 'page'],
    ]) {
      await page.goto(`${stack.baseUrl}/#${path}`);
      const nf = page.locator(`[data-testid="not-found"][data-what="${what}"]`);
      await nf.waitFor({ timeout: 15_000 });
      assert.equal(await nf.locator('h1').innerText(), 'Page not found');
      assert.ok(page.url().endsWith(`#${path}`), `stays at ${path}, not the list`);
      assert.doesNotMatch(await page.locator('body').innerText(), /Element does not exist/);
    }
    await shotSmall(page, 'not-found-en');
    assert.deepEqual(
      page.consoleErrors.filter((e) => !/40[04]/.test(e)),
      [],
    );
    await page.close();
  });

  it('lists every lesson at /lessons with its course, numbered from 1', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'reviewer@acme.test');
    await page.locator('a[href="#/lessons"]').click();
    const rows = page.locator('[data-testid="lesson-table"] tbody tr');
    await rows.first().waitFor({ timeout: 15_000 });
    assert.ok((await rows.count()) >= 10);
    await page.locator('input[name="q"]').fill(lesson.title);
    const row = page.locator('[data-testid="lesson-table"] tbody tr', { hasText: lesson.title }).first();
    await row.waitFor({ timeout: 15_000 });
    assert.match(await row.innerText(), /Walk Course/);
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });

  it('walks every page at 1440 and 390 px in English and Russian: no serious axe violation, nothing wider than the phone', async () => {
    const pages = [
      ['overview', '/', '[data-testid="overview-generating"]'],
      ['courses', '/courses', 'main a[href*="/courses/"], main tbody tr'],
      ['course-create', '/courses/create', 'input[name="title"]'],
      ['course', `/courses/${course.id}/show`, '[data-testid="stage-timeline"]'],
      ['lessons', '/lessons', 'main a[href*="/lessons/"], main tbody tr'],
      ['lesson', `/lessons/${lesson.id}/show`, '[data-testid="lesson-source"]'],
      ['traces', '/traces', 'main a[href*="/traces/"], main tbody tr'],
      ['trace', `/traces/${trace.id}/show`, '[data-testid="json-inputData"]'],
      ['jobs', '/jobs', 'main .RaList-main'],
      ['approvals', '/approvals', '[data-testid="approval-item"]'],
      ['costs', '/costs', '[data-testid="costs-table"]'],
      ['budgets', '/budgets', '[data-testid="budget"]'],
      ['not-found', '/nowhere', '[data-testid="not-found"]'],
    ];
    const problems = [];
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    // The sign-in page, before anyone signs in.
    const signIn = await newPage(browser, context);
    await signIn.goto(stack.baseUrl);
    await signIn.locator('input[name="username"]').waitFor();
    for (const v of await axeProblems(signIn)) problems.push(`sign-in: ${v}`);
    await shotSmall(signIn, 'page-sign-in-en');
    await signIn.close();

    const page = await newPage(browser, context);
    await login(page, stack.baseUrl, 'admin@acme.test');
    for (const lang of ['en', 'ru']) {
      await page.setViewportSize({ width: 1440, height: 900 });
      await setLanguage(page, lang);
      for (const width of [1440, 390]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        for (const [name, path, ready] of pages) {
          await page.goto(`${stack.baseUrl}/#${path}`);
          try {
            await page.locator(ready).first().waitFor({ timeout: 15_000 });
          } catch {
            problems.push(`${name} ${lang} ${width}: never showed ${ready}`);
            continue;
          }
          await settle(page);
          for (const v of await axeProblems(page)) problems.push(`${name} ${lang} ${width}: ${v}`);
          if (process.env.WALK_DEBUG && problems.length) console.log(problems.at(-1));
          const { scroll, client } = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
          }));
          if (scroll > client + 1) {
            // The outermost elements that stick out, to say what made the page wide.
            const wide = await page.evaluate(
              (w) =>
                [...document.querySelectorAll('body *')]
                  .filter((e) => e.getBoundingClientRect().right > w + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > w + 1))
                  .slice(0, 3)
                  .map(
                    (e) =>
                      `${e.tagName.toLowerCase()}.${String(e.className?.baseVal ?? e.className)
                        .split(' ')
                        .slice(0, 2)
                        .join('.')}`,
                  ),
              client,
            );
            problems.push(`${name} ${lang} ${width}: ${scroll} px wide in a ${client} px window (${wide.join(', ')})`);
          }
          if (width === 1440 || lang === 'en') await shotSmall(page, `page-${name}-${lang}${width === 390 ? '-390' : ''}`);
        }
      }
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.keyboard.press('Escape');
    await setLanguage(page, 'en');
    await context.close();
    assert.deepEqual(problems, []);
  });
});
