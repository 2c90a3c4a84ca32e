// What a rerun changed in a course structure, in the structure's own terms: sections and
// lessons added, removed or changed (with which fields, before → after), matched by
// number — instead of hundreds of raw JSON lines. Other outputs (stage 4's analysis)
// compare field by field at the top level.

export type Change = 'added' | 'removed' | 'changed';

export interface FieldChange {
  field: string;
  before: string;
  after: string;
}
export interface LessonDiff {
  number: number;
  title: string;
  change: Change;
  fields: FieldChange[];
}
export interface SectionDiff {
  number: number;
  title: string;
  change: Change | null;
  fields: FieldChange[];
  lessons: LessonDiff[];
}
export interface StructureDiff {
  course: FieldChange[];
  sections: SectionDiff[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function fieldChanges(before: Obj, after: Obj, skip: string[]): FieldChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !skip.includes(k));
  return keys.filter((k) => !same(before[k], after[k])).map((field) => ({ field, before: show(before[field]), after: show(after[field]) }));
}

function byNumber(list: unknown, key: string): Map<number, Obj> {
  const out = new Map<number, Obj>();
  if (Array.isArray(list))
    list.forEach((x, i) => {
      if (isObj(x)) out.set(Number(x[key] ?? i + 1), x);
    });
  return out;
}

export function structureDiff(before: unknown, after: unknown): StructureDiff {
  const b = isObj(before) ? before : {};
  const a = isObj(after) ? after : {};
  const course = fieldChanges(b, a, ['sections']);
  const bs = byNumber(b.sections, 'section_number');
  const as = byNumber(a.sections, 'section_number');
  const sections: SectionDiff[] = [];
  for (const n of [...new Set([...bs.keys(), ...as.keys()])].sort((x, y) => x - y)) {
    const s0 = bs.get(n);
    const s1 = as.get(n);
    const title = String((s1 ?? s0)?.section_title ?? '');
    if (!s0 || !s1) {
      sections.push({ number: n, title, change: s0 ? 'removed' : 'added', fields: [], lessons: [] });
      continue;
    }
    const fields = fieldChanges(s0, s1, ['lessons']);
    const l0 = byNumber(s0.lessons, 'lesson_number');
    const l1 = byNumber(s1.lessons, 'lesson_number');
    const lessons: LessonDiff[] = [];
    for (const m of [...new Set([...l0.keys(), ...l1.keys()])].sort((x, y) => x - y)) {
      const x0 = l0.get(m);
      const x1 = l1.get(m);
      const lt = String((x1 ?? x0)?.lesson_title ?? '');
      if (!x0 || !x1) lessons.push({ number: m, title: lt, change: x0 ? 'removed' : 'added', fields: [] });
      else {
        const f = fieldChanges(x0, x1, []);
        if (f.length) lessons.push({ number: m, title: lt, change: 'changed', fields: f });
      }
    }
    if (fields.length || lessons.length) sections.push({ number: n, title, change: fields.length ? 'changed' : null, fields, lessons });
  }
  return { course, sections };
}

/** How many things changed: course fields, sections and lessons. */
export function changeCount(d: StructureDiff): number {
  return d.course.length + d.sections.reduce((n, s) => n + (s.change ? 1 : 0) + s.lessons.length, 0);
}
