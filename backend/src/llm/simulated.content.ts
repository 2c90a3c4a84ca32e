// The answers the simulated provider gives, one builder per task, shaped to pass the
// same schemas a real model's answers must pass, and written from the prompt's brief
// (simulated.brief.ts): the course's own subject and topics, its style's tone, parts
// and exercise types, and what a reviewer's rejection asked for. Deterministic for a
// given seed; the seed (run included) varies only the choices, never the subject.
import type { ModelTask } from './model.types';
import { Prng } from './prng';
import { Brief, briefOf, cap, clip, inSubject, revisionNote, topicsFor } from './simulated.brief';
import { dedupe, headingsOf, keyTerms } from './simulated.terms';
import type { ExerciseType } from '../pipeline/content-styles';

type Ctx = Record<string, any>;
const T = (b: Brief, en: string, ru: string) => (b.lang === 'ru' ? ru : en);
const fill = (template: string, t: string) => template.replace(/\{t\}/g, t);

const VERBS = {
  en: { base: ['Explain', 'Apply', 'Compare', 'Describe'], deep: ['Analyse', 'Evaluate', 'Design', 'Troubleshoot'] },
  ru: { base: ['Объяснить', 'Применить', 'Сравнить', 'Описать'], deep: ['Проанализировать', 'Оценить', 'Спроектировать', 'Диагностировать'] },
};

function verbs(b: Brief, n: number): string[] {
  const v = VERBS[b.lang];
  return (b.deep ? [...v.deep, ...v.base] : v.base).slice(0, n);
}

function objective(b: Brief, verb: string, topic: string): string {
  const o = `${verb} ${inSubject(b, topic)}`;
  return clip(b.reasons.has('wrong_audience') ? T(b, `${o}, for ${b.audience}`, `${o} — для аудитории: ${b.audience}`) : o, 500);
}

function analysis(r: Prng, ctx: Ctx, b: Brief): Record<string, unknown> {
  const s = b.subject;
  const topics = topicsFor(b, 4);
  const sections = b.deep ? 10 : Number(ctx.sectionsCount ?? 8);
  const perSection = b.deep ? 4 : 3;
  const tech = /sql|code|program|data|software|cloud|python|java|script|postgres|api|web|linux|network|devops|machine learning/i.test(
    `${ctx.courseTitle} ${ctx.description}`,
  );
  const phase1 = {
    category: tech ? 'technology' : r.pick(['business', 'science', 'humanities', 'personal development']),
    contextual_language: clip(T(b, `${s} for ${b.audience}`, `${s} — для аудитории: ${b.audience}`), 200),
    audience: { level: b.level, description: b.audience },
  };
  const scope =
    T(b, `Cover ${s} through ${topics.slice(0, 6).join(', ')}.`, `Охватить «${s}» через темы: ${topics.slice(0, 6).join(', ')}.`) +
    (b.reasons.has('off_topic') ? T(b, ` Leave out anything that is not about ${s}.`, ` Не выходить за пределы темы «${s}».`) : '');
  const phase2 = {
    recommended_structure: { sections_count: sections, lessons_per_section: perSection, total_lessons: sections * perSection },
    scope_instructions: clip(scope + revisionNote(b), 2000),
  };
  const phase3 = {
    pedagogical_strategy: clip(`${b.style.structure[b.lang]} ${b.style.tone[b.lang]}`, 2000),
    difficulty_progression: topics.slice(0, Math.max(2, Math.min(10, topics.length))).map((t, i) => clip(`${i + 1}. ${cap(inSubject(b, t))}`, 300)),
  };
  const keyTopics = dedupe([...b.topics, ...topics])
    .slice(0, 30)
    .map((t) => clip(t, 200));
  const phase4 = {
    content_strategy: clip(
      T(
        b,
        `${b.style.name.en} style: ${b.style.tone.en} Exercises: ${b.style.exercises.join(', ')}.`,
        `Стиль «${b.style.name.ru}»: ${b.style.tone.ru} Упражнения: ${b.style.exercises.join(', ')}.`,
      ) + revisionNote(b),
      2000,
    ),
    topic_analysis: {
      key_topics: keyTopics.length >= 3 ? keyTopics : topicsFor(b, 3),
      complexity: b.level === 'advanced' ? ('high' as const) : b.deep ? ('high' as const) : ('medium' as const),
    },
  };
  const flags = b.reasons.has('factual_errors')
    ? topics
        .slice(0, 3)
        .map((t) =>
          clip(
            T(
              b,
              `verify claims about ${inSubject(b, t)} against ${b.documentTopics.length ? 'the course documents' : `the official ${s} documentation`}`,
              `проверить утверждения о «${t}» по ${b.documentTopics.length ? 'документам курса' : 'официальной документации'}`,
            ),
            300,
          ),
        )
    : [];
  switch (ctx.analysisPhase) {
    case 'phase_1_classifier':
      return phase1;
    case 'phase_2_scope':
      return phase2;
    case 'phase_3_expert':
      return phase3;
    case 'phase_4_synthesis':
      return phase4;
    default:
      return { ...phase1, ...phase2, ...phase3, ...phase4, research_flags: flags };
  }
}

