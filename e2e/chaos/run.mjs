// `npm run chaos`: proves that Postgres is the truth and Redis may vanish. On a private
// Redis and a private Postgres cluster (so the drill never touches shared services) it
// runs 2 api and 2 worker processes, generates N courses whose gates a script approves,
// and meanwhile: SIGKILLs a random worker every few seconds and starts it again;
// restarts Redis once and runs FLUSHALL once; restarts Postgres once (immediate stop,
// like a crash); and makes a worker crash between committing a transition and enqueueing
// its job (FAULT_CRASH_AFTER_COMMIT). Then it prints and asserts: every course completed,
// no duplicate trace or applied phase, costs counted once, every course's bar never went
// back, stages in order, and the time to recover after each fault.
//
// A fault is recovered when the work it interrupted moved again: for a killed worker,
// when every phase item it held is done (by someone else); for Redis, Postgres and the
// crash, when every course that was in motion finished a full job cycle (a PHASE_STARTED
// after the service was back, then its PHASE_DONE).
import { hostname } from 'node:os';
import IORedis from 'ioredis';
import { fileURLToPath } from 'node:url';
import { API_ENTRY, WORKER_ENTRY, startProcess, waitForHealth } from '../../scripts/lib.mjs';
import { Client, freePort, startStack, waitFor } from '../harness.mjs';
import { problemsOf, report } from './report.mjs';
import { readBooks } from './books.mjs';
import { startPrivatePostgres, startPrivateRedis } from './services.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rand = (lo, hi) => lo + Math.random() * (hi - lo);
const CRASH_EXIT_CODE = 86;

export const DEFAULTS = {
  courses: 50,
  /** a random worker is SIGKILLed every so often (ms range) and started again after restartDelayMs */
  killEveryMs: [3000, 6000],
  restartDelayMs: 1000,
  /** courses start in this many waves, one before each of the first faults (the last course is kept for the crash drill) */
  waves: 1,
  /** average bar (percent) at which each fault of the chain fires, in order */
  faultAt: { redisRestart: 5, flushall: 15, crashAfterCommit: 25, postgresRestart: 35 },
  recoveryTimeoutMs: 180_000,
  timeoutMs: 45 * 60_000,
  processEnv: {
    SIMULATED_TTFT_MS: '20',
    SIMULATED_TOKENS_PER_SECOND: '20000',
    JOB_LOCK_MS: '8000',
    RECONCILE_MS: '2000',
    OUTBOX_POLL_MS: '250',
    STALL_SWEEP_MS: '1000',
    STALL_JOB_SECONDS: '3',
    STALL_QUEUE_SECONDS: '5',
    SHUTDOWN_GRACE_MS: '3000',
    WORKER_CONCURRENCY: '8',
    LOG_LEVEL: 'error',
    // a long drill outlives the default 15 minutes of an access token
    JWT_TTL_SECONDS: '14400',
  },
  log: (line) => console.log(line),
};

