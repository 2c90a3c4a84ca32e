import { describe, expect, it } from 'vitest';
import { changeCount, structureDiff } from './structureDiff';

const lesson = (n: number, title: string, extra = {}) => ({ lesson_number: n, lesson_title: title, key_topics: ['a'], ...extra });
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
    { section_number: 1, section_title: 'Basics', lessons: [lesson(1, 'Hello'), lesson(2, 'Types and traits'), lesson(3, 'Errors')] },
    { section_number: 3, section_title: 'Async', lessons: [lesson(1, 'Futures')] },
  ],
};

describe('structureDiff', () => {
  it('names changed course fields, sections and lessons', () => {
    const d = structureDiff(before, after);
    expect(d.course).toEqual([{ field: 'difficulty_level', before: 'beginner', after: 'intermediate' }]);
    expect(d.sections.map((s) => [s.number, s.change])).toEqual([
      [1, null],
      [2, 'removed'],
      [3, 'added'],
    ]);
    expect(d.sections[0].lessons.map((l) => [l.number, l.change, l.title])).toEqual([
      [2, 'changed', 'Types and traits'],
      [3, 'added', 'Errors'],
    ]);
    expect(d.sections[0].lessons[0].fields).toEqual([{ field: 'lesson_title', before: 'Types', after: 'Types and traits' }]);
    expect(changeCount(d)).toBe(5);
  });
  it('finds nothing in equal structures', () => {
    expect(changeCount(structureDiff(before, JSON.parse(JSON.stringify(before))))).toBe(0);
  });
});
