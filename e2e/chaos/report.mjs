// What the chaos drill asserts and how it prints its result (`npm run chaos`, e2e/chaos/run.mjs).

/** What the drill asserts; an empty list means it passed. */
export function problemsOf(r) {
  const problems = [];
  if (r.completed !== r.courses)
    problems.push(`${r.completed}/${r.courses} courses completed${r.failed.length ? `; failed: ${JSON.stringify(r.failed)}` : ''}`);
  if (r.duplicateTraces !== 0) problems.push(`${r.duplicateTraces} duplicate traces`);
  if (r.phasesAppliedTwice !== 0) problems.push(`${r.phasesAppliedTwice} phase items applied twice`);
  if (r.costTotal !== r.costUnique) problems.push(`cost ${r.costTotal} differs from the sum over unique calls ${r.costUnique}`);
  if (Number(r.costRollup) !== Number(r.costTotal)) problems.push(`cost rollup ${r.costRollup} differs from the traces' ${r.costTotal}`);
  if (r.lessons.generated !== r.lessons.lessons || r.lessons.contents !== r.lessons.lessons) problems.push(`lessons: ${JSON.stringify(r.lessons)}`);
  if (r.decreased.length) problems.push(`percentage went back for ${r.decreased.length} course(s)`);
  if (r.outOfOrder.length) problems.push(`stage order broken for ${r.outOfOrder.length} course(s)`);
  for (const f of r.faults) {
    if (f.recoveredMs === null || f.recoveredMs === undefined) problems.push(`${f.kind}: not recovered${f.detail ? ` (${f.detail})` : ''}`);
    else if (!f.courses) problems.push(`${f.kind}: no course was in motion, so the fault proved nothing`);
  }
  const kinds = new Set(r.faults.map((f) => f.kind));
  for (const k of ['Redis restart', 'Redis FLUSHALL', 'crash after commit', 'Postgres restart']) if (!kinds.has(k)) problems.push(`${k}: never happened`);
  if (r.kills.length === 0) problems.push('no worker was killed');
  if (r.killsUnrecovered) problems.push(`${r.killsUnrecovered} worker kill(s) not recovered`);
  return problems;
}

const secs = (ms) => (ms === null || ms === undefined ? 'never' : `${(ms / 1000).toFixed(1)} s`);

export function report(r) {
  const killMs = r.kills
    .map((k) => k.recoveredMs)
    .filter((ms) => typeof ms === 'number')
    .sort((a, b) => a - b);
  const pick = (q) => (killMs.length ? killMs[Math.min(killMs.length - 1, Math.floor(q * killMs.length))] : null);
  const lines = [
    '',
    `chaos: ${r.courses} courses, 2 api + 2 worker processes, ${r.wallSeconds.toFixed(0)} s`,
    '',
    '| check | result |',
    '|---|---|',
    `| courses completed | ${r.completed}/${r.courses} |`,
    `| duplicate traces (by idempotency key) | ${r.duplicateTraces} of ${r.traces} |`,
    `| phase items applied twice | ${r.phasesAppliedTwice} |`,
    `| cost: all traces / unique calls / daily rollup | $${Number(r.costTotal).toFixed(6)} / $${Number(r.costUnique).toFixed(6)} / $${Number(r.costRollup).toFixed(6)} |`,
    `| lessons generated, stored once | ${r.lessons.generated}/${r.lessons.lessons}, ${r.lessons.contents} contents |`,
    `| courses whose bar went back | ${r.decreased.length} |`,
    `| courses with stages out of order | ${r.outOfOrder.length} |`,
    `| gates approved by the script | ${r.approvals} |`,
    '',
    '| fault | at (avg bar) | courses in motion | time to recover |',
    '|---|---|---|---|',
    ...r.faults.map((f) => `| ${f.kind}${f.detail ? ` (${f.detail})` : ''} | ${f.atPercent ?? '–'} % | ${f.courses ?? '–'} | ${secs(f.recoveredMs)} |`),
    `| SIGKILL a worker ×${r.kills.length} (${r.kills.reduce((n, k) => n + (k.items ?? 0), 0)} phase items cut off) | – | – | median ${secs(pick(0.5))}, max ${secs(killMs.at(-1) ?? null)} |`,
    '',
    `put back by the reconciler: ${r.metrics.job_reenqueued ?? 0} jobs; stale results refused: ${r.metrics.stale_result_refused ?? 0}; ` +
      `reports refused: ${r.metrics.event_refused ?? 0}; alerts raised/cleared: ${r.metrics.alert_raised ?? 0}/${r.metrics.alert_cleared ?? 0} (${r.openAlerts} open at the end)`,
    `processes that exited on their own (restarted): ${r.unexpectedExits.length}${r.unexpectedExits.length ? ` — ${r.unexpectedExits.map((e) => `${e.name} ${e.code ?? e.signal} at ${e.at}`).join(', ')}` : ''}`,
    '',
    ...(r.stuck?.length ? ['not completed:', ...r.stuck.map((c) => `  ${JSON.stringify(c)}`), ''] : []),
    r.problems.length
      ? `FAILED:\n  ${r.problems.join('\n  ')}`
      : 'PASSED: no course lost, nothing applied or paid twice, the bar never went back, stages in order.',
  ];
  return lines.join('\n');
}