const PROGRESSION = {
  en: ['foundations', 'core techniques', 'in practice', 'patterns', 'going further', 'advanced', 'at scale', 'review'],
  ru: ['основы', 'ключевые приёмы', 'на практике', 'шаблоны', 'дальше', 'углублённо', 'в масштабе', 'обзор'],
};

function metadata(r: Prng, ctx: Ctx, b: Brief): Record<string, unknown> {
  const s = b.subject;
  const wanted = Number(ctx.sectionsCount ?? ctx.analysis?.recommended_structure?.sections_count ?? 8);
  const n = Math.min(20, Math.max(4, b.deep ? Math.max(wanted, 10) : wanted));
  const topics = topicsFor(b, n);
  const ordered = b.reasons.has('poor_structure') ? topics : r.some(topics.slice(0, n), n);
  const outline = Array.from({ length: n }, (_, i) => {
    const topic = ordered[i];
    const related = topics.filter((t) => t !== topic).slice(i % 3, (i % 3) + 2);
    const stage = PROGRESSION[b.lang][Math.min(PROGRESSION.en.length - 1, Math.floor((i * PROGRESSION.en.length) / n))];
    const title = b.reasons.has('poor_structure')
      ? T(b, `Part ${i + 1} of ${n}: ${cap(inSubject(b, topic))} — ${stage}`, `Часть ${i + 1} из ${n}: ${cap(inSubject(b, topic))} — ${stage}`)
      : `${cap(inSubject(b, topic))}: ${stage}`;
    const builds = b.reasons.has('poor_structure') && i > 0 ? T(b, ` Builds on part ${i}.`, ` Опирается на часть ${i}.`) : '';
    return {
      section_number: i + 1,
      title: clip(title, 200),
      description: clip(
        T(
          b,
          `${cap(topic)} for ${b.audience}.${builds} Focus: ${[topic, ...related].join('; ')}.`,
          `${cap(topic)} — для аудитории: ${b.audience}.${builds} Фокус: ${[topic, ...related].join('; ')}.`,
        ),
        3000,
      ),
    };
  });
  const outcomes = verbs(b, b.deep ? 6 : 4).map((v, i) => objective(b, v, topics[i % topics.length]));
  return {
    course_title: clip(String(ctx.courseTitle ?? s), 200).padEnd(3, '.'),
    course_description: clip(
      `${String(ctx.description ?? '').trim() || s}. ${T(b, `Covers ${topics.slice(0, 5).join(', ')}, in a ${b.style.name.en.toLowerCase()} style.`, `Темы: ${topics.slice(0, 5).join(', ')}; стиль — ${b.style.name.ru.toLowerCase()}.`)}${revisionNote(b)}`,
      3000,
    ),
    learning_outcomes: outcomes,
    target_audience: b.audience,
    difficulty: b.deep && b.level === 'beginner' ? 'intermediate' : b.level,
    estimated_duration_hours: n * (b.deep ? 3 : 2),
    prerequisites: b.level === 'beginner' ? [] : [clip(T(b, `working knowledge of ${s}`, `базовое знание темы «${s}»`), 300)],
    sections_outline: outline,
  };
}

