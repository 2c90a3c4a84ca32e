// A trace body as a person reads it: JSON-in-a-string unpacked, empty bodies recognised,
// and a search that keeps only the matching leaves (with the path to them).

/** A string that holds JSON (a model's raw answer) is shown as the JSON it holds. */
export function unpack(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return value;
  try {
    return JSON.parse(t);
  } catch {
    return value;
  }
}

/** null, undefined, '', {} and [] are not worth a panel (no "Error: null" on a good call). */
export function isEmptyBody(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

/** The parts of `value` whose keys or leaf values contain `query` (case-insensitive); undefined when none. */
export function filterJson(value: unknown, query: string): unknown {
  const q = query.trim().toLowerCase();
  if (!q) return value;
  const walk = (v: unknown, keyMatched: boolean): unknown => {
    if (v !== null && typeof v === 'object') {
      const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v as Record<string, unknown>);
      const kept: [string, unknown][] = [];
      for (const [k, child] of entries) {
        const hit = !Array.isArray(v) && k.toLowerCase().includes(q);
        const sub = hit ? child : walk(child, keyMatched);
        if (sub !== undefined) kept.push([k, sub]);
      }
      if (!kept.length) return undefined;
      return Array.isArray(v) ? kept.map(([, x]) => x) : Object.fromEntries(kept);
    }
    return keyMatched || String(v).toLowerCase().includes(q) ? v : undefined;
  };
  return walk(value, false);
}

/** How many leaves `value` holds (the count of matches after filterJson). */
export function countLeaves(value: unknown): number {
  if (value === undefined) return 0;
  if (value !== null && typeof value === 'object') return Object.values(value as object).reduce((n: number, v) => n + countLeaves(v), 0);
  return 1;
}
