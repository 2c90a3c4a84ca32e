// The answers the simulated provider gives, one builder per task, shaped to pass the
// same schemas a real model's answers must pass. Deterministic for a given seed.
import type { ModelTask } from './model.types';
import { Prng } from './prng';
import { WORDS, Words } from './simulated.words';

type Ctx = Record<string, any>;

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1).trimEnd() : s);

function lang(ctx: Ctx): 'en' | 'ru' {
  return ctx.language === 'ru' ? 'ru' : 'en';
}

function subject(ctx: Ctx): string {
  return clip(String(ctx.courseTitle ?? 'the subject'), 120);
}

/** Reviewer reasons make a rerun deeper: more objectives and a note saying why. */
function depth(ctx: Ctx): { extra: number; note: string } {
  const reasons: string[] = Array.isArray(ctx.rejectionReasons) ? ctx.rejectionReasons : [];
  return reasons.length ? { extra: 1, note: ` Revised for: ${reasons.join(', ')}.` } : { extra: 0, note: '' };
}

function sentence(r: Prng, w: Words): string {
  return r.pick(w.sentences);
}

function analysis(r: Prng, ctx: Ctx, w: Words): Record<string, unknown> {
  const s = subject(ctx);
  const sections = Number(ctx.sectionsCount ?? 8);
  const level = r.pick(['beginner', 'intermediate', 'advanced'] as const);
  const phase1 = { category: clip(r.pick(['technology', 'business', 'science', 'humanities', 'personal development']), 100), contextual_language: `${s}: ${r.pick(w.topics)}`, audience: { level, description: `${r.pick(w.audience)} — ${s}` } };
  const phase2 = { recommended_structure: { sections_count: sections, lessons_per_section: 3, total_lessons: sections * 3 }, scope_instructions: `${sentence(r, w)} ${s}.${depth(ctx).note}` };
  const phase3 = { pedagogical_strategy: `${sentence(r, w)} ${sentence(r, w)}`, difficulty_progression: r.some(w.topics, 4).map((t) => `${s}: ${t}`) };
  const phase4 = { content_strategy: `${sentence(r, w)}${depth(ctx).note}`, topic_analysis: { key_topics: r.some(w.topics, 6).map((t) => `${t} (${s})`.slice(0, 200)), complexity: r.pick(['low', 'medium', 'high'] as const) } };
  switch (ctx.analysisPhase) {
    case 'phase_1_classifier': return phase1;
    case 'phase_2_scope': return phase2;
    case 'phase_3_expert': return phase3;
    case 'phase_4_synthesis': return phase4;
    default: return { ...phase1, ...phase2, ...phase3, ...phase4, research_flags: r.next() < 0.3 ? [`verify current facts about ${s}`] : [] };
  }
}

function metadata(r: Prng, ctx: Ctx, w: Words): Record<string, unknown> {
  const s = subject(ctx);
  const n = Math.min(20, Math.max(4, Number(ctx.sectionsCount ?? ctx.analysis?.recommended_structure?.sections_count ?? 8)));
  const kinds = r.some(w.sectionKinds, w.sectionKinds.length);
  return {
    course_title: clip(s, 200).padEnd(3, '.'),
    course_description: `${s}. ${sentence(r, w)}${depth(ctx).note}`,
    learning_outcomes: r.some(w.verbs, 4 + depth(ctx).extra).map((v, i) => `${v} ${w.topics[(i * 3) % w.topics.length]} — ${s}`),
    target_audience: r.pick(w.audience),
    difficulty: r.pick(['beginner', 'intermediate', 'advanced'] as const),
    estimated_duration_hours: n * 2,
    prerequisites: r.next() < 0.5 ? [] : [`${r.pick(w.topics)}`],
    sections_outline: Array.from({ length: n }, (_, i) => ({
      section_number: i + 1,
      title: clip(`${kinds[i % kinds.length]} ${s}`, 200),
      description: `${sentence(r, w)} (${i + 1}/${n})`,
    })),
  };
}