const ASPECTS = {
  en: ['the basics of {t}', '{t} in practice', 'common mistakes with {t}', 'trade-offs of {t}', 'troubleshooting {t}', 'advanced {t}', '{t} at scale'],
  ru: ['{t}: основы', '{t} на практике', 'частые ошибки: {t}', '{t}: компромиссы', 'диагностика: {t}', '{t}: углублённо', '{t} в масштабе'],
};
const DEEP = { en: ['internals of {t}', 'edge cases of {t}', 'measuring {t}'], ru: ['{t}: внутреннее устройство', '{t}: крайние случаи', '{t}: измерения'] };

function focusOf(outline: Ctx | undefined, b: Brief): string[] {
  const d = String(outline?.description ?? '');
  const m = /(?:Focus|Фокус):\s*(.+?)\.?$/u.exec(d);
  const list = m
    ? m[1]
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
  return list.length
    ? list
    : [
        String(outline?.title ?? b.subject)
          .replace(/^(Part|Часть) \d+ (of|из) \d+: /u, '')
          .split(/:| — /)[0]
          .trim() || b.subject,
      ];
}

function section(r: Prng, ctx: Ctx, b: Brief): Record<string, unknown> {
  const number = Number(ctx.sectionNumber ?? ctx.sectionOutline?.section_number ?? 1);
  const focus = focusOf(ctx.sectionOutline, b);
  const main = focus[0];
  const base = r.int(3, 4);
  const count = Math.min(10, base + (b.deep ? 2 : 0));
  const aspects = [...ASPECTS[b.lang], ...(b.deep ? DEEP[b.lang] : [])];
  const lessonTopics = dedupe([fill(aspects[0], main), ...focus.slice(1), ...aspects.slice(1).map((a) => fill(a, main))]);
  const ex: ExerciseType[] = b.style.exercises;
  const lessons = Array.from({ length: count }, (_, i) => {
    const topic = lessonTopics[i % lessonTopics.length];
    const deeper = b.deep ? DEEP[b.lang].map((a) => fill(a, main)).slice(0, 2) : [];
    return {
      lesson_number: i + 1,
      lesson_title: clip(cap(fill(b.style.title[b.lang], topic)), 200).padEnd(3, '.'),
      lesson_objectives: verbs(b, b.deep ? 4 : 2).map((v) => objective(b, v, topic)),
      key_topics: dedupe([topic, inSubject(b, main), ...focus.slice(1, 3), ...deeper])
        .map((t) => clip(t, 200))
        .filter((t) => t.length >= 2)
        .slice(0, 12),
      estimated_duration_minutes: b.deep ? r.pick([25, 30, 35]) : b.style.id === 'microlearning' ? 5 : r.pick([10, 15, 20]),
      practical_exercises: Array.from({ length: b.deep ? 2 : 1 }, (_, k) => {
        const type = ex[(i + k) % ex.length];
        return {
          exercise_type: type,
          exercise_title: clip(`${cap(EXERCISE_LABEL[b.lang][type])}: ${topic}`, 200),
          exercise_description: clip(fill(b.style.example[b.lang], topic), 1000),
        };
      }),
    };
  });
  const note = revisionNote(b);
  return {
    section_number: number,
    section_title: clip(String(ctx.sectionOutline?.title ?? cap(inSubject(b, main))), 200).padEnd(3, '.'),
    section_description: clip(`${String(ctx.sectionOutline?.description ?? cap(main))}${note}`, 3000).padEnd(2, '.'),
    learning_objectives: verbs(b, b.deep ? 4 : 2).map((v, i) => objective(b, v, focus[i % focus.length])),
    estimated_duration_minutes: lessons.reduce((n, l) => n + l.estimated_duration_minutes, 0),
    lessons,
  };
}

const EXERCISE_LABEL: Record<'en' | 'ru', Record<ExerciseType, string>> = {
  en: {
    self_assessment: 'self-check',
    case_study: 'case study',
    hands_on: 'hands-on',
    discussion: 'discussion',
    quiz: 'quiz',
    simulation: 'simulation',
    reflection: 'reflection',
  },
  ru: {
    self_assessment: 'самопроверка',
    case_study: 'кейс',
    hands_on: 'практика',
    discussion: 'обсуждение',
    quiz: 'тест',
    simulation: 'симуляция',
    reflection: 'рефлексия',
  },
};

