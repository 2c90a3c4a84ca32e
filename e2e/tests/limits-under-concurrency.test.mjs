// Limits that must hold when requests arrive together: an organization's concurrency
// limit under a burst of starts, the per-course document limit under parallel uploads,
// an upload racing the START (a course never runs as if it had no documents after one
// was accepted), and tokens: no access token without an expiry, no process without a
// real JWT secret.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import jwt from 'jsonwebtoken';
import { API_ENTRY, ROOT } from '../../scripts/lib.mjs';
import { Client, freePort, startStack, waitFor } from '../harness.mjs';
import { send, uploadDocuments } from '../hostile.mjs';

// The harness sets no JWT_SECRET: the API then signs with its development default.
const DEFAULT_SECRET = 'mission-control-development-secret';
const ACTIVE = ['queued', 'generating'];

describe('limits under concurrency', () => {
  let stack;
  let db;
  let admin;
  let ops;
  let acmeId;

  before(async () => {
    // Realistic model latency: a started course stays queued/generating for many seconds,
    // so a slot cannot free up while the burst is counted.
    stack = await startStack({ env: { RATE_LIMIT_FACTOR: '1000', SIMULATED_LATENCY: 'realistic' } });
    db = await stack.sql();
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    acmeId = ops.user.organizationId;
    assert.ok(acmeId);
  });
  after(async () => {
    await stack?.stop();
  });

  const createIdle = async (title) => {
    const res = await ops.post('/courses', { title, approvalGates: [] });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  };
  const cancelAll = async (ids) => {
    for (const id of ids) await ops.post(`/courses/${id}/cancel`, {});
  };

  it('lets exactly max_concurrent_generations of 20 simultaneous starts through (202), the rest 429', async () => {
    const {
      rows: [{ n: already }],
    } = await db.query(`SELECT count(*)::int AS n FROM courses WHERE organization_id = $1 AND status = ANY($2)`, [acmeId, ACTIVE]);
    const limit = already + 5;
    const set = await admin.request('PUT', '/organization', { maxConcurrentGenerations: limit });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.maxConcurrentGenerations, limit);
    const ids = [];
    for (let i = 0; i < 20; i++) ids.push(await createIdle(`Burst ${i}`));
    try {
      const answers = await Promise.all(ids.map((id) => send(stack.baseUrl, 'POST', `/api/courses/${id}/generation`, { token: ops.token, body: {} })));
      const { rows } = await db.query(`SELECT id, status, generation_status FROM courses WHERE id = ANY($1)`, [ids]);
      const running = rows.filter((r) => ACTIVE.includes(r.status));
      const histogram = {};
      for (const a of answers) histogram[a.status] = (histogram[a.status] ?? 0) + 1;
      assert.deepEqual(
        histogram,
        { 202: 5, 429: 15 },
        `answers ${JSON.stringify(histogram)}; ${answers
          .filter((a) => a.status !== 202 && a.status !== 429)
          .map((a) => a.text.slice(0, 120))
          .join(' | ')}`,
      );
      assert.equal(running.length, 5, `${running.length} of the 20 courses are queued/generating (limit ${limit}, ${already} were already running)`);
      // the refused ones did not start
      const refused = ids.filter((_, i) => answers[i].status === 429);
      assert.ok(
        rows.filter((r) => refused.includes(r.id)).every((r) => r.generation_status === 'idle'),
        'a course answered 429 left idle',
      );
      assert.ok(answers.filter((a) => a.status === 429).every((a) => /concurrency limit/.test(a.body?.message ?? '')));
    } finally {
      await cancelAll(ids);
      await admin.request('PUT', '/organization', { maxConcurrentGenerations: 100 });
    }
  });

  it('stores exactly max_documents_per_course of 10 parallel uploads, with ordinals 0..N-1, refusing the rest with 409', async () => {
    const N = 3;
    const { body: org } = await admin.get('/organization');
    const set = await admin.request('PUT', '/organization', { maxDocumentsPerCourse: N });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    try {
      const id = await createIdle('Parallel uploads');
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          uploadDocuments(stack.baseUrl, ops.token, id, [{ name: `part-${i}.txt`, content: `Document number ${i} about sampling.` }]),
        ),
      );
      const histogram = {};
      for (const a of answers) histogram[a.status] = (histogram[a.status] ?? 0) + 1;
      const odd = answers.filter((a) => a.status !== 201 && a.status !== 409);
      assert.deepEqual(
        odd.map((a) => `${a.status} ${a.text.slice(0, 160)}`),
        [],
        `every answer is 201 or 409: ${JSON.stringify(histogram)}`,
      );
      const { rows } = await db.query(`SELECT ordinal FROM course_documents WHERE course_id = $1 ORDER BY ordinal`, [id]);
      assert.equal(rows.length, N, `${rows.length} documents stored with a limit of ${N} (answers ${JSON.stringify(histogram)})`);
      assert.deepEqual(
        rows.map((r) => r.ordinal),
        Array.from({ length: N }, (_, i) => i),
      );
      assert.equal(histogram[201], N, JSON.stringify(histogram));
      assert.ok(
        answers.filter((a) => a.status === 409).every((a) => typeof a.body?.message === 'string' && /\b3\b|at most|limit/.test(a.body.message)),
        'a 409 says which limit',
      );
    } finally {
      await admin.request('PUT', '/organization', { maxDocumentsPerCourse: org.maxDocumentsPerCourse });
    }
  });

  it('never accepts an upload (201) that a START racing it does not see: the course runs stages 2 and 3 on it, or the upload is refused', async () => {
    const trials = Number(process.env.RACE_TRIALS ?? 10);
    const outcomes = [];
    const problems = [];
    for (let t = 0; t < trials; t++) {
      const id = await createIdle(`Race ${t}`);
      const delay = (ms) => new Promise((r) => setTimeout(r, ms));
      // vary who goes first by a few milliseconds, so the race is hit from both sides
      const lead = (t % 5) * 2;
      const [up, start] = await Promise.all([
        (async () => {
          if (t % 2) await delay(lead);
          return uploadDocuments(stack.baseUrl, ops.token, id, [{ name: `race-${t}.txt`, content: `Notes for race ${t}: medians resist outliers.` }]);
        })(),
        (async () => {
          if (!(t % 2)) await delay(lead);
          return send(stack.baseUrl, 'POST', `/api/courses/${id}/generation`, { token: ops.token, body: {} });
        })(),
      ]);
      try {
        outcomes.push(`${up.status}/${start.status}`);
        if (up.status >= 500 || start.status >= 500) {
          problems.push(`trial ${t}: upload ${up.status} ${up.text.slice(0, 100)}, start ${start.status} ${start.text.slice(0, 100)}`);
          continue;
        }
        if (![201, 409].includes(up.status)) {
          problems.push(`trial ${t}: upload answered ${up.status} ${up.text.slice(0, 120)}`);
          continue;
        }
        if (start.status !== 202) {
          // START refused (e.g. 409 while an upload is being stored): the course must still be idle
          const c = (await ops.get(`/courses/${id}`)).body;
          if (c.generationStatus !== 'idle') problems.push(`trial ${t}: start answered ${start.status} but the course is ${c.generationStatus}`);
          continue;
        }
        // The course entered its first stage: stage 2 when it knows of documents, else 4.
        const history = await waitFor(
          async () => {
            const h = (await ops.get(`/courses/${id}/history?range=[0,999]&sort=["id","ASC"]`)).body;
            return Array.isArray(h) && h.some((x) => x.stage) ? h : null;
          },
          { what: `course ${id} to enter a stage`, timeoutMs: 60_000, intervalMs: 200 },
        );
        const firstStage = history.find((x) => x.stage).stage;
        const {
          rows: [snap],
        } = await db.query(
          `SELECT machine_snapshot->'context'->>'hasDocuments' AS has, machine_snapshot->'context'->>'documentCount' AS n FROM courses WHERE id = $1`,
          [id],
        );
        const {
          rows: [{ docs }],
        } = await db.query(`SELECT count(*)::int AS docs FROM course_documents WHERE course_id = $1`, [id]);
        if (up.status === 201) {
          const stages = (await ops.get(`/courses/${id}/stages`)).body;
          const skipped = stages.filter((s) => s.skipped).map((s) => s.number);
          if (firstStage !== 'stage_2' || snap.has !== 'true' || skipped.includes(2) || skipped.includes(3)) {
            problems.push(
              `trial ${t}: upload 201 but the course ran without its document (first stage ${firstStage}, context hasDocuments ${snap.has}, documentCount ${snap.n}, skipped stages ${skipped.join(',')})`,
            );
            continue;
          }
          // and stage 2 really reads the document
          const extracted = await waitFor(async () => (await ops.get(`/courses/${id}/documents`)).body?.every?.((d) => d.extracted) && true, {
            what: `course ${id}'s document to be extracted`,
            timeoutMs: 60_000,
            intervalMs: 300,
          }).catch(() => false);
          if (!extracted) problems.push(`trial ${t}: upload 201, stage 2 entered, but the document was never extracted`);
        } else {
          if (docs !== 0) problems.push(`trial ${t}: upload answered 409 but ${docs} document(s) are stored`);
          if (firstStage !== 'stage_4') problems.push(`trial ${t}: no document, yet the first stage is ${firstStage}`);
        }
      } finally {
        await ops.post(`/courses/${id}/cancel`, {});
      }
    }
    console.log(`upload/start races (upload/start status): ${outcomes.join(' ')}`);
    assert.deepEqual(problems, []);
  });

  it('refuses a correctly signed access token without an expiry (401), while the same token with one is accepted', async () => {
    const secret = stack.env.JWT_SECRET ?? DEFAULT_SECRET;
    const claims = jwt.decode(ops.token);
    assert.ok(claims && claims.exp && claims.iss && claims.aud, JSON.stringify(claims));
    const { exp, iat, nbf, ...rest } = claims;
    const withExpiry = jwt.sign({ ...rest }, secret, { algorithm: 'HS256', expiresIn: 300 });
    const ok = await send(stack.baseUrl, 'GET', '/api/courses', { token: withExpiry });
    assert.equal(ok.status, 200, `the forged token with an expiry should be accepted (same secret and claims): ${ok.text.slice(0, 120)}`);
    const noExpiry = jwt.sign({ ...rest }, secret, { algorithm: 'HS256', noTimestamp: true });
    assert.equal(jwt.decode(noExpiry).exp, undefined);
    const res = await send(stack.baseUrl, 'GET', '/api/courses', { token: noExpiry });
    assert.equal(res.status, 401, `a token without exp was answered ${res.status}`);
  });

  it('refuses to start an API without NODE_ENV and without JWT_SECRET: non-zero exit, a one-line reason naming JWT_SECRET', async () => {
    const env = {
      ...process.env,
      DATABASE_URL: stack.databaseUrl,
      REDIS_URL: stack.env.REDIS_URL,
      QUEUE_PREFIX: `${stack.env.QUEUE_PREFIX}x`,
      RUN_MIGRATIONS: 'false',
      PORT: String(await freePort()),
    };
    delete env.NODE_ENV;
    delete env.JWT_SECRET;
    const child = spawn(process.execPath, [API_ENTRY], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    child.stdout.resume();
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    let listening = false;
    const poll = (async () => {
      const end = Date.now() + 20_000;
      while (Date.now() < end && child.exitCode === null) {
        try {
          if ((await fetch(`http://127.0.0.1:${env.PORT}/api/health`)).status < 500) {
            listening = true;
            return;
          }
        } catch {
          /* not up */
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const first = await Promise.race([exited, poll.then(() => null)]);
    const result = first ?? (child.exitCode !== null ? { code: child.exitCode } : null);
    if (!result) child.kill('SIGKILL');
    await exited;
    assert.ok(!listening, 'the API started and served /api/health without a JWT secret');
    assert.ok(result, 'the API was still running after 20 s');
    assert.notEqual(result.code, 0, `exit code ${result.code}`);
    assert.notEqual(result.code, null);
    const lines = stderr.split('\n').filter((l) => l.trim());
    assert.ok(
      lines.some((l) => /JWT_SECRET/.test(l)),
      `stderr does not name JWT_SECRET: ${stderr.slice(0, 400)}`,
    );
    assert.ok(!lines.some((l) => /^\s+at\s/.test(l)), `stderr carries a stack trace instead of a reason: ${stderr.slice(0, 400)}`);
  });
});