export async function runChaos(options = {}) {
  const o = { ...DEFAULTS, ...options, faultAt: { ...DEFAULTS.faultAt, ...options.faultAt }, processEnv: { ...DEFAULTS.processEnv, ...options.processEnv } };
  const log = o.log;
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
  const redis = await startPrivateRedis();
  const pgServer = await startPrivatePostgres();
  log(`private Redis ${redis.url}, private Postgres ${pgServer.url}`);
  const { default: pg } = await import('pg');
  let stack = null;
  let db = null;
  let shuttingDown = false;
  const procs = {};
  const exits = [];
  const faults = [];
  const kills = [];
  try {
    stack = await startStack({ apis: 0, workers: 0, pgServer: pgServer.url, env: { REDIS_URL: redis.url, ...o.processEnv } });
    db = new pg.Pool({ connectionString: stack.databaseUrl, max: 4 });
    db.on('error', () => undefined);
    const q = async (sql, params) => (await db.query(sql, params)).rows;
    /** a query that waits out a Postgres restart */
    const qq = async (sql, params) => {
      for (let i = 0; ; i++) {
        try {
          return await q(sql, params);
        } catch (err) {
          if (i > 120) throw err;
          await sleep(500);
        }
      }
    };
    // The drill starts every course at once: lift the demo organizations' concurrency limits.
    await q(`UPDATE organizations SET max_concurrent_generations = 1000`);

    // ---- processes, supervised: whatever exits is started again (as a process manager would)
    const apiPorts = [await freePort(), await freePort()];
    const apiUrls = apiPorts.map((p) => `http://127.0.0.1:${p}`);
    const launch = (name) => {
      const p = procs[name];
      const env = {
        ...stack.env,
        RUN_MIGRATIONS: 'false',
        ...(p.role === 'api' ? { PORT: String(p.port) } : {}),
        ...(p.drill ? { FAULT_CRASH_AFTER_COMMIT: String(p.drill) } : {}),
      };
      const child = startProcess(name, p.role === 'api' ? API_ENTRY : WORKER_ENTRY, env, { quiet: !process.env.E2E_VERBOSE });
      p.child = child;
      p.startedAt = Date.now();
      child.once('exit', (code, signal) => {
        if (shuttingDown || p.child !== child) return;
        if (p.killing) {
          p.killing = false;
          setTimeout(() => !shuttingDown && launch(name), o.restartDelayMs);
          return;
        }
        if (code === CRASH_EXIT_CODE && p.drill) {
          const line = (child.lastLines ?? []).find((l) => l.includes('FAULT_CRASH_AFTER_COMMIT')) ?? '';
          const m = /committing (\S+) (\S+) -> ([^\s,]+)/.exec(line);
          p.drill = null;
          p.crashed?.({ at: Date.now(), courseId: m?.[1], from: m?.[2], to: m?.[3] });
          setTimeout(() => !shuttingDown && launch(name), o.restartDelayMs);
          return;
        }
        exits.push({ name, code, signal, at: elapsed(), lines: (child.lastLines ?? []).slice(-5) });
        setTimeout(() => !shuttingDown && launch(name), 500);
      });
    };
    procs.api0 = { role: 'api', port: apiPorts[0] };
    procs.api1 = { role: 'api', port: apiPorts[1] };
    procs.worker0 = { role: 'worker' };
    procs.worker1 = { role: 'worker' };
    for (const name of Object.keys(procs)) launch(name);
    for (const u of apiUrls) await waitForHealth(u, 180_000);
    log(`[${elapsed()}] 2 api + 2 worker processes up`);

    // ---- clients on both api processes; requests ride out faults
    /** one request; an expired token is renewed once */
    const send = async (client, method, path, body) => {
      let res = await client.request(method, path, body);
      if (res.status === 401) {
        client.token = (await Client.login(client.baseUrl, client.user.email)).token;
        res = await client.request(method, path, body);
      }
      return res;
    };
    const call = async (client, method, path, body) => {
      for (let i = 0; ; i++) {
        try {
          const res = await send(client, method, path, body);
          if (res.status < 500) return res;
        } catch {
          /* connection refused while a process restarts */
        }
        if (i > 240) throw new Error(`${method} ${path} kept failing`);
        await sleep(250);
      }
    };
    const ops = await Promise.all(apiUrls.map((u) => Client.login(u, 'ops@acme.test')));
    const reviewers = await Promise.all(apiUrls.map((u) => Client.login(u, 'reviewer@acme.test')));
    const gatesFor = (i) => (i % 3 === 0 ? [4, 6] : i % 3 === 1 ? [5] : []);
    const ids = [];
    for (let i = 0; i < o.courses; i++) {
      const res = await call(ops[i % 2], 'POST', '/courses', {
        title: `Chaos course ${i + 1}`,
        description: 'Statistics for people who hate statistics',
        approvalGates: gatesFor(i),
      });
      if (res.status !== 201) throw new Error(`create course: ${res.status} ${JSON.stringify(res.body)}`);
      ids.push(res.body.id);
    }
    // The last course is kept for the crash drill; the rest start in `waves` waves: the
    // first now, the others right before the later faults, so that each fault meets
    // courses in motion however fast the machine is.
    const reserve = ids.at(-1);
    const rest = ids.slice(0, -1);
    const waveSize = Math.ceil(rest.length / Math.max(1, o.waves));
    const waves = Array.from({ length: Math.ceil(rest.length / waveSize) }, (_, w) => rest.slice(w * waveSize, (w + 1) * waveSize));
    const startedIds = [];
    const startCourses = async (list) => {
      for (const id of list) {
        const res = await call(ops[startedIds.length % 2], 'POST', `/courses/${id}/generation`);
        // 409: an earlier try that failed on the way back did start it.
        if (res.status !== 202 && res.status !== 409) throw new Error(`start course: ${res.status} ${JSON.stringify(res.body)}`);
        startedIds.push(id);
      }
    };
    await startCourses(waves.shift() ?? []);
    log(`[${elapsed()}] ${startedIds.length} of ${ids.length} courses started (${ids.length - Math.floor(ids.length / 3)} have one or two gates)`);

    // ---- background loops
    let done = false;
    const state = { avg: 0, completed: 0, failed: [] };
    const monitor = (async () => {
      while (!done) {
        try {
          const [s] = await q(
            `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed,
                                      avg(coalesce((machine_snapshot->'context'->>'percentage')::int, 0))::float8 AS avg,
                                      coalesce(json_agg(json_build_object('id', id, 'error', error_message)) FILTER (WHERE status = 'failed'), '[]') AS failed
                                 FROM courses WHERE id = ANY($1)`,
            [startedIds],
          );
          Object.assign(state, s);
        } catch {
          /* Postgres restarting */
        }
        await sleep(300);
      }
    })();
    let approvals = 0;
    const approver = (async () => {
      let turn = 0;
      while (!done) {
        try {
          const reviewer = reviewers[turn++ % 2];
          const res = await send(reviewer, 'GET', `/courses?filter=${encodeURIComponent(JSON.stringify({ awaitingApproval: true }))}&range=[0,99]`);
          for (const c of res.status === 200 ? res.body : []) {
            const stage = Number(/^stage_(\d)_awaiting_approval$/.exec(c.generationStatus)?.[1]);
            if (!stage) continue;
            const r = await send(reviewer, 'POST', `/courses/${c.id}/approve`, { stage, comment: 'approved by the chaos script' });
            if (r.status === 200 || r.status === 201) approvals++;
          }
        } catch {
          /* an api process is down */
        }
        await sleep(400);
      }
    })();

    const pendingItemsOf = async (workerPid) =>
      q(
        `SELECT pc.course_id, pc.run, pc.stage, pc.phase_key FROM phase_claims pc
         JOIN courses c ON c.id = pc.course_id AND c.generation_run = pc.run
        WHERE pc.token LIKE $1
          AND NOT EXISTS (SELECT 1 FROM generation_status_history h
                           WHERE h.course_id = pc.course_id AND h.run = pc.run AND h.event = 'PHASE_DONE'
                             AND h.stage = 'stage_' || pc.stage AND h.reason = regexp_replace(pc.phase_key, '-(\\d+)$', '#\\1'))`,
        [`${hostname()}-${workerPid}-%`],
      );
    const itemsDone = async (items) => {
      if (!items.length) return true;
      const [r] = await q(
        `SELECT count(*)::int AS n FROM jsonb_to_recordset($1::jsonb) AS i(course_id uuid, run int, stage int, phase_key text)
          WHERE EXISTS (SELECT 1 FROM generation_status_history h
                         WHERE h.course_id = i.course_id AND h.run = i.run AND h.event = 'PHASE_DONE'
                           AND h.stage = 'stage_' || i.stage AND h.reason = regexp_replace(i.phase_key, '-(\\d+)$', '#\\1'))
             OR NOT EXISTS (SELECT 1 FROM courses c WHERE c.id = i.course_id AND c.generation_run = i.run)`,
        [JSON.stringify(items)],
      );
      return r.n === items.length;
    };
    const watch = (fault, check) => {
      fault.recovery = (async () => {
        const end = Date.now() + o.recoveryTimeoutMs;
        while (Date.now() < end) {
          try {
            const at = await check();
            if (at) {
              fault.recoveredMs = Math.max(0, at - fault.at);
              return;
            }
          } catch {
            /* Postgres restarting */
          }
          await sleep(250);
        }
        fault.recoveredMs = null;
      })();
    };

    // A worker counts as up once its heartbeat is in Redis (it consumes). The killer only
    // kills a worker that is up while the other one is up too, so that work goes on
    // between kills however long a restart takes on a loaded machine.
    const beats = new IORedis(redis.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    beats.on('error', () => undefined);
    const consuming = async (name) => {
      const c = procs[name].child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return false;
      return (await beats.exists(`${stack.env.QUEUE_PREFIX}-worker-heartbeat-${hostname()}-${c.pid}`).catch(() => 0)) === 1;
    };
    const killer = (async () => {
      while (!done) {
        await sleep(rand(...o.killEveryMs));
        if (done) break;
        const up = [];
        for (const n of ['worker0', 'worker1']) if (await consuming(n)) up.push(n);
        if (up.length < 2) continue;
        const candidates = up;
        const name = candidates[Math.floor(Math.random() * candidates.length)];
        const p = procs[name];
        const pid = p.child.pid;
        const items = await pendingItemsOf(pid).catch(() => null);
        if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
        p.killing = true;
        p.child.kill('SIGKILL');
        const fault = { kind: `SIGKILL ${name}`, at: Date.now(), items: items?.length ?? 0 };
        kills.push(fault);
        if (items) watch(fault, async () => ((await itemsDone(items)) ? Date.now() : null));
        else fault.recovery = Promise.resolve();
      }
    })();

    // ---- the chain of service faults
    const inMotion = async () =>
      (
        await qq(`SELECT id FROM courses WHERE id = ANY($1) AND status IN ('queued', 'generating') AND generation_status NOT LIKE '%\\_awaiting\\_approval'`, [
          ids,
        ])
      ).map((r) => r.id);
    /** the moment the last of these courses finished a full job cycle begun after `up` (or completed) */
    const cycled = (courses, since, up) => async () => {
      const rows = await q(
        `SELECT c.id, least(
            (SELECT min(d.created_at) FROM generation_status_history d
              WHERE d.course_id = c.id AND d.event = 'PHASE_DONE' AND d.created_at > $2
                AND EXISTS (SELECT 1 FROM generation_status_history s
                             WHERE s.course_id = d.course_id AND s.event = 'PHASE_STARTED' AND s.run = d.run AND s.stage = d.stage
                               AND s.reason = d.reason AND s.created_at > $3 AND s.id < d.id)),
            CASE WHEN c.generation_completed_at > $2 THEN c.generation_completed_at END) AS moved_at
           FROM courses c WHERE c.id = ANY($1)`,
        [courses, new Date(since).toISOString(), new Date(up).toISOString()],
      );
      if (rows.some((r) => !r.moved_at)) return null;
      return Math.max(...rows.map((r) => new Date(r.moved_at).getTime()));
    };
    const untilAvg = async (pct) => {
      await waitFor(() => state.avg >= pct || state.completed === ids.length, { what: `average progress ${pct}%`, timeoutMs: o.timeoutMs, intervalMs: 200 });
    };
    const serviceFault = async (kind, pct, act, { newWave = true } = {}) => {
      if (newWave && waves.length) await startCourses(waves.shift());
      await untilAvg(pct);
      // A course may be waiting at a gate at that moment (or between two polls have
      // reached it): the fault waits for one to be moving again, unless every course is done.
      let courses = await inMotion();
      if (!courses.length)
        await waitFor(
          async () => {
            courses = await inMotion();
            return courses.length > 0 || state.completed === ids.length;
          },
          { what: `a course in motion for ${kind}`, timeoutMs: o.timeoutMs, intervalMs: 50 },
        );
      const fault = { kind, at: Date.now(), courses: courses.length, atPercent: Math.round(state.avg) };
      await act();
      fault.upAt = Date.now();
      faults.push(fault);
      log(`[${elapsed()}] ${kind} at ${fault.atPercent}% average (${courses.length} courses in motion)`);
      watch(fault, cycled(courses, fault.at, fault.upAt));
      await fault.recovery;
      log(`[${elapsed()}]   recovered in ${fault.recoveredMs === null ? 'NEVER' : `${(fault.recoveredMs / 1000).toFixed(1)} s`}`);
    };
    const chain = (async () => {
      await serviceFault('Redis restart', o.faultAt.redisRestart, () => redis.restart(), { newWave: false });
      await serviceFault('Redis FLUSHALL', o.faultAt.flushall, async () => redis.flushall());
      // The crash drill: api1 is started again with FAULT_CRASH_AFTER_COMMIT=1 and exits
      // right after its first commit that asks for jobs — the reserved course's START —
      // before the relay enqueues them. Another process's outbox sweep must carry them out.
      await untilAvg(o.faultAt.crashAfterCommit);
      const api1 = procs.api1;
      const crashed = new Promise((resolve) => (api1.crashed = resolve));
      const old = api1.child;
      const gone = new Promise((resolve) => (old.exitCode !== null || old.signalCode !== null ? resolve() : old.once('exit', resolve)));
      api1.drill = 1;
      api1.killing = true;
      old.kill('SIGKILL');
      await gone;
      await sleep(o.restartDelayMs + 200);
      await waitForHealth(apiUrls[1], 180_000);
      // One try, through api1: it dies before answering.
      await ops[1].post(`/courses/${reserve}/generation`).catch(() => undefined);
      let giveUp;
      const crash = await Promise.race([crashed, new Promise((resolve) => (giveUp = setTimeout(resolve, o.recoveryTimeoutMs, null)))]);
      clearTimeout(giveUp);
      // Whatever the drill caught, the reserved course must be started (409 if it was).
      await startCourses([reserve]);
      if (crash?.courseId) {
        const fault = {
          kind: 'crash after commit',
          at: crash.at,
          upAt: crash.at,
          courses: 1,
          atPercent: Math.round(state.avg),
          detail: `${crash.from} -> ${crash.to}`,
        };
        faults.push(fault);
        log(`[${elapsed()}] crash after commit: ${crash.courseId} ${crash.from} -> ${crash.to}, its jobs not enqueued`);
        watch(fault, cycled([crash.courseId], crash.at, crash.at));
        await fault.recovery;
        log(`[${elapsed()}]   recovered in ${fault.recoveredMs === null ? 'NEVER' : `${(fault.recoveredMs / 1000).toFixed(1)} s`}`);
      } else {
        api1.drill = null;
        faults.push({ kind: 'crash after commit', at: Date.now(), courses: 0, recoveredMs: null, detail: 'the drill never fired' });
      }
      await serviceFault('Postgres restart', o.faultAt.postgresRestart, async () => pgServer.restart());
    })();

    // ---- wait for the end
    const deadline = started + o.timeoutMs;
    let chainDone = false;
    const chainEnd = chain.finally(() => (chainDone = true));
    while ((!chainDone || state.completed < ids.length) && state.failed.length === 0 && Date.now() < deadline) await sleep(500);
    await chainEnd.catch((err) => faults.push({ kind: 'fault chain', at: Date.now(), recoveredMs: null, detail: err.message }));
    done = true;
    await Promise.all([monitor, approver, killer]);
    beats.disconnect();
    await Promise.all(kills.map((k) => k.recovery));
    const wall = (Date.now() - started) / 1000;
    // Courses that did not complete: where they stand, in Postgres and in the queues.
    const stuck = [];
    if (state.completed < ids.length) {
      const { Queue } = await import('bullmq');
      const conn = new IORedis(redis.url, { maxRetriesPerRequest: 1 });
      const queueOf = { 2: 'documents', 3: 'summaries', 4: 'analysis', 5: 'structure', 6: 'lessons' };
      const rows = await qq(
        `SELECT c.id, c.status, c.generation_status, c.updated_at, c.machine_snapshot->'context' AS ctx,
                (SELECT json_agg(json_build_object('kind', o.kind, 'attempts', o.attempts, 'error', o.last_error)) FROM outbox o WHERE o.course_id = c.id AND o.processed_at IS NULL) AS outbox
           FROM courses c WHERE c.id = ANY($1) AND c.status <> 'completed'`,
        [ids],
      );
      for (const r of rows) {
        const ctx = r.ctx ?? {};
        const jobs = [];
        for (const index of ctx.step?.inFlight ?? []) {
          const queue = new Queue(queueOf[ctx.stage], { connection: conn, prefix: stack.env.QUEUE_PREFIX });
          const jobId = `${r.id}-r${ctx.run}-s${ctx.stage}-${ctx.phase}-${index}`;
          const job = await queue.getJob(jobId).catch(() => null);
          jobs.push({
            jobId,
            state: job ? await job.getState() : 'missing',
            attemptsMade: job?.attemptsMade,
            stalled: job?.stalledCounter,
            failedReason: job?.failedReason,
          });
          await queue.close();
        }
        stuck.push({
          id: r.id,
          status: r.status,
          generationStatus: r.generation_status,
          updatedAt: r.updated_at,
          step: ctx.step,
          phase: ctx.phase,
          jobs,
          outbox: r.outbox,
        });
      }
      conn.disconnect();
    }
    shuttingDown = true;
    await Promise.all(
      Object.values(procs).map(
        (p) =>
          new Promise((resolve) => {
            const c = p.child;
            if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', resolve);
            c.kill('SIGTERM');
            setTimeout(() => c.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );

    // ---- what Postgres says
    const { totals, traces, unique, rollup, twice, lessons, decreased, outOfOrder, metrics, openAlerts } = await readBooks(qq, ids);

    const killRecoveries = kills.filter((k) => k.recoveredMs !== undefined);
    const result = {
      courses: ids.length,
      completed: totals.completed,
      failed: state.failed,
      wallSeconds: wall,
      traces: traces.traces,
      duplicateTraces: traces.traces - traces.keys,
      phasesAppliedTwice: twice.n,
      costTotal: traces.cost,
      costUnique: unique.cost,
      costRollup: rollup.cost,
      lessons,
      decreased: [...decreased],
      outOfOrder: [...outOfOrder],
      faults: faults.map(({ recovery, ...f }) => f),
      kills: kills.map(({ recovery, ...k }) => k),
      killsUnrecovered: killRecoveries.filter((k) => k.recoveredMs === null).length,
      approvals,
      metrics,
      openAlerts: openAlerts.n,
      unexpectedExits: exits,
      stuck,
    };
    result.problems = problemsOf(result);
    log(report(result));
    return result;
  } finally {
    shuttingDown = true;
    for (const p of Object.values(procs)) if (p.child && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await db?.end().catch(() => undefined);
    await redis.close().catch(() => undefined);
    pgServer.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const courses = Number(process.env.CHAOS_COURSES ?? DEFAULTS.courses);
  runChaos({ courses })
    .then((r) => process.exit(r.problems.length ? 1 : 0))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
}
