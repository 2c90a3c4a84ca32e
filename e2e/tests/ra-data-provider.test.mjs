// react-admin's own data provider, `ra-data-simple-rest` as published, run in Node with a
// bearer token against a running stack: every resource the API lists, every call that
// resource allows (getList, getOne, getMany, getManyReference, create, update with the
// whole record as read, delete where deleting makes sense), sort and filter by id, and
// ranges. A call a resource does not allow is a clear 4xx (405 naming the methods there
// are, or 409 saying why), never a 5xx.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import simpleRestProvider from 'ra-data-simple-rest';
import { fetchUtils } from 'ra-core';
import { Client, startStack, waitFor } from '../harness.mjs';

/** ra-data-simple-rest's provider for one user: fetchJson with the user's bearer token. */
function providerFor(baseUrl, token) {
  const httpClient = (url, options = {}) => {
    const headers = new Headers(options.headers ?? { Accept: 'application/json' });
    headers.set('Authorization', `Bearer ${token}`);
    return fetchUtils.fetchJson(url, { ...options, headers });
  };
  return simpleRestProvider(`${baseUrl}/api`, httpClient);
}

/** The call fails with a 4xx (the status, when given), and its message says something. */
async function refused(call, status) {
  try {
    await call();
  } catch (err) {
    assert.ok(err.status >= 400 && err.status < 500, `expected a 4xx, got ${err.status}: ${err.message}`);
    if (status) assert.equal(err.status, status, err.message);
    assert.ok(String(err.body?.message ?? err.message).length > 5, 'the refusal says why');
    return err;
  }
  assert.fail('the call succeeded');
}

const ids = (rows) => rows.map((r) => r.id);
// Ids sort as the database does: bigint ids (sent as text) by number, uuids and model ids as C-collated text.
const compare = (a, b) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0);
const sorted = (list, order = 'ASC') => [...list].sort((a, b) => compare(String(a), String(b)) * (order === 'ASC' ? 1 : -1));