function validation(r: Prng, ctx: Ctx, b: Brief): Record<string, unknown> {
  const sections: any[] = Array.isArray(ctx.sections) ? ctx.sections : [];
  const n = Math.max(1, Math.min(20, Number(ctx.sectionsCount ?? sections.length ?? 8)));
  return {
    sections: Array.from({ length: n }, (_, i) => {
      const s = sections[i];
      const lessons = Array.isArray(s?.lessons) ? s.lessons.length : 3;
      return {
        section_number: i + 1,
        score: Math.round(Math.min(0.99, 0.72 + r.next() * 0.2 + (lessons >= 4 ? 0.05 : 0)) * 100) / 100,
        notes: clip(
          T(
            b,
            `"${s?.section_title ?? `Section ${i + 1}`}": ${lessons} lessons serve the outcomes on ${b.subject}.`,
            `«${s?.section_title ?? `Раздел ${i + 1}`}»: ${lessons} урока(ов) по теме «${b.subject}».`,
          ),
          1000,
        ),
      };
    }),
    overall_notes: clip(
      T(
        b,
        `The structure covers ${b.subject} for ${b.audience} in the ${b.style.name.en.toLowerCase()} style.`,
        `Структура охватывает «${b.subject}» для аудитории «${b.audience}» в стиле «${b.style.name.ru.toLowerCase()}».`,
      ),
      2000,
    ),
  };
}

