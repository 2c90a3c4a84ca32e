// A sample of API calls through an openapi-fetch client typed by the dashboard's
// generated types (dashboard/src/api/schema.d.ts): e2e/tests/typed-client.test.mjs
// type-checks this file (tsc --noEmit) and runs it against a running stack. A route
// whose document is wrong — a path, a parameter, a body field or an answer's field —
// fails one or the other.
import createClient from 'openapi-fetch';
import type { components, paths } from '../../dashboard/src/api/schema.js';

type Schemas = components['schemas'];
export type Api = ReturnType<typeof createClient<paths>>;

export function client(baseUrl: string, token?: string): Api {
  return createClient<paths>({ baseUrl, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

/** Every answer with the operation it came from, for the test to check against the spec. */
export interface Seen {
  method: string;
  path: string;
  status: number;
  body: unknown;
}

export async function signIn(baseUrl: string, email: string, seen: Seen[]): Promise<{ api: Api; session: Schemas['Session'] }> {
  const { data, error, response } = await client(baseUrl).POST('/api/auth/login', { body: { email, password: 'mission-control' } });
  seen.push({ method: 'post', path: '/api/auth/login', status: response.status, body: data ?? error });
  if (!data) throw new Error(`login ${email}: ${response.status} ${error?.message}`);
  const role: Schemas['Role'] = data.user.role;
  if (!['admin', 'ops', 'reviewer', 'finance'].includes(role)) throw new Error(`unexpected role ${role}`);
  return { api: client(baseUrl, data.accessToken), session: data };
}

/** Creates a course with a gate after stage 4 and starts it. */
export async function createAndStart(api: Api, title: string, seen: Seen[]): Promise<Schemas['CourseDetail']> {
  const created = await api.POST('/api/courses', { body: { title, approvalGates: [4], language: 'en' } });
  seen.push({ method: 'post', path: '/api/courses', status: created.response.status, body: created.data ?? created.error });
  if (!created.data) throw new Error(`create: ${created.error?.message}`);
  const id = created.data.id;
  const started = await api.POST('/api/courses/{id}/generation', { params: { path: { id } }, body: {} });
  seen.push({ method: 'post', path: '/api/courses/{id}/generation', status: started.response.status, body: started.data ?? started.error });
  if (started.data?.status !== 'queued') throw new Error(`start: ${started.response.status}`);
  return created.data;
}

export async function status(api: Api, id: string, seen: Seen[]): Promise<Schemas['GenerationStatus']> {
  const r = await api.GET('/api/courses/{id}/status', { params: { path: { id }, header: { 'Accept-Language': 'ru' } } });
  seen.push({ method: 'get', path: '/api/courses/{id}/status', status: r.response.status, body: r.data ?? r.error });
  if (!r.data) throw new Error(`status: ${r.error?.message}`);
  return r.data;
}

export interface Sample {
  page: Schemas['Course'][];
  contentRange: string | null;
  course: Schemas['CourseDetail'];
  stages: Schemas['StageInfo'][];
  inbox: Schemas['ApprovalItem'][];
  approved: Schemas['GenerationStatus'];
  me: Schemas['Me'];
  notFound: { status: number; error: Schemas['Error'] | undefined };
  badId: { status: number; error: Schemas['Error'] | undefined };
}

/** The reads and the decision of a course waiting at its stage 4 gate. */
export async function sample(api: Api, reviewer: Api, id: string, seen: Seen[]): Promise<Sample> {
  const list = await api.GET('/api/courses', {
    params: { query: { sort: JSON.stringify(['createdAt', 'DESC']), range: JSON.stringify([0, 9]), filter: JSON.stringify({ awaitingApproval: true }) } },
  });
  seen.push({ method: 'get', path: '/api/courses', status: list.response.status, body: list.data ?? list.error });
  const one = await api.GET('/api/courses/{id}', { params: { path: { id } } });
  seen.push({ method: 'get', path: '/api/courses/{id}', status: one.response.status, body: one.data ?? one.error });
  const stages = await api.GET('/api/courses/{id}/stages', { params: { path: { id } } });
  seen.push({ method: 'get', path: '/api/courses/{id}/stages', status: stages.response.status, body: stages.data ?? stages.error });
  const inbox = await reviewer.GET('/api/approvals');
  seen.push({ method: 'get', path: '/api/approvals', status: inbox.response.status, body: inbox.data ?? inbox.error });
  const item = inbox.data?.find((i) => i.courseId === id);
  if (!item) throw new Error("the course is not in the reviewer's inbox");
  const kind: 'review' | 'budget' = item.kind;
  const approved = await reviewer.POST('/api/courses/{id}/approve', {
    params: { path: { id } },
    body: { stage: item.stage, comment: `typed client approves a ${kind} gate` },
  });
  seen.push({ method: 'post', path: '/api/courses/{id}/approve', status: approved.response.status, body: approved.data ?? approved.error });
  const me = await api.GET('/api/me');
  seen.push({ method: 'get', path: '/api/me', status: me.response.status, body: me.data ?? me.error });
  const missing = await api.GET('/api/courses/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
  seen.push({ method: 'get', path: '/api/courses/{id}', status: missing.response.status, body: missing.data ?? missing.error });
  const bad = await api.GET('/api/courses/{id}', { params: { path: { id: 'not-a-uuid' } } });
  seen.push({ method: 'get', path: '/api/courses/{id}', status: bad.response.status, body: bad.data ?? bad.error });
  if (!list.data || !one.data || !stages.data || !approved.data || !me.data) throw new Error('a read failed');
  return {
    page: list.data,
    contentRange: list.response.headers.get('content-range'),
    course: one.data,
    stages: stages.data,
    inbox: inbox.data ?? [],
    approved: approved.data,
    me: me.data,
    notFound: { status: missing.response.status, error: missing.error },
    badId: { status: bad.response.status, error: bad.error },
  };
}

// What the types refuse (checked by tsc: each line below must be an error).
export function refused(api: Api): void {
  // @ts-expect-error a path the API does not have
  void api.GET('/api/course');
  // @ts-expect-error the title is a string
  void api.POST('/api/courses', { body: { title: 42 } });
  // @ts-expect-error approve needs the stage
  void api.POST('/api/courses/{id}/approve', { params: { path: { id: 'x' } }, body: { comment: '' } });
  void api.GET('/api/courses/{id}', { params: { path: { id: 'x' } } }).then(({ data }) => {
    // @ts-expect-error a course has no such field
    void data?.colour;
    const _status: Schemas['CourseStatus'] | undefined = data?.status;
    // @ts-expect-error a course's status is one of the machine's statuses, not any string
    const wrong: typeof _status = 'sleeping';
    void wrong;
  });
}
