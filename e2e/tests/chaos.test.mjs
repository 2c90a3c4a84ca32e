// The chaos drill (`npm run chaos`), shortened for `npm test`: a few courses on a private
// Redis and Postgres, 2 api + 2 workers, workers SIGKILLed and restarted, Redis restarted
// and flushed, Postgres restarted, a crash between commit and enqueue — and still every
// course completes with nothing applied or paid twice and the bar never going back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runChaos } from '../chaos/run.mjs';

describe('chaos', () => {
  it('completes every course through worker kills, Redis restart and FLUSHALL, Postgres restart and a crash after commit', async () => {
    const lines = [];
    const r = await runChaos({
      // One course per fault: three waves, each started right before its fault, and one
      // kept for the crash drill.
      courses: 4,
      waves: 3,
      killEveryMs: [4000, 8000],
      faultAt: { redisRestart: 1, flushall: 1, crashAfterCommit: 1, postgresRestart: 1 },
      processEnv: { SIMULATED_LATENCY: 'instant', SIMULATED_TTFT_MS: '5', SIMULATED_TOKENS_PER_SECOND: '50000' },
      timeoutMs: 5 * 60_000,
      log: (line) => lines.push(line),
    });
    if (process.env.E2E_VERBOSE || r.problems.length) console.log(lines.join('\n'));
    assert.deepEqual(r.problems, []);
    assert.equal(r.completed, r.courses);
    assert.equal(r.duplicateTraces, 0);
    assert.equal(r.phasesAppliedTwice, 0);
    assert.equal(r.costTotal, r.costUnique);
    assert.ok(r.kills.length >= 1, 'at least one worker was killed');
    for (const kind of ['Redis restart', 'Redis FLUSHALL', 'crash after commit', 'Postgres restart']) {
      const f = r.faults.find((x) => x.kind === kind);
      assert.ok(f && typeof f.recoveredMs === 'number', `${kind} recovered`);
    }
  });
});
