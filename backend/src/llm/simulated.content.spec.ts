import { AnalysisResultSchema, CourseMetadataSchema, DocumentSummarySchema, SectionSchema } from '../pipeline/outputs';
import { messages } from '../jobs/phases/prompts';
import type { PhaseContext } from '../jobs/phase.types';
import { simulatedAnswer } from './simulated.content';

const COURSE = { courseTitle: 'PostgreSQL for application developers', description: 'Indexes, transactions, query planning and replication', language: 'en' };
const DOC =
  '# MVCC and vacuum\nPostgreSQL keeps row versions; vacuum removes dead tuples. MVCC gives each transaction a snapshot.\n## Write-ahead log\nThe WAL records every change before it reaches the data files.\n## Connection pooling\nPgBouncer pools connections.';

/** One course through the simulated answers of stages 3-6: summary, analysis, metadata, first section, first lesson. */
function course(ctx: Record<string, unknown>, seed = 'c1-r1') {
  const summary = DocumentSummarySchema.parse(JSON.parse(simulatedAnswer('document_summary', seed, { ...ctx, documentName: 'guide.md', documentText: DOC })));
  const analysis = AnalysisResultSchema.parse(
    JSON.parse(simulatedAnswer('analysis_phase', seed, { ...ctx, analysisPhase: 'phase_5_assembly', documentSummaries: [summary] })),
  );
  const metadata = CourseMetadataSchema.parse(JSON.parse(simulatedAnswer('structure_metadata', seed, { ...ctx, analysis })));
  const sections = metadata.sections_outline.map((o) =>
    SectionSchema.parse(
      JSON.parse(simulatedAnswer('structure_section', `${seed}-${o.section_number}`, { ...ctx, sectionOutline: o, sectionNumber: o.section_number, metadata })),
    ),
  );
  const first = sections[0].lessons[0];
  const { tsx } = JSON.parse(simulatedAnswer('lesson_content', seed, { ...ctx, lessonSpec: first, lessonTitle: first.lesson_title, sectionNumber: 1 })) as {
    tsx: string;
  };
  const lessons = sections.flatMap((s) => s.lessons);
  return { summary, analysis, metadata, sections, lessons, tsx };
}

const phaseCtx = (style: string, rejection: { reasons: string[]; comment: string } | null = null) =>
  ({
    course: {
      id: 'c',
      organization_id: 'o',
      title: COURSE.courseTitle,
      description: COURSE.description,
      language: 'en',
      content_style: style,
      rejection: rejection && { stage: 5, ...rejection },
    },
    rerun: !!rejection,
  }) as unknown as PhaseContext;

describe('simulated content is written from the prompt', () => {
  it('talks about the course subject: terms of the title, the description and the documents', () => {
    const c = course({ ...COURSE, style: 'practical' });
    expect(c.summary.key_points).toEqual(expect.arrayContaining(['MVCC and vacuum', 'Write-ahead log', 'Connection pooling']));
    expect(c.analysis.topic_analysis.key_topics).toEqual(
      expect.arrayContaining(['Indexes', 'transactions', 'query planning', 'replication', 'Write-ahead log']),
    );
    expect(c.analysis.audience.description).toBe('application developers');
    const outline = c.metadata.sections_outline.map((o) => o.title).join(' | ');
    for (const term of ['Indexes', 'Transactions', 'Replication', 'Write-ahead log']) expect(outline).toContain(term);
    expect(c.lessons.length).toBeGreaterThanOrEqual(10);
    for (const l of c.lessons) expect([...l.lesson_objectives, ...l.key_topics].join(' ')).toContain('PostgreSQL');
    expect(c.lessons.map((l) => l.lesson_title).join(' ')).not.toMatch(/Understanding real-world cases|\(\d\.\d\)/);
    expect(c.tsx).toContain('PostgreSQL');
  });

  it('is the same for the same seed', () => {
    expect(course({ ...COURSE, style: 'practical' })).toEqual(course({ ...COURSE, style: 'practical' }));
  });

  it('two styles give different prompts and different output', () => {
    const socratic = messages(phaseCtx('socratic'), 'Write this section.', {});
    const gamified = messages(phaseCtx('gamified'), 'Write this section.', {});
    expect(socratic[0].content).toContain('Content style: Socratic (socratic)');
    expect(socratic[0].content).toContain('Exercise types to favour: discussion, reflection, self_assessment');
    expect(gamified[0].content).toContain('Content style: Gamified (gamified)');
    expect(gamified[0].content).toContain('Mission briefing');
    expect(socratic[0].content).not.toEqual(gamified[0].content);

    const a = course({ ...COURSE, style: 'socratic' });
    const b = course({ ...COURSE, style: 'gamified' });
    expect(a.lessons[0].lesson_title).toMatch(/^What is really going on with .+\?$/);
    expect(b.lessons[0].lesson_title).toMatch(/^Challenge: /);
    expect(new Set(a.lessons.flatMap((l) => l.practical_exercises.map((e) => e.exercise_type)))).toEqual(
      new Set(['discussion', 'reflection', 'self_assessment']),
    );
    expect(new Set(b.lessons.flatMap((l) => l.practical_exercises.map((e) => e.exercise_type)))).toEqual(new Set(['quiz', 'simulation', 'hands_on']));
    expect(a.tsx).toContain('<h2>The question</h2>');
    expect(b.tsx).toContain('<h2>Boss challenge</h2>');
    expect(a.analysis.pedagogical_strategy).not.toEqual(b.analysis.pedagogical_strategy);
  });

  it('writes Russian from the Russian style block', () => {
    const ru = course({ ...COURSE, language: 'ru', style: 'coaching' });
    expect(ru.tsx).toContain('<h2>Ваша цель</h2>');
    expect(ru.lessons[0].lesson_title).toMatch(/^Ваш следующий шаг: /);
  });
});