/** getList by id both ways, one page of two, getMany of two, and getOne: what every list resource answers. */
async function readsLikeAList(dp, resource, { min = 2 } = {}) {
  const all = await dp.getList(resource, { pagination: { page: 1, perPage: 100 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
  assert.ok(all.data.length >= min, `${resource}: at least ${min} rows (got ${all.data.length})`);
  assert.equal(all.total, all.data.length, `${resource}: total`);
  assert.deepEqual(ids(all.data), sorted(ids(all.data)), `${resource}: sorted by id ascending`);
  const desc = await dp.getList(resource, { pagination: { page: 1, perPage: 100 }, sort: { field: 'id', order: 'DESC' }, filter: {} });
  assert.deepEqual(ids(desc.data), sorted(ids(all.data), 'DESC'), `${resource}: sorted by id descending`);
  if (all.data.length < 2) return all.data;
  const page2 = await dp.getList(resource, { pagination: { page: 2, perPage: 1 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
  assert.deepEqual(ids(page2.data), [all.data[1].id], `${resource}: the range's second row`);
  assert.equal(page2.total, all.total, `${resource}: total with a range`);
  const two = [all.data[0].id, all.data[all.data.length - 1].id];
  const byId = await dp.getList(resource, { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: { id: two } });
  assert.deepEqual(ids(byId.data), sorted(two), `${resource}: filter by id`);
  assert.equal(byId.total, 2);
  const many = await dp.getMany(resource, { ids: two });
  assert.deepEqual(sorted(ids(many.data)), sorted(two), `${resource}: getMany of two ids answers two rows`);
  return all.data;
}

describe('ra-data-simple-rest against the API', () => {
  let stack;
  let admin;
  let dp;
  let course;
  let draft;
  before(async () => {
    stack = await startStack();
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    dp = providerFor(stack.baseUrl, admin.token);
    course = (await dp.create('courses', { data: { title: 'Provider course', description: 'Made by ra-data-simple-rest', approvalGates: [] } })).data;
    draft = (await dp.create('courses', { data: { title: 'Provider draft', approvalGates: [] } })).data;
    const started = await admin.post(`/courses/${course.id}/generation`);
    assert.equal(started.status, 202);
    await waitFor(async () => (await admin.get(`/courses/${course.id}`)).body.status === 'completed', { what: 'the course to complete', timeoutMs: 120_000 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('courses: lists, reads, references, creates, updates with the whole record, deletes a draft only', async () => {
    await readsLikeAList(dp, 'courses');
    const one = (await dp.getOne('courses', { id: course.id })).data;
    assert.equal(one.title, 'Provider course');
    const mine = await dp.getManyReference('courses', {
      target: 'createdBy',
      id: admin.user.id,
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'id', order: 'ASC' },
      filter: {},
    });
    assert.deepEqual(ids(mine.data), sorted([course.id, draft.id]));
    // The record exactly as read, with one field changed: read-only fields are ignored.
    const updated = (
      await dp.update('courses', { id: course.id, data: { ...one, title: 'Provider course, renamed', status: 'failed', percentage: 3 }, previousData: one })
    ).data;
    assert.equal(updated.title, 'Provider course, renamed');
    assert.equal(updated.status, 'completed');
    assert.equal(updated.percentage, 100);
    const draftRecord = (await dp.getOne('courses', { id: draft.id })).data;
    const budgeted = (await dp.update('courses', { id: draft.id, data: { ...draftRecord, budgetUsd: 12.5, approvalGates: [5] }, previousData: draftRecord }))
      .data;
    assert.equal(budgeted.budgetUsd, 12.5);
    assert.deepEqual(budgeted.approvalGates, [5]);
    // A misspelt field is still refused, naming it.
    const typo = await refused(() => dp.update('courses', { id: draft.id, data: { ...budgeted, titel: 'x' }, previousData: budgeted }), 400);
    assert.match(typo.body.message, /titel/);
    // Deleting: a course that never ran goes; one that ran stays, with a 409 saying why.
    const gone = (await dp.delete('courses', { id: draft.id, previousData: budgeted })).data;
    assert.equal(gone.id, draft.id);
    await refused(() => dp.getOne('courses', { id: draft.id }), 404);
    const ran = await refused(() => dp.delete('courses', { id: course.id, previousData: updated }), 409);
    assert.match(ran.body.message, /has run .*cancel it instead/);
    assert.equal((await dp.getOne('courses', { id: course.id })).data.status, 'completed');
  });

  it('lessons and traces: read-only lists with references to their course; writes are 405', async () => {
    for (const resource of ['lessons', 'traces']) {
      const rows = await readsLikeAList(dp, resource, { min: 10 });
      const first = (await dp.getOne(resource, { id: rows[0].id })).data;
      assert.equal(first.id, rows[0].id);
      const ofCourse = await dp.getManyReference(resource, {
        target: 'courseId',
        id: course.id,
        pagination: { page: 1, perPage: 5 },
        sort: { field: 'id', order: 'DESC' },
        filter: {},
      });
      assert.equal(ofCourse.data.length, 5);
      assert.equal(ofCourse.total, rows.length);
      assert.deepEqual(ids(ofCourse.data), sorted(ids(rows), 'DESC').slice(0, 5));
      await refused(() => dp.create(resource, { data: { title: 'x' } }), 405);
      await refused(() => dp.update(resource, { id: first.id, data: first, previousData: first }), 405);
      await refused(() => dp.delete(resource, { id: first.id, previousData: first }), 405);
    }
  });

  it('users: invite, update with the whole record (PUT), withdraw an invitation; a user who signed in is disabled, not deleted', async () => {
    await readsLikeAList(dp, 'users', { min: 4 });
    const invited = (await dp.create('users', { data: { email: 'provider@acme.test', name: 'Provider', role: 'reviewer' } })).data;
    assert.ok(invited.inviteToken);
    const record = (await dp.getOne('users', { id: invited.id })).data;
    const renamed = (await dp.update('users', { id: invited.id, data: { ...record, name: 'Provider Renamed', role: 'ops' }, previousData: record })).data;
    assert.equal(renamed.name, 'Provider Renamed');
    assert.equal(renamed.role, 'ops');
    assert.equal(renamed.email, 'provider@acme.test');
    const ops = (await dp.getList('users', { pagination: { page: 1, perPage: 10 }, sort: { field: 'email', order: 'ASC' }, filter: { q: 'ops@acme' } }))
      .data[0];
    const refusedDelete = await refused(() => dp.delete('users', { id: ops.id, previousData: ops }), 409);
    assert.match(refusedDelete.body.message, /disable/);
    const withdrawn = (await dp.delete('users', { id: invited.id, previousData: renamed })).data;
    assert.equal(withdrawn.id, invited.id);
    await refused(() => dp.getOne('users', { id: invited.id }), 404);
    // The audit log names who did it, referenced from the user.
    const audit = await readsLikeAList(dp, 'audit');
    const byAdmin = await dp.getManyReference('audit', {
      target: 'actorId',
      id: admin.user.id,
      pagination: { page: 1, perPage: 50 },
      sort: { field: 'id', order: 'DESC' },
      filter: {},
    });
    assert.ok(
      byAdmin.data.some((e) => e.action === 'users.updateRecord'),
      'the PUT is audited',
    );
    assert.ok(byAdmin.total <= audit.length);
  });

  it('models: range, sort and filter honoured; update with the whole record; unchanged prices add no version', async () => {
    const all = await readsLikeAList(dp, 'models', { min: 3 });
    const firstTwo = await dp.getList('models', { pagination: { page: 1, perPage: 2 }, sort: { field: 'id', order: 'DESC' }, filter: {} });
    assert.equal(firstTwo.data.length, 2);
    assert.equal(firstTwo.total, all.length);
    const priced = all.find((m) => m.priced);
    const record = (await dp.getOne('models', { id: priced.id })).data;
    const versions = record.history.length;
    const same = (await dp.update('models', { id: priced.id, data: record, previousData: record })).data;
    assert.equal(same.history.length, versions, 'the record sent back unchanged adds no price version');
    const changed = (await dp.update('models', { id: priced.id, data: { ...record, inputPricePer1m: record.inputPricePer1m + 1 }, previousData: record })).data;
    assert.equal(changed.inputPricePer1m, record.inputPricePer1m + 1);
    assert.equal(changed.history.length, versions + 1);
    await refused(() => dp.create('models', { data: { id: 'x' } }), 405);
    await refused(() => dp.delete('models', { id: priced.id, previousData: record }), 405);
  });

  it('catalog: create, update with the whole record; models are retired (active: false), not deleted', async () => {
    await readsLikeAList(dp, 'catalog', { min: 3 });
    const created = (
      await dp.create('catalog', {
        data: { id: 'provider/test-model', displayName: 'Provider test', contextWindow: 8192, defaultInputPricePer1m: 1, defaultOutputPricePer1m: 2 },
      })
    ).data;
    assert.equal(created.id, 'provider/test-model');
    await refused(
      () => dp.create('catalog', { data: { id: 'provider/test-model', contextWindow: 8192, defaultInputPricePer1m: 1, defaultOutputPricePer1m: 2 } }),
      409,
    );
    const record = (await dp.getOne('catalog', { id: created.id })).data;
    const retired = (await dp.update('catalog', { id: created.id, data: { ...record, active: false }, previousData: record })).data;
    assert.equal(retired.active, false);
    const many = await dp.getMany('catalog', { ids: [created.id, 'no/such-model'] });
    assert.deepEqual(ids(many.data), [created.id]);
    await refused(() => dp.delete('catalog', { id: created.id, previousData: retired }), 405);
  });

  it('the other lists: history, jobs, alerts and webhook deliveries sort and filter by id', async () => {
    const history = await readsLikeAList(dp, `courses/${course.id}/history`, { min: 3 });
    assert.ok(history.every((h) => typeof h.id === 'string' || typeof h.id === 'number'));
    for (const resource of ['jobs', 'alerts', 'organization/webhook-deliveries']) {
      const rows = await dp.getList(resource, { pagination: { page: 1, perPage: 10 }, sort: { field: 'id', order: 'ASC' }, filter: {} });
      assert.ok(Number.isInteger(rows.total), `${resource}: a total`);
      const none = await dp.getMany(resource, { ids: [] });
      assert.deepEqual(none.data, []);
    }
    const job = await dp.getList('jobs', {
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'id', order: 'ASC' },
      filter: { id: [`${course.id}-r1-s4-phase_1_classifier-0`] },
    });
    assert.ok(job.data.length <= 1);
    // A malformed id is a 400 naming the filter, never a 5xx.
    const bad = await refused(() => dp.getMany('traces', { ids: ['not-a-uuid'] }), 400);
    assert.match(bad.body.message, /filter\.id/);
  });
});
