// What a rerun changed in a stage's output, in the output's own terms, for the reviewer
// who rejected the attempt before: a course structure's (stage 5) sections and lessons
// added, removed or changed, matched by number; a list output's items (stages 2, 3 and
// 6: documents by file name, lessons by ordinal); any other object (stage 4's analysis)
// field by field. Each changed field says how: a text or a number before → after, a list
// by the entries it gained and lost — never as JSON lines.

export type Change = 'added' | 'removed' | 'changed';

/** One field that differs; `field` is its name (a nested one's path joined by "."). */
export type FieldChange = { field: string; kind: 'value'; before: Value; after: Value } | { field: string; kind: 'list'; added: string[]; removed: string[] };

/** A field's value as shown: a text, a number, yes/no, or nothing (absent or null). */
export type Value = string | number | boolean | null;

export interface LessonDiff {
  number: number;
  title: string;
  change: Change;
  fields: FieldChange[];
}
export interface SectionDiff {
  number: number;
  title: string;
  /** null: the section itself is unchanged, some of its lessons are not */
  change: Change | null;
  fields: FieldChange[];
  lessons: LessonDiff[];
  /** how many lessons an added or removed section has */
  lessonCount: number;
}
/** An entry of a list output (a document, a lesson of stage 6). */
export interface ItemDiff {
  key: string;
  title: string;
  change: Change;
  fields: FieldChange[];
}
export interface StructureDiff {
  /** the output's own fields (course fields, the analysis's fields) */
  course: FieldChange[];
  sections: SectionDiff[];
  items: ItemDiff[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The name an object in a list goes by: its title, file name, or the first text field. */
function nameOf(v: unknown): string {
  if (!isObj(v)) return v === null || v === undefined ? '' : String(v);
  for (const k of ['title', 'lesson_title', 'section_title', 'exercise_title', 'filename', 'name']) if (typeof v[k] === 'string') return v[k] as string;
  const text = Object.values(v).find((x) => typeof x === 'string');
  return typeof text === 'string' ? text : '';
}

function value(v: unknown): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return nameOf(v);
}

/** Entries of a list as texts, each once: strings as they are, objects by their name. */
const entries = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : nameOf(x))) : []);

function fieldChanges(before: Obj, after: Obj, skip: string[], prefix = ''): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !skip.includes(k));
  const out: FieldChange[] = [];
  for (const k of keys) {
    const b = before[k];
    const a = after[k];
    if (same(b, a)) continue;
    const field = prefix + k;
    if (isObj(b) || isObj(a)) {
      out.push(...fieldChanges(isObj(b) ? b : {}, isObj(a) ? a : {}, [], `${field}.`));
    } else if (Array.isArray(b) || Array.isArray(a)) {
      const eb = entries(b);
      const ea = entries(a);
      const added = ea.filter((x) => !eb.includes(x));
      const removed = eb.filter((x) => !ea.includes(x));
      // Objects whose names stay but whose insides change (an exercise's description): say the list changed.
      if (added.length || removed.length) out.push({ field, kind: 'list', added, removed });
      else out.push({ field, kind: 'value', before: eb.length, after: ea.length });
    } else {
      out.push({ field, kind: 'value', before: value(b), after: value(a) });
    }
  }
  return out;
}

function byKey(list: unknown, key: (x: Obj, i: number) => string | number): Map<string | number, Obj> {
  const out = new Map<string | number, Obj>();
  if (Array.isArray(list))
    list.forEach((x, i) => {
      if (isObj(x)) out.set(key(x, i), x);
    });
  return out;
}

const numbered = (field: string) => (x: Obj, i: number) => Number(x[field] ?? i + 1);
const ordered = <K>(keys: Iterable<K>) =>
  [...new Set(keys)].sort((x, y) => (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))));

function itemsDiff(before: unknown[], after: unknown[]): ItemDiff[] {
  const key = (x: Obj, i: number) => String(x.filename ?? x.ordinal ?? x.lesson_number ?? i + 1);
  const b = byKey(before, key);
  const a = byKey(after, key);
  const out: ItemDiff[] = [];
  for (const k of [...new Set([...b.keys(), ...a.keys()])]) {
    const x0 = b.get(k);
    const x1 = a.get(k);
    const title = nameOf(x1 ?? x0);
    if (!x0 || !x1) out.push({ key: String(k), title, change: x0 ? 'removed' : 'added', fields: [] });
    else {
      const fields = fieldChanges(x0, x1, []);
      if (fields.length) out.push({ key: String(k), title, change: 'changed', fields });
    }
  }
  return out;
}

export function structureDiff(before: unknown, after: unknown): StructureDiff {
  if (Array.isArray(before) || Array.isArray(after)) {
    return { course: [], sections: [], items: itemsDiff(Array.isArray(before) ? before : [], Array.isArray(after) ? after : []) };
  }
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const course = fieldChanges(b, a, ['sections']);
  const bs = byKey(b.sections, numbered('section_number'));
  const as = byKey(a.sections, numbered('section_number'));
  const sections: SectionDiff[] = [];
  for (const n of ordered([...bs.keys(), ...as.keys()]) as number[]) {
    const s0 = bs.get(n);
    const s1 = as.get(n);
    const title = String((s1 ?? s0)?.section_title ?? (s1 ?? s0)?.title ?? '');
    if (!s0 || !s1) {
      const lessonCount = Array.isArray((s1 ?? s0)?.lessons) ? ((s1 ?? s0)!.lessons as unknown[]).length : 0;
      sections.push({ number: n, title, change: s0 ? 'removed' : 'added', fields: [], lessons: [], lessonCount });
      continue;
    }
    const fields = fieldChanges(s0, s1, ['lessons']);
    const l0 = byKey(s0.lessons, numbered('lesson_number'));
    const l1 = byKey(s1.lessons, numbered('lesson_number'));
    const lessons: LessonDiff[] = [];
    for (const m of ordered([...l0.keys(), ...l1.keys()]) as number[]) {
      const x0 = l0.get(m);
      const x1 = l1.get(m);
      const lt = String((x1 ?? x0)?.lesson_title ?? '');
      if (!x0 || !x1) lessons.push({ number: m, title: lt, change: x0 ? 'removed' : 'added', fields: [] });
      else {
        const f = fieldChanges(x0, x1, []);
        if (f.length) lessons.push({ number: m, title: lt, change: 'changed', fields: f });
      }
    }
    if (fields.length || lessons.length) sections.push({ number: n, title, change: fields.length ? 'changed' : null, fields, lessons, lessonCount: 0 });
  }
  return { course, sections, items: [] };
}

/** How many things changed: output fields, sections, lessons and list entries. */
export function changeCount(d: StructureDiff): number {
  return d.course.length + d.items.length + d.sections.reduce((n, s) => n + (s.change ? 1 : 0) + s.lessons.length, 0);
}

/** What changed, counted by kind, for the one-line summary: sections and lessons added, removed, changed. */
export function changeSummary(d: StructureDiff) {
  const count = (list: { change: Change | null }[], c: Change) => list.filter((x) => x.change === c).length;
  const lessons = d.sections.flatMap((s) => s.lessons);
  return {
    fields: d.course.length,
    sections: { added: count(d.sections, 'added'), removed: count(d.sections, 'removed'), changed: count(d.sections, 'changed') },
    lessons: { added: count(lessons, 'added'), removed: count(lessons, 'removed'), changed: count(lessons, 'changed') },
    items: { added: count(d.items, 'added'), removed: count(d.items, 'removed'), changed: count(d.items, 'changed') },
  };
}