describe('a rerun visibly addresses the rejection', () => {
  const before = course({ ...COURSE, style: 'practical' });
  const rerun = (reasons: string[], comment = '') => course({ ...COURSE, style: 'practical', rejectionReasons: reasons, rejectionComment: comment }, 'c1-r2');

  it('too_shallow: more sections and lessons, more and higher-order objectives, a "going deeper" part', () => {
    const after = rerun(['too_shallow']);
    expect(after.metadata.sections_outline.length).toBeGreaterThan(before.metadata.sections_outline.length);
    expect(after.lessons.length).toBeGreaterThan(before.lessons.length + 10);
    const perSection = (c: typeof before) => c.lessons.length / c.sections.length;
    expect(perSection(after)).toBeGreaterThan(perSection(before) + 1.5);
    expect(after.lessons[0].lesson_objectives.length).toBeGreaterThan(before.lessons[0].lesson_objectives.length);
    expect(after.lessons[0].lesson_objectives.join(' ')).toMatch(/Analyse|Evaluate|Design/);
    expect(after.analysis.recommended_structure.lessons_per_section).toBeGreaterThan(before.analysis.recommended_structure.lessons_per_section);
    expect(after.tsx).toContain('Going deeper');
  });

  it('wrong_audience: another audience in the metadata, objectives and lessons (the one the comment names, if any)', () => {
    const flipped = rerun(['wrong_audience']);
    expect(before.metadata.target_audience).toBe('application developers');
    expect(flipped.metadata.target_audience).toBe('newcomers to PostgreSQL');
    expect(flipped.metadata.difficulty).toBe('beginner');
    expect(flipped.lessons[0].lesson_objectives[0]).toContain('for newcomers to PostgreSQL');
    expect(flipped.tsx).toContain('Who this lesson is for');
    const named = rerun(['wrong_audience'], 'This should be for database administrators.');
    expect(named.metadata.target_audience).toBe('database administrators');
    expect(named.metadata.difficulty).toBe('advanced');
  });

  it('off_topic: only the topics the course names, nothing generic', () => {
    const after = rerun(['off_topic']);
    const own = ['indexes', 'transactions', 'query planning', 'replication', 'mvcc and vacuum', 'write-ahead log', 'connection pooling', 'mvcc', 'vacuum'];
    for (const t of after.analysis.topic_analysis.key_topics) expect(own).toContain(t.toLowerCase());
    expect(after.analysis.scope_instructions).toContain('Leave out anything that is not about PostgreSQL');
  });

  it('factual_errors: research flags and a fact-check part', () => {
    const after = rerun(['factual_errors']);
    expect(before.analysis.research_flags).toEqual([]);
    expect(after.analysis.research_flags.length).toBeGreaterThan(0);
    expect(after.analysis.research_flags[0]).toMatch(/^verify claims about .+ against the course documents$/);
    expect(after.tsx).toContain('Check the facts');
  });

  it('poor_structure: numbered parts in order, each building on the one before', () => {
    const after = rerun(['poor_structure']);
    after.metadata.sections_outline.forEach((o, i) => expect(o.title).toMatch(new RegExp(`^Part ${i + 1} of ${after.metadata.sections_outline.length}: `)));
    expect(after.metadata.sections_outline[1].description).toContain('Builds on part 1.');
    expect(after.tsx).toContain('Where this fits');
  });

  it('the comment: its topics come first and the revision says what it answered', () => {
    const after = rerun(['other'], 'Needs more on failover and logical decoding');
    expect(after.analysis.topic_analysis.key_topics.slice(0, 2)).toEqual(['failover', 'logical decoding']);
    expect(after.metadata.sections_outline.map((o) => o.title).join(' ')).toContain('Failover in PostgreSQL');
    expect(after.metadata.course_description).toContain('Reviewer\'s comment addressed: "Needs more on failover and logical decoding"');
    expect(after.tsx).toContain('Revised after review');
  });

  it('the rerun prompt names each reason with what it asks for', () => {
    const m = messages(phaseCtx('practical', { reasons: ['too_shallow', 'wrong_audience'], comment: 'too basic' }), 'x', {});
    expect(m[0].content).toContain('Reasons: too_shallow, wrong_audience. Comment: too basic.');
    expect(m[0].content).toContain('- too_shallow: go deeper');
    expect(m[0].content).toContain('- wrong_audience: rewrite for the audience');
  });
});

describe('answers pass their schemas for any course', () => {
  it.each(['B', '', 'x y', 'C++ for C'])('title %p', (title) => {
    const c = course({ courseTitle: title, description: '', language: 'en', style: 'minimalist' });
    expect(c.lessons.length).toBeGreaterThanOrEqual(10);
    expect(c.tsx.length).toBeGreaterThan(20);
  });
});
