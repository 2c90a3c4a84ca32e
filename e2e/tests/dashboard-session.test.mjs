// A dashboard left open outlives its access token: with a 20-second token lifetime, a
// page open on the course list for more than two lifetimes is still signed in, renewed
// its token with the refresh token (rotated each time, one refresh at a time), loads
// data when navigated, and its socket still receives course.updated after the renewals.
// A refresh the API refuses (the family ended) signs the page out. A first visit without a
// session, or with one that expired and cannot be renewed, goes straight to the sign-in
// page (no redirect storm before the first paint) and returns where it was going.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, startStack, waitFor } from '../harness.mjs';
import { SCREENSHOTS, launch, login, newPage } from '../browser.mjs';

const TTL_SECONDS = 20;

/** Watches a page's traffic: refresh calls and what went over the /live socket, with times. */
function watch(page) {
  const seen = { refreshes: [], renewsSent: [], courseUpdates: [], expired: [] };
  page.on('request', (req) => {
    if (req.url().endsWith('/api/auth/refresh')) seen.refreshes.push({ at: Date.now(), body: req.postDataJSON() });
  });
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      if (String(payload).includes('"auth.renew"')) seen.renewsSent.push(Date.now());
    });
    ws.on('framereceived', ({ payload }) => {
      const text = String(payload);
      if (text.includes('"course.updated"')) seen.courseUpdates.push({ at: Date.now(), text });
      if (text.includes('"session.expired"')) seen.expired.push(Date.now());
    });
  });
  return seen;
}

describe('dashboard session', () => {
  let stack;
  let browser;
  before(async () => {
    stack = await startStack({ env: { JWT_TTL_SECONDS: String(TTL_SECONDS), SIMULATED_TTFT_MS: '150', SIMULATED_TOKENS_PER_SECOND: '600' } });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('stays signed in and live past two access-token lifetimes', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const course = (await ops.post('/courses', { title: 'Left Open Course' })).body;
    const page = await newPage(browser);
    const seen = watch(page);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses`);
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 15_000 });
    await page.locator('tr', { hasText: 'Left Open Course' }).waitFor({ timeout: 15_000 });

    // Left alone on the list for more than two lifetimes.
    const openedAt = Date.now();
    await new Promise((r) => setTimeout(r, (2 * TTL_SECONDS + 6) * 1000));
    console.log(
      `after ${((Date.now() - openedAt) / 1000).toFixed(0)} s: ${seen.refreshes.length} refreshes, ${seen.renewsSent.length} socket renewals, ${seen.expired.length} session.expired`,
    );
    assert.ok(seen.refreshes.length >= 2, `renewed at least twice (${seen.refreshes.length})`);
    // Each refresh presented the token the previous one answered: never the same one twice.
    const used = seen.refreshes.map((r) => r.body.refreshToken);
    assert.equal(new Set(used).size, used.length, 'no refresh token presented twice');
    assert.ok(seen.renewsSent.length >= 2, 'the socket was handed the renewed tokens');
    assert.deepEqual(seen.expired, [], 'the socket was never closed for an expired token');
    assert.equal(await page.locator('[data-testid="live-status"]').getAttribute('data-connected'), 'true');

    // Navigating loads data: no sign-in page.
    await page.evaluate((id) => {
      window.location.hash = `#/courses/${id}/show`;
    }, course.id);
    await page.locator('[data-testid="stage-timeline"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('input[name="password"]').count(), 0, 'not sent to the sign-in page');
    await page.evaluate(() => {
      window.location.hash = '#/courses';
    });
    const row = page.locator('tr', { hasText: 'Left Open Course' });
    await row.waitFor({ timeout: 15_000 });

    // The socket still delivers: a generation started now moves the list without a reload.
    const lastRenewal = Math.max(...seen.renewsSent);
    const fresh = await Client.login(stack.baseUrl, 'ops@acme.test');
    assert.equal((await fresh.post(`/courses/${course.id}/generation`)).status, 202);
    const bar = row.locator('[data-testid="course-progress"]');
    await waitFor(async () => Number(await bar.getAttribute('data-value')) > 0, { what: 'the bar to rise live', timeoutMs: 60_000, intervalMs: 250 });
    assert.ok(
      seen.courseUpdates.some((u) => u.at > lastRenewal && u.text.includes(course.id)),
      'course.updated arrived after the token was renewed',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'session-left-open.png') });
    assert.deepEqual(page.consoleErrors, [], page.failedRequests.join('\n'));
  });

  it('signs out when the refresh is refused (the sign-in was ended)', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses`);
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 15_000 });
    // The stored refresh token is spent elsewhere first (a stolen copy): the API ends the family.
    const refreshToken = await page.evaluate(() => JSON.parse(localStorage.getItem('mission-control.session')).refreshToken);
    assert.ok(refreshToken, 'the refresh token is kept with the session');
    const anon = new Client(stack.baseUrl);
    assert.equal((await anon.post('/auth/refresh', { refreshToken })).status, 200);
    // At the page's next renewal the API refuses the spent token: the page signs out.
    await page.locator('input[name="password"]').waitFor({ timeout: (TTL_SECONDS + 10) * 1000 });
    assert.equal(await page.evaluate(() => localStorage.getItem('mission-control.session')), null);
  });

  it('a visit without a valid session goes straight to the sign-in page and back to where it was going', async () => {
    const expired = (exp) => `h.${Buffer.from(JSON.stringify({ sub: 'x', exp })).toString('base64url')}.s`;
    for (const [what, session] of [
      ['no session', null],
      ['an expired session without a refresh token', { token: expired(1000), user: { id: 'x', name: 'X', email: 'x@y', role: 'ops' }, actions: [] }],
    ]) {
      const page = await newPage(browser);
      // Counts the page's history entries: the sign-in page must be reached in one step.
      await page.addInitScript((stored) => {
        window.__pushes = 0;
        const push = history.pushState;
        history.pushState = function (...args) {
          window.__pushes++;
          return push.apply(this, args);
        };
        if (stored && !sessionStorage.getItem('seeded')) {
          sessionStorage.setItem('seeded', '1');
          localStorage.setItem('mission-control.session', JSON.stringify(stored));
        }
      }, session);
      await page.goto(`${stack.baseUrl}/#/courses?perPage=10`);
      await page.locator('input[name="username"]').waitFor({ timeout: 15_000 });
      const pushes = await page.evaluate(() => window.__pushes);
      assert.ok(pushes <= 2, `${what}: the sign-in page in one step, not ${pushes} redirects`);
      assert.equal(await page.evaluate(() => localStorage.getItem('mission-control.session')), null, `${what}: nothing stale kept`);
      await page.locator('input[name="username"]').fill('ops@acme.test');
      await page.locator('input[name="password"]').fill('mission-control');
      await page.locator('button[type="submit"]').click();
      await page.waitForURL(/#\/courses\?perPage=10/, { timeout: 15_000 });
      await page.locator('[data-testid="live-status"]').waitFor({ timeout: 15_000 });
      await page.close();
    }
  });
});
