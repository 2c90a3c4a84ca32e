import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ru } from '../i18n/ru';
import { fieldWords } from './diffWords';
import { changeCount, changeSummary, structureDiff } from './structureDiff';
import { translator } from '../i18n/translator';

const lesson = (n: number, title: string, extra = {}) => ({
  lesson_number: n,
  lesson_title: title,
  key_topics: ['a'],
  estimated_duration_minutes: 10,
  ...extra,
});
const before = {
  course_title: 'Rust',
  difficulty_level: 'beginner',
  sections: [
    { section_number: 1, section_title: 'Basics', lessons: [lesson(1, 'Hello'), lesson(2, 'Types')] },
    { section_number: 2, section_title: 'Ownership', lessons: [lesson(1, 'Moves')] },
  ],
};
const after = {
  course_title: 'Rust',
  difficulty_level: 'intermediate',
  sections: [
    {
      section_number: 1,
      section_title: 'Basics',
      lessons: [lesson(1, 'Hello', { key_topics: ['a', 'b'], estimated_duration_minutes: 25 }), lesson(2, 'Types and traits'), lesson(3, 'Errors')],
    },
    { section_number: 3, section_title: 'Async', lessons: [lesson(1, 'Futures'), lesson(2, 'Streams')] },
  ],
};

describe('structureDiff', () => {
  it('names changed course fields, sections and lessons, and how each changed', () => {
    const d = structureDiff(before, after);
    expect(d.course).toEqual([{ field: 'difficulty_level', kind: 'value', before: 'beginner', after: 'intermediate' }]);
    expect(d.sections.map((s) => [s.number, s.change, s.lessonCount])).toEqual([
      [1, null, 0],
      [2, 'removed', 1],
      [3, 'added', 2],
    ]);
    expect(d.sections[0].lessons.map((l) => [l.number, l.change, l.title])).toEqual([
      [1, 'changed', 'Hello'],
      [2, 'changed', 'Types and traits'],
      [3, 'added', 'Errors'],
    ]);
    // A list by the entries it gained, a number before → after.
    expect(d.sections[0].lessons[0].fields).toEqual([
      { field: 'key_topics', kind: 'list', added: ['b'], removed: [] },
      { field: 'estimated_duration_minutes', kind: 'value', before: 10, after: 25 },
    ]);
    expect(d.sections[0].lessons[1].fields).toEqual([{ field: 'lesson_title', kind: 'value', before: 'Types', after: 'Types and traits' }]);
    expect(changeCount(d)).toBe(6);
    expect(changeSummary(d)).toMatchObject({ fields: 1, sections: { added: 1, removed: 1, changed: 0 }, lessons: { added: 1, removed: 0, changed: 2 } });
  });

  it('finds nothing in equal structures', () => {
    expect(changeCount(structureDiff(before, JSON.parse(JSON.stringify(before))))).toBe(0);
  });

  it('compares an analysis field by field (nested ones by path) and a list output entry by entry', () => {
    const a = structureDiff(
      { category: 'databases', recommended_structure: { sections_count: 6, total_lessons: 24 }, research_flags: [] },
      { category: 'databases', recommended_structure: { sections_count: 10, total_lessons: 24 }, research_flags: ['check versions'] },
    );
    expect(a.course).toEqual([
      { field: 'recommended_structure.sections_count', kind: 'value', before: 6, after: 10 },
      { field: 'research_flags', kind: 'list', added: ['check versions'], removed: [] },
    ]);
    const docs = structureDiff(
      [
        { filename: 'a.pdf', chunks: 3, summary: { summary: 'old' } },
        { filename: 'b.pdf', chunks: 1, summary: null },
      ],
      [{ filename: 'a.pdf', chunks: 3, summary: { summary: 'new' } }],
    );
    expect(docs.items.map((i) => [i.key, i.change])).toEqual([
      ['a.pdf', 'changed'],
      ['b.pdf', 'removed'],
    ]);
    expect(docs.items[0].fields).toEqual([{ field: 'summary.summary', kind: 'value', before: 'old', after: 'new' }]);
  });

  it('says each change in words in both languages, durations with their unit', () => {
    const tEn = translator(en);
    const tRu = translator(ru);
    const duration = { field: 'estimated_duration_minutes', kind: 'value', before: 10, after: 25 } as const;
    expect(fieldWords(duration, tEn, 'en')).toEqual({ label: 'Duration', kind: 'value', before: '10 min', after: '25 min' });
    expect(fieldWords(duration, tRu, 'ru')).toEqual({ label: 'Длительность', kind: 'value', before: '10 мин', after: '25 мин' });
    const level = { field: 'difficulty_level', kind: 'value', before: 'beginner', after: 'intermediate' } as const;
    expect(fieldWords(level, tRu, 'ru')).toMatchObject({ label: 'Уровень', before: 'начальный', after: 'средний' });
    const nested = { field: 'recommended_structure.sections_count', kind: 'value', before: 6, after: 10 } as const;
    expect(fieldWords(nested, tEn, 'en').label).toBe('Recommended structure › sections');
    expect(fieldWords({ field: 'lesson_objectives', kind: 'list', added: ['Analyse'], removed: [] }, tEn, 'en')).toEqual({
      label: 'Objectives',
      kind: 'list',
      added: ['Analyse'],
      removed: [],
    });
    expect(fieldWords({ field: 'course_overview', kind: 'value', before: null, after: 'x'.repeat(400) }, tEn, 'en')).toMatchObject({
      before: '—',
      after: `${'x'.repeat(279)}…`,
    });
  });
});
