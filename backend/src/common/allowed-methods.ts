// The API's routes by path pattern, collected as fastify registers them, so that a
// request for a path that exists with another method is answered 405 with an `Allow`
// header (RFC 9110 §15.5.6) instead of a 404 that reads as "no such resource" — e.g.
// react-admin's `delete` on a resource that cannot be deleted.
interface Pattern {
  regex: RegExp;
  methods: Set<string>;
}

const patterns = new Map<string, Pattern>();

function compile(url: string): RegExp {
  const body = url
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${body}/?$`);
}

/** Records a route (fastify's onRoute hook). */
export function recordRoute(method: string | string[], url: string): void {
  if (!url.startsWith('/api/') || url.includes('*')) return;
  const entry = patterns.get(url) ?? { regex: compile(url), methods: new Set<string>() };
  for (const m of [method].flat()) if (m !== 'HEAD' && m !== 'OPTIONS') entry.methods.add(m);
  patterns.set(url, entry);
}

/** The methods some route answers at this path (query string ignored); empty when none does. */
export function allowedMethods(rawUrl: string): string[] {
  const path = rawUrl.split('?')[0];
  const found = new Set<string>();
  for (const p of patterns.values()) if (p.regex.test(path)) for (const m of p.methods) found.add(m);
  return [...found].sort();
}
