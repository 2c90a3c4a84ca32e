// Reads a model's JSON answer in levels: as it is; with markdown fences and prose
// around the object stripped; repaired by jsonrepair. The value must then pass the
// caller's Zod schema.
import { jsonrepair } from 'jsonrepair';
import type { ZodType } from 'zod';

export type JsonAnswer<T> = { ok: true; value: T; level: 'none' | 'stripped' | 'jsonrepair' } | { ok: false; error: string };

function strip(text: string): string {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const body = fenced ? fenced[1] : text;
  const start = body.indexOf('{');
  const end = body.lastIndexOf('}');
  return start >= 0 && end > start ? body.slice(start, end + 1) : body.trim();
}

export function parseJsonAnswer<T>(text: string, schema: ZodType<T>): JsonAnswer<T> {
  const attempts: ['none' | 'stripped' | 'jsonrepair', () => string][] = [
    ['none', () => text],
    ['stripped', () => strip(text)],
    ['jsonrepair', () => jsonrepair(strip(text.includes('{') ? text.slice(text.indexOf('{')) : text))],
  ];
  let lastError = 'empty answer';
  for (const [level, get] of attempts) {
    let raw: unknown;
    try {
      raw = JSON.parse(get());
    } catch (err) {
      lastError = `not JSON: ${(err as Error).message.slice(0, 200)}`;
      continue;
    }
    const parsed = schema.safeParse(raw);
    if (parsed.success) return { ok: true, value: parsed.data, level };
    const issue = parsed.error.issues[0];
    lastError = `${issue?.path.join('.') || '(root)'}: ${issue?.message}`;
    // Valid JSON of the wrong shape is not repaired by stripping further.
    if (level !== 'none') break;
  }
  return { ok: false, error: lastError };
}
