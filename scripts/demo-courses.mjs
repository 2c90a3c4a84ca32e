// Demo courses for `npm run up`, created and started through the public API, and a
// demo reviewer that approves their gates for the first few minutes.

const DOC = `# Why observability matters\n\nTeams that run language-model pipelines need to see every call: its tokens, its cost and its latency.\n\nTracing turns a failed generation from a mystery into a timeline.\n\n## Budgets\n\nEvery organization has a monthly budget, and finance reads what each stage costs.`;

export const DEMO_COURSES = [
  {
    org: 'ops@acme.test',
    body: { title: 'Introduction to Machine Learning', description: 'A practical first course for analysts', approvalGates: [4], contentStyle: 'practical' },
  },
  {
    org: 'ops@acme.test',
    body: {
      title: 'Observability for LLM Pipelines',
      description: 'Tracing, costs and budgets',
      approvalGates: [5],
      contentStyle: 'technical',
      documents: [{ filename: 'observability.md', mimeType: 'text/markdown', content: DOC }],
    },
  },
  {
    org: 'ops@acme.test',
    body: { title: 'Основы финансовой грамотности', description: 'Курс для начинающих', language: 'ru', approvalGates: [], contentStyle: 'conversational' },
  },
  {
    org: 'ops@globex.test',
    body: { title: 'Project Management Essentials', description: 'From kickoff to retrospective', approvalGates: [], contentStyle: 'case_based' },
  },
];

export async function login(baseUrl, email) {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'mission-control' }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status}`);
  return (await res.json()).accessToken;
}

async function api(baseUrl, token, method, path, body) {
  const res = await fetch(`${baseUrl}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Creates and starts the demo courses once; a database that has courses already is left alone. */
export async function startDemoCourses(baseUrl) {
  const tokens = {};
  let started = 0;
  for (const c of DEMO_COURSES) {
    tokens[c.org] ??= await login(baseUrl, c.org);
    const existing = await api(baseUrl, tokens[c.org], 'GET', `/courses?filter=${encodeURIComponent(JSON.stringify({ q: c.body.title }))}`);
    if (existing.body?.length) continue;
    const created = await api(baseUrl, tokens[c.org], 'POST', '/courses', c.body);
    if (created.status !== 201) throw new Error(`creating "${c.body.title}": ${created.status} ${JSON.stringify(created.body)}`);
    const start = await api(baseUrl, tokens[c.org], 'POST', `/courses/${created.body.id}/generation`, {});
    if (start.status === 202) started++;
  }
  return started;
}

/** The demo reviewer: approves every gate of Acme's courses for a while, then stops. */
export async function autoApprove(baseUrl, minutes = 10) {
  const token = await login(baseUrl, 'reviewer@acme.test');
  const end = Date.now() + minutes * 60_000;
  while (Date.now() < end) {
    const waiting = await api(baseUrl, token, 'GET', `/courses?filter=${encodeURIComponent(JSON.stringify({ awaitingApproval: true }))}`).catch(() => null);
    for (const course of waiting?.body ?? []) {
      const stage = Number(/^stage_(\d)/.exec(course.generationStatus)?.[1]);
      if (!DEMO_COURSES.some((d) => d.body.title === course.title)) continue;
      await api(baseUrl, token, 'POST', `/courses/${course.id}/approve`, { stage, comment: 'Approved by the demo reviewer' }).catch(() => null);
      console.log(`[demo] reviewer approved stage ${stage} of "${course.title}"`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}