function section(r: Prng, ctx: Ctx, w: Words): Record<string, unknown> {
  const s = subject(ctx);
  const number = Number(ctx.sectionNumber ?? ctx.sectionOutline?.section_number ?? 1);
  const sectionTitle = clip(String(ctx.sectionOutline?.title ?? `${r.pick(w.sectionKinds)} ${s}`), 200);
  const count = r.int(3, 4);
  const lessons = Array.from({ length: count }, (_, i) => ({
    lesson_number: i + 1,
    lesson_title: clip(`${r.pick(w.lessonKinds)} ${r.pick(w.topics)} (${number}.${i + 1})`, 200),
    lesson_objectives: r.some(w.verbs, 2 + depth(ctx).extra).map((v) => `${v} ${r.pick(w.topics)}`),
    key_topics: r.some(w.topics, 3),
    estimated_duration_minutes: r.pick([10, 15, 20, 25, 30]),
    practical_exercises: [{ exercise_type: r.pick(['self_assessment', 'case_study', 'hands_on', 'discussion', 'quiz', 'simulation', 'reflection'] as const), exercise_title: clip(`${r.pick(w.exercise)} ${r.pick(w.topics)}`, 200), exercise_description: sentence(r, w) }],
  }));
  return {
    section_number: number,
    section_title: sectionTitle,
    section_description: `${sentence(r, w)}${depth(ctx).note}`,
    learning_objectives: r.some(w.verbs, 2).map((v) => `${v} ${r.pick(w.topics)}`),
    estimated_duration_minutes: lessons.reduce((n, l) => n + l.estimated_duration_minutes, 0),
    lessons,
  };
}

function validation(r: Prng, ctx: Ctx, w: Words): Record<string, unknown> {
  const n = Math.max(1, Math.min(20, Number(ctx.sectionsCount ?? 8)));
  return {
    sections: Array.from({ length: n }, (_, i) => ({ section_number: i + 1, score: Math.round((0.72 + r.next() * 0.25) * 100) / 100, notes: sentence(r, w) })),
    overall_notes: sentence(r, w),
  };
}

const esc = (s: string) => s.replace(/[{}<>&"'`\\]/g, ' ');

function lesson(r: Prng, ctx: Ctx, w: Words): Record<string, unknown> {
  const spec = ctx.lessonSpec ?? {};
  const title = esc(String(ctx.lessonTitle ?? spec.lesson_title ?? 'Lesson'));
  const objectives: string[] = (spec.lesson_objectives ?? r.some(w.verbs, 2)).map((o: string) => esc(o));
  const topics: string[] = (spec.key_topics ?? r.some(w.topics, 3)).map((t: string) => esc(t));
  const paragraphs = r.some(w.sentences, 3).map(esc);
  const tsx = [
    `import React, { useState } from 'react';`,
    ``,
    `const objectives: string[] = ${JSON.stringify(objectives)};`,
    ``,
    `export default function Lesson(): JSX.Element {`,
    `  const [checked, setChecked] = useState(false);`,
    `  return (`,
    `    <article className="lesson">`,
    `      <h1>${title}</h1>`,
    ...paragraphs.map((p) => `      <p>${p}</p>`),
    `      <h2>${lang(ctx) === 'ru' ? 'Цели' : 'Objectives'}</h2>`,
    `      <ul>{objectives.map((o) => <li key={o}>{o}</li>)}</ul>`,
    `      <h2>${lang(ctx) === 'ru' ? 'Темы' : 'Topics'}</h2>`,
    `      <ol>`,
    ...topics.map((t) => `        <li>${t}</li>`),
    `      </ol>`,
    // An interactive part, as a model-written lesson has: the preview runs real React.
    `      <button type="button" aria-expanded={checked} onClick={() => setChecked((c) => !c)}>`,
    `        {checked ? '${lang(ctx) === 'ru' ? 'Скрыть ответы' : 'Hide the answers'}' : '${lang(ctx) === 'ru' ? 'Проверьте себя' : 'Check yourself'}'}`,
    `      </button>`,
    `      {checked && <p className="answers">${lang(ctx) === 'ru' ? 'Вы можете' : 'You can now'}: {objectives.join('; ')}</p>}`,
    `    </article>`,
    `  );`,
    `}`,
  ].join('\n');
  return { tsx };
}

function summary(r: Prng, ctx: Ctx, w: Words): Record<string, unknown> {
  const text = String(ctx.documentText ?? '');
  const lines = text.split(/\n+/).map((l) => l.replace(/^#+\s*/, '').trim()).filter((l) => l.length > 3);
  return {
    summary: clip(`${ctx.documentName ?? 'Document'}: ${lines.slice(0, 3).join(' ') || sentence(r, w)}`, 4000),
    key_points: (lines.length ? lines.slice(0, 5) : [sentence(r, w)]).map((l) => clip(l, 500).padEnd(2, '.')),
  };
}

export const BUILDERS: Record<ModelTask, (r: Prng, ctx: Ctx, w: Words) => Record<string, unknown>> = {
  document_summary: summary,
  analysis_phase: analysis,
  structure_metadata: metadata,
  structure_section: section,
  structure_validation: validation,
  lesson_content: lesson,
};

export function simulatedAnswer(task: ModelTask, seed: string, ctx: Ctx): string {
  const r = new Prng(`${seed}|${task}`);
  return JSON.stringify(BUILDERS[task](r, ctx, WORDS[lang(ctx)]));
}
