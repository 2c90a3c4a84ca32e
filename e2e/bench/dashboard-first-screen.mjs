// Figure: the dashboard's first screen in Chromium — bytes on the wire (every response's
// encoded size, headers included, as the DevTools protocol counts them) and the cold
// first contentful paint — beside the smallest react-admin app (one List page over
// ra-data-simple-rest, e2e/bench/baselines/ra-minimal), built with the same Vite and
// served by the same API server (DASHBOARD_DIR), measured the same way in the same run.
// Cold: a fresh browser context each time (no HTTP cache, no storage); median of runs.
import { join } from 'node:path';
import { API_ENTRY, ROOT, run, startProcess, waitForHealth } from '../../scripts/lib.mjs';
import { freePort, startStack } from '../harness.mjs';
import { launch } from '../browser.mjs';

export const name = 'dashboard';

const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 7);
const MINIMAL = join(ROOT, 'e2e/bench/baselines/ra-minimal');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One cold load of `url`: bytes on the wire until the network is idle, and the first contentful paint. */
async function coldLoad(browser, url, ready) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState('networkidle');
  const fcp = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const entry = performance.getEntriesByName('first-contentful-paint')[0];
        if (entry) return resolve(entry.startTime);
        new PerformanceObserver((list) => resolve(list.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN)).observe({
          type: 'paint',
          buffered: true,
        });
      }),
  );
  await context.close();
  return { bytes, fcp };
}

async function series(browser, url, ready) {
  await coldLoad(browser, url, ready); // the server's first answer warms its file cache, not the browser's
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await coldLoad(browser, url, ready));
  return { bytes: median(runs.map((r) => r.bytes)), fcp: median(runs.map((r) => r.fcp)) };
}

export async function measure({ record }) {
  if (!process.env.BENCH_SKIP_BUILD) run('npm', ['run', 'build', '-w', 'dashboard']);
  run(join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', join(MINIMAL, 'vite.config.mts')]);
  const stack = await startStack({});
  const port = await freePort();
  const minimalUrl = `http://127.0.0.1:${port}`;
  // The same API server again, serving the minimal app's files instead of the dashboard's.
  const minimal = startProcess(
    'api-minimal',
    API_ENTRY,
    { ...stack.env, PORT: String(port), RUN_MIGRATIONS: 'false', DASHBOARD_DIR: join(MINIMAL, 'dist') },
    { quiet: true },
  );
  const browser = await launch();
  try {
    await waitForHealth(minimalUrl, 60_000);
    // Our first screen is the sign-in page; the minimal app's is its list (it has no sign-in).
    const ours = await series(browser, stack.baseUrl, 'input[name="username"]');
    const base = await series(browser, minimalUrl, '.RaList-main, .RaLayout-content');
    const kb = (b) => `${(b / 1024).toFixed(0)} KB`;
    const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
    record(
      'dashboard first screen, bytes on the wire (Chromium, cold)',
      kb(ours.bytes),
      `minimal react-admin ${kb(base.bytes)}`,
      `${(ours.bytes / base.bytes).toFixed(2)}×`,
      '≤ 400 KB',
      ours.bytes <= 400 * 1024,
    );
    record(
      'dashboard first contentful paint (Chromium, cold, localhost)',
      s(ours.fcp),
      `minimal react-admin ${s(base.fcp)}`,
      `${(ours.fcp / base.fcp).toFixed(2)}×`,
      '≤ 1.5 s',
      ours.fcp <= 1500,
      `median of ${RUNS}`,
    );
  } finally {
    await browser.close();
    minimal.kill('SIGTERM');
    await stack.stop();
  }
}