const esc = (s: string) =>
  s
    .replace(/[{}<>&"'`\\]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

function lesson(r: Prng, ctx: Ctx, b: Brief): Record<string, unknown> {
  const spec = ctx.lessonSpec ?? {};
  const title = String(ctx.lessonTitle ?? spec.lesson_title ?? b.subject);
  const topics: string[] = Array.isArray(spec.key_topics) && spec.key_topics.length ? spec.key_topics.map(String) : topicsFor(b, 3);
  const objectives: string[] =
    Array.isArray(spec.lesson_objectives) && spec.lesson_objectives.length
      ? spec.lesson_objectives.map(String)
      : verbs(b, 2).map((v) => objective(b, v, topics[0]));
  const main = topics[0];
  const parts = b.style.blocks[b.lang];
  const body = (i: number): string => {
    if (i === 0) return fill(b.style.example[b.lang], main).replace(/^["«]|["»]$/g, '');
    if (i === parts.length - 1) {
      const exercise = spec.practical_exercises?.[0];
      return exercise
        ? `${exercise.exercise_title}. ${exercise.exercise_description}`
        : T(b, `Check yourself: ${objectives[0]}.`, `Проверьте себя: ${objectives[0]}.`);
    }
    const t = topics[i % topics.length];
    return T(
      b,
      `${cap(t)}: what it is, where it shows up in ${b.subject}, and how ${b.audience} use it.`,
      `${cap(t)}: что это, где встречается в теме «${b.subject}» и как это применяют (${b.audience}).`,
    );
  };
  const blocks: { heading: string; text: string }[] = parts.map((h, i) => ({ heading: h, text: body(i) }));
  if (b.deep)
    blocks.splice(blocks.length - 1, 0, {
      heading: T(b, 'Going deeper', 'Глубже'),
      text: topics
        .slice(1)
        .map((t) => T(b, `${cap(t)}: the mechanism behind it and the edge cases that break it.`, `${cap(t)}: механизм и крайние случаи.`))
        .join(' '),
    });
  if (b.reasons.has('wrong_audience'))
    blocks.unshift({
      heading: T(b, 'Who this lesson is for', 'Для кого этот урок'),
      text: T(b, `Written for ${b.audience}.`, `Для аудитории: ${b.audience}.`),
    });
  if (b.reasons.has('factual_errors'))
    blocks.push({
      heading: T(b, 'Check the facts', 'Проверьте факты'),
      text: T(
        b,
        `Each statement about ${main} is checked against the course documents and the ${b.subject} documentation.`,
        `Каждое утверждение о «${main}» сверено с документами курса и документацией.`,
      ),
    });
  if (b.reasons.has('poor_structure'))
    blocks.unshift({
      heading: T(b, 'Where this fits', 'Место в курсе'),
      text: T(
        b,
        `Lesson ${spec.lesson_number ?? 1} of section ${ctx.sectionNumber ?? 1}: it builds on the lesson before and prepares the next.`,
        `Урок ${spec.lesson_number ?? 1} раздела ${ctx.sectionNumber ?? 1}: опирается на предыдущий и готовит следующий.`,
      ),
    });
  if (b.comment) blocks.push({ heading: T(b, 'Revised after review', 'Исправлено после рецензии'), text: revisionNote(b).trim() });
  const tsx = [
    `import React, { useState } from 'react';`,
    ``,
    `const objectives: string[] = ${JSON.stringify(objectives.map(esc))};`,
    ``,
    `export default function Lesson(): JSX.Element {`,
    `  const [checked, setChecked] = useState(false);`,
    `  return (`,
    `    <article className="lesson" data-style="${b.style.id}">`,
    `      <h1>${esc(title)}</h1>`,
    `      <h2>${T(b, 'Objectives', 'Цели')}</h2>`,
    `      <ul>{objectives.map((o) => <li key={o}>{o}</li>)}</ul>`,
    ...blocks.flatMap((x) => [`      <section>`, `        <h2>${esc(x.heading)}</h2>`, `        <p>${esc(x.text)}</p>`, `      </section>`]),
    // An interactive part, as a model-written lesson has: the preview runs real React.
    `      <button type="button" aria-expanded={checked} onClick={() => setChecked((c) => !c)}>`,
    `        {checked ? '${T(b, 'Hide the answers', 'Скрыть ответы')}' : '${T(b, 'Check yourself', 'Проверьте себя')}'}`,
    `      </button>`,
    `      {checked && <p className="answers">${T(b, 'You can now', 'Вы можете')}: {objectives.join('; ')}</p>}`,
    `    </article>`,
    `  );`,
    `}`,
  ].join('\n');
  return { tsx };
}

function summary(r: Prng, ctx: Ctx, b: Brief): Record<string, unknown> {
  const text = String(ctx.documentText ?? '');
  const headings = headingsOf(text);
  const terms = keyTerms(text, 8).filter((t) => !headings.some((h) => h.toLowerCase() === t.toLowerCase()));
  const firstLines = text
    .split(/\n+/)
    .map((l) =>
      l
        .replace(/^#+\s*/, '')
        .replace(/<[^>]+>/g, ' ')
        .trim(),
    )
    .filter((l) => l.length > 3)
    .slice(0, 2);
  const points = dedupe([...headings.slice(0, 12), ...terms.slice(0, 6)]);
  return {
    summary: clip(
      T(
        b,
        `${ctx.documentName ?? 'Document'}: ${firstLines.join(' ')} It covers ${headings.slice(0, 6).join('; ') || b.subject}. Key terms: ${terms.slice(0, 6).join(', ') || b.subject}.`,
        `${ctx.documentName ?? 'Документ'}: ${firstLines.join(' ')} Разделы: ${headings.slice(0, 6).join('; ') || b.subject}. Ключевые термины: ${terms.slice(0, 6).join(', ') || b.subject}.`,
      ),
      4000,
    ),
    key_points: (points.length ? points : [b.subject]).map((l) => clip(l, 500).padEnd(2, '.')),
  };
}

export const BUILDERS: Record<ModelTask, (r: Prng, ctx: Ctx, b: Brief) => Record<string, unknown>> = {
  document_summary: summary,
  analysis_phase: analysis,
  structure_metadata: metadata,
  structure_section: section,
  structure_validation: validation,
  lesson_content: lesson,
};

export function simulatedAnswer(task: ModelTask, seed: string, ctx: Ctx): string {
  const r = new Prng(`${seed}|${task}`);
  return JSON.stringify(BUILDERS[task](r, ctx, briefOf(ctx)));
}
