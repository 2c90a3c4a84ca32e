// `npm run bench`: starts what it needs, measures each figure beside its baseline in
// the same run, prints one table and saves it to e2e/bench/results/<date>.md.
// `npm run bench -- <figure> [<figure>…]` runs only those (saved as <date>-<figures>.md).
// Figures that miss their target are printed as missing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ROOT, run } from '../../scripts/lib.mjs';

// In the order of the issue's table.
export const FIGURES = {
  status: () => import('./status-throughput.mjs'),
  phases: () => import('./phase-completions.mjs'),
  live: () => import('./live-latency.mjs'),
  'cost-report': () => import('./cost-report.mjs'),
  dashboards: () => import('./dashboard-queries.mjs'),
  rss: () => import('./rss-in-flight.mjs'),
  'wall-time': () => import('./wall-time.mjs'),
  dashboard: () => import('./dashboard-first-screen.mjs'),
  scale: () => import('./scale.mjs'),
};

const rows = [];
function record(figure, ours, baseline, ratio, target, met, note = '') {
  rows.push({ figure, ours, baseline, ratio, target, met, note });
  console.log(`${met ? 'ok     ' : 'MISSING'} ${figure}: ${ours} vs ${baseline} (${ratio}) target ${target}${note ? ` — ${note}` : ''}`);
}

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((f) => !(f in FIGURES));
  if (unknown.length) {
    console.error(`unknown figure ${unknown.join(', ')}; one of: ${Object.keys(FIGURES).join(', ')}`);
    process.exit(2);
  }
  const names = asked.length ? asked : Object.keys(FIGURES);
  if (!process.env.BENCH_SKIP_BUILD) run('npm', ['run', 'build', '-w', 'backend']);
  const started = new Date();
  for (const figure of names) {
    const t0 = Date.now();
    console.log(`\n— ${figure}`);
    const mod = await FIGURES[figure]();
    try {
      await mod.measure({ record });
    } catch (err) {
      console.error(err);
      record(figure, 'failed to run', '—', '—', '—', false, String(err.message ?? err).split('\n')[0]);
    }
    console.log(`  (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  const day = started.toISOString().slice(0, 10);
  const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
  const table = [
    `# Benchmarks — ${day}`,
    '',
    `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${cpus().length} cores; ${names.length === Object.keys(FIGURES).length ? 'all figures' : names.join(', ')} in ${minutes} min.`,
    '',
    '| figure | ours | baseline | ratio | target | |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.figure} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met ? 'met' : '**missing**'}${r.note ? ` (${r.note})` : ''} |`,
    ),
    '',
  ].join('\n');
  const dir = join(ROOT, 'e2e/bench/results');
  mkdirSync(dir, { recursive: true });
  // A scale figure at a size other than the full one is saved beside it, not over it.
  const scaled = names.includes('scale') && process.env.BENCH_SCALE && Number(process.env.BENCH_SCALE) !== 1 ? `-${process.env.BENCH_SCALE}` : '';
  const file = asked.length ? `${day}-${names.join('-')}${scaled}.md` : `${day}${scaled}.md`;
  writeFileSync(join(dir, file), table);
  console.log(`\n${table}\nsaved to e2e/bench/results/${file}`);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
