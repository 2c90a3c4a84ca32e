// Text Postgres cannot store faithfully: NUL (text and jsonb refuse it, error 22021 /
// 22P05) and lone UTF-16 surrogates (which pg's UTF-8 encoding would turn into U+FFFD,
// silently changing what was sent). Every request's strings — bodies, query parameters,
// route parameters, JSON inside query parameters, and object keys — are checked here
// once, so a 400 names the field before anything reaches the database.

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function badTextReason(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (it contains an unpaired surrogate)';
  return null;
}

/** "path: reason" for the first string (or key) in `value` that cannot be stored, else null. */
export function findBadText(value: unknown, path = '', depth = 0): string | null {
  if (typeof value === 'string') {
    const reason = badTextReason(value);
    return reason ? `${path || 'value'}: ${reason}` : null;
  }
  if (value === null || typeof value !== 'object' || depth > 32) return null;
  if (Buffer.isBuffer(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadText(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (bad) return bad;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    const keyReason = badTextReason(key);
    if (keyReason) return `${path || 'body'}: a field name ${keyReason}`;
    const bad = findBadText(item, at, depth + 1);
    if (bad) return bad;
  }
  return null;
}
