// The lexical score's calibration against seed 004's 0.75 threshold, on simulated
// courses scored as stage 5 scores them (jobs/phases/structure.jobs.ts qualityScores):
// a course against its own analysis passes, the same sections against another course's
// analysis fall far below.
import { simulatedAnswer } from '../llm/simulated.content';
import { calibrate, lexicalSimilarity } from './lexical-similarity';

const COURSES = [
  ['PostgreSQL for application developers', 'Indexes, transactions, query planning and replication', 'practical', 'en'],
  ['Intro to Statistics', 'Means, medians and doubt', 'socratic', 'en'],
  ['Основы статистики', 'Средние, медианы и дисперсия', 'academic', 'ru'],
  ['Kubernetes', '', 'gamified', 'en'],
] as const;

function generate([title, description, style, language]: (typeof COURSES)[number]) {
  const ctx = { courseTitle: title, description, language, style };
  const a = JSON.parse(simulatedAnswer('analysis_phase', 's', { ...ctx, analysisPhase: 'phase_5_assembly', documentSummaries: [] }));
  const m = JSON.parse(simulatedAnswer('structure_metadata', 's', { ...ctx, analysis: a }));
  const sections = m.sections_outline.map((o: any) =>
    JSON.parse(simulatedAnswer('structure_section', `s${o.section_number}`, { ...ctx, sectionOutline: o, sectionNumber: o.section_number, metadata: m })),
  );
  return {
    reference: [m.course_title, ...m.learning_outcomes, ...a.topic_analysis.key_topics, a.content_strategy, a.scope_instructions].join(' '),
    analysisText: [a.contextual_language, ...a.topic_analysis.key_topics, a.content_strategy, a.pedagogical_strategy, m.course_title].join(' '),
    metaText: [m.course_title, m.course_description, ...m.learning_outcomes, ...m.sections_outline.map((o: any) => o.title)].join(' '),
    sectionTexts: sections.map((s: any) =>
      [
        s.section_title,
        s.section_description,
        ...s.learning_objectives,
        ...s.lessons.flatMap((l: any) => [l.lesson_title, ...l.key_topics, ...l.lesson_objectives]),
      ].join(' '),
    ) as string[],
  };
}

const overall = (meta: number, sections: number[]) => 0.3 * meta + 0.7 * (sections.reduce((x, y) => x + y, 0) / sections.length);

describe('lexical score calibration', () => {
  it('maps the raw cosine monotonically, keeping 0 and 1', () => {
    expect(calibrate(0)).toBe(0);
    expect(calibrate(1)).toBe(1);
    expect(calibrate(0.5)).toBeCloseTo(0.823, 3);
    expect(calibrate(0.1)).toBeLessThan(0.25);
  });

  it('a course against its own analysis passes 0.75; against another course it does not come near', () => {
    const courses = COURSES.map(generate);
    courses.forEach((c, i) => {
      const own = overall(
        lexicalSimilarity(c.metaText, c.analysisText),
        c.sectionTexts.map((t) => lexicalSimilarity(t, c.reference)),
      );
      expect(own).toBeGreaterThanOrEqual(0.75);
      expect(own).toBeLessThan(0.97);
      const other = courses[(i + 1) % courses.length];
      const foreign = overall(
        lexicalSimilarity(c.metaText, other.analysisText),
        c.sectionTexts.map((t) => lexicalSimilarity(t, other.reference)),
      );
      expect(foreign).toBeLessThan(0.45);
    });
  });
});
