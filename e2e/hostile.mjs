// Helpers shared by the access, hostile-input and limits tests: one request with a raw answer,
// query strings that keep hostile values intact, multipart uploads, and the check that a
// refusal names the field it refuses.
import { Client } from './harness.mjs';

/** Every own property name of Object.prototype: a lookup table keyed by user input must know none of them. */
export const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype);

/** The roles of Acme plus Globex's ops, each as { label, role, org, token, user }. */
export async function loginAll(baseUrl) {
  const out = [];
  for (const role of ['admin', 'ops', 'reviewer', 'finance']) {
    const c = await Client.login(baseUrl, `${role}@acme.test`);
    out.push({ label: `${role}@acme`, role, org: 'acme', token: c.token, user: c.user, client: c });
  }
  const g = await Client.login(baseUrl, 'ops@globex.test');
  out.push({ label: 'ops@globex', role: 'ops', org: 'globex', token: g.token, user: g.user, client: g });
  return out;
}

/**
 * One request; `query` is appended as is (build it with `qs`), `rawBody` goes out
 * byte for byte. Never throws: a request that got no answer is status 599.
 */
export async function send(baseUrl, method, path, { token, body, rawBody, contentType, query = '', timeoutMs = 20_000 } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  let payload;
  if (rawBody !== undefined) {
    payload = rawBody;
    headers['content-type'] = contentType ?? 'application/json';
  } else if (body !== undefined && method !== 'GET') {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let res;
  let text;
  try {
    res = await fetch(`${baseUrl}${path}${query}`, { method, headers, body: payload, signal: AbortSignal.timeout(timeoutMs) });
    text = await res.text();
  } catch (err) {
    // An oversized body is refused (413) as soon as its length is known, and the server
    // closes the connection while the client is still sending: that is the refusal.
    if (payload && payload.length > 4 * 1024 * 1024 && /closed|reset|EPIPE|socket/i.test(`${err.cause?.code ?? ''} ${err.cause?.message ?? ''}`)) {
      return { status: 413, body: { message: 'request body too large (connection closed)' }, text: '', headers: new Headers() };
    }
    return { status: 599, body: null, text: `no answer: ${err.message} ${err.cause?.code ?? ''} ${err.cause?.message ?? ''}`, headers: new Headers() };
  }
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* CSV or empty */
  }
  return { status: res.status, body: json, text, headers: res.headers };
}

/**
 * Percent-encodes a string for a query string. Unlike encodeURIComponent it does not
 * throw on a lone surrogate: that one goes out as its WTF-8 bytes (e.g. %ED%A0%80),
 * i.e. as invalid UTF-8 the server must refuse. NUL is %00.
 */
export function pct(s) {
  let out = '';
  for (const ch of String(s)) {
    const cp = ch.codePointAt(0);
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

/** `?a=1&b=2` from an object (values as given: strings, or JSON text for filter/sort/range). */
export function qs(params) {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${pct(k)}=${pct(v)}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** JSON text of a one-key object, written by hand so that `__proto__` is a real own key of the text. */
export function oneKeyJson(key, value) {
  return `{${JSON.stringify(key)}:${JSON.stringify(value)}}`;
}

/**
 * Whether a refusal's message names a field, the way the API writes them: `field: …`,
 * `filter.field: …`, `documents.0.field: …`, or the name in quotes (`unknown field "x"`).
 * A bare mention ("must not be after to") does not count.
 */
export function namesField(message, field) {
  if (typeof message !== 'string') return false;
  const f = field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.])([\\w]+\\.)*${f}["']?\\s*:|["'\`]${f}["'\`]`).test(message);
}

/** A hostile character put inside an otherwise valid value (so length rules still pass). */
export function inside(valid, ch) {
  const s = String(valid);
  const at = Math.max(1, Math.floor(s.length / 2));
  return s.slice(0, at) + ch + s.slice(at);
}

/** Uploads files to a course's documents as multipart/form-data. */
export async function uploadDocuments(baseUrl, token, courseId, files) {
  const form = new FormData();
  for (const f of files) form.append(f.field ?? 'file', new Blob([f.content], { type: f.type ?? 'text/plain' }), f.name);
  try {
    const res = await fetch(`${baseUrl}/api/courses/${courseId}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let body = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body, text };
  } catch (err) {
    return { status: 599, body: null, text: `no answer: ${err.message}` };
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}
