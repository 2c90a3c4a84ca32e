// The brief the simulated provider writes from, read out of what the prompt carries: the
// course's subject, audience and topics (title, description, document summaries, the
// analysis before it), its content style, and a reviewer's rejection (reasons and
// comment), which a rerun must visibly address — deeper for `too_shallow`, another
// audience for `wrong_audience`, strictly on the subject for `off_topic`, sources to
// check for `factual_errors`, a clear progression for `poor_structure`, and the
// comment's own topics for any reason.
import { styleGuide, type StyleGuide } from '../pipeline/content-styles';
import { commentAudience, commentTopics, dedupe, listedTopics, subjectOf } from './simulated.terms';

type Ctx = Record<string, any>;
export type Lang = 'en' | 'ru';
export type Level = 'beginner' | 'intermediate' | 'advanced';

export interface Brief {
  lang: Lang;
  style: StyleGuide;
  subject: string;
  audience: string;
  level: Level;
  /** the course's own topics, most specific first (comment, description, documents, analysis) */
  topics: string[];
  /** topics that come from the documents */
  documentTopics: string[];
  reasons: Set<string>;
  comment: string;
  commentTopics: string[];
  deep: boolean;
}

const BEGINNER = /newcomer|beginner|novice|first|new to|students|начина|новичк|студент/iu;

export function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1).trimEnd() : s;
}

export function cap(s: string): string {
  return s ? s[0].toLocaleUpperCase() + s.slice(1) : s;
}

function documentTopicsOf(ctx: Ctx): string[] {
  const summaries: any[] = Array.isArray(ctx.documentSummaries) ? ctx.documentSummaries : [];
  return dedupe(
    summaries
      .flatMap((s) => (Array.isArray(s?.key_points) ? s.key_points : []))
      .map((p: unknown) => String(p).replace(/\.$/, '').trim())
      .filter((p: string) => p.length >= 3 && p.length <= 80),
  );
}

function analysisTopics(ctx: Ctx): string[] {
  const a = ctx.analysis ?? ctx.earlier?.phase_4_synthesis ?? null;
  return Array.isArray(a?.topic_analysis?.key_topics) ? a.topic_analysis.key_topics.map(String) : [];
}

export function briefOf(ctx: Ctx): Brief {
  const lang: Lang = ctx.language === 'ru' ? 'ru' : 'en';
  const { subject, audience: titleAudience } = subjectOf(String(ctx.courseTitle ?? (lang === 'ru' ? 'предмет' : 'the subject')));
  const reasons = new Set<string>(Array.isArray(ctx.rejectionReasons) ? ctx.rejectionReasons.map(String) : []);
  const comment = String(ctx.rejectionComment ?? '').trim();
  const asked = comment ? commentTopics(comment) : [];
  const documentTopics = documentTopicsOf(ctx);
  const described = listedTopics(String(ctx.description ?? ''));
  const subjectKey = subject.toLowerCase();
  let topics = dedupe([...asked, ...described, ...documentTopics, ...analysisTopics(ctx)])
    .filter((t) => t.toLowerCase() !== subjectKey)
    .map((t) => clip(t, 80));
  if (reasons.has('off_topic')) {
    // Only what the course itself names: the title, the description, the documents, the comment.
    const own = new Set([...asked, ...described, ...documentTopics].map((t) => t.toLowerCase()));
    const kept = topics.filter((t) => own.has(t.toLowerCase()));
    if (kept.length >= 2) topics = kept;
  }
  const analysed = ctx.analysis?.audience?.description ?? ctx.earlier?.phase_1_classifier?.audience?.description;
  let audience = String(titleAudience ?? analysed ?? (lang === 'ru' ? `новички в теме «${subject}»` : `newcomers to ${subject}`));
  let level: Level = BEGINNER.test(audience) ? 'beginner' : titleAudience ? 'intermediate' : 'beginner';
  if (ctx.analysis?.audience?.level && !reasons.has('wrong_audience')) level = ctx.analysis.audience.level;
  if (reasons.has('wrong_audience')) {
    const named = comment ? commentAudience(comment) : null;
    const wasBeginner = level === 'beginner';
    audience =
      named ??
      (wasBeginner
        ? lang === 'ru'
          ? `практики, которые уже работают с «${subject}» каждый день`
          : `practitioners who already use ${subject} day to day`
        : lang === 'ru'
          ? `новички в теме «${subject}»`
          : `newcomers to ${subject}`);
    level = named ? (BEGINNER.test(named) ? 'beginner' : 'advanced') : wasBeginner ? 'advanced' : 'beginner';
  }
  return {
    lang,
    style: styleGuide(ctx.style),
    subject: clip(subject.trim() || (lang === 'ru' ? 'предмет' : 'the subject'), 100),
    audience: clip(audience, 300),
    level,
    topics,
    documentTopics,
    reasons,
    comment,
    commentTopics: asked,
    deep: reasons.has('too_shallow'),
  };
}

/** Topics for `n` items, filled with aspects of the subject when the course names too few. */
export function topicsFor(b: Brief, n: number): string[] {
  const fill =
    b.lang === 'ru'
      ? [
          'ключевые понятия',
          'типичные задачи',
          'инструменты',
          'частые ошибки',
          'производительность',
          'проверка результата',
          'лучшие практики',
          'сложные случаи',
        ]
      : ['core concepts', 'everyday tasks', 'tooling', 'common mistakes', 'performance', 'checking results', 'good practice', 'hard cases'];
  const out = [...b.topics];
  for (let i = 0; out.length < n && i < fill.length; i++) out.push(fill[i]);
  while (out.length < n) out.push(`${fill[out.length % fill.length]} ${out.length + 1}`);
  return out;
}

/** "indexes in PostgreSQL" unless the topic names the subject already. */
export function inSubject(b: Brief, topic: string): string {
  return topic.toLowerCase().includes(b.subject.toLowerCase()) ? topic : b.lang === 'ru' ? `${topic} (${b.subject})` : `${topic} in ${b.subject}`;
}

/** Sentences a rerun adds to say how it answered the review. */
export function revisionNote(b: Brief): string {
  if (!b.reasons.size && !b.comment) return '';
  const en: Record<string, string> = {
    too_shallow: 'Goes deeper: more lessons per section, higher-order objectives and advanced subtopics.',
    wrong_audience: `Rewritten for ${b.audience}.`,
    off_topic: `Kept strictly to ${b.subject}: ${b.topics.slice(0, 4).join(', ')}.`,
    factual_errors: 'Every claim is tied to a source to check it against.',
    poor_structure: 'Reordered as a progression: foundations, then practice, then advanced topics; each part builds on the one before.',
    other: 'Revised as the reviewer asked.',
  };
  const ru: Record<string, string> = {
    too_shallow: 'Глубже: больше уроков в разделе, цели высшего уровня и углублённые подтемы.',
    wrong_audience: `Переписано для аудитории: ${b.audience}.`,
    off_topic: `Строго по теме «${b.subject}»: ${b.topics.slice(0, 4).join(', ')}.`,
    factual_errors: 'Каждое утверждение привязано к источнику для проверки.',
    poor_structure: 'Перестроено как последовательность: основы, практика, углублённые темы; каждая часть опирается на предыдущую.',
    other: 'Исправлено по замечаниям рецензента.',
  };
  const t = b.lang === 'ru' ? ru : en;
  const parts = [...b.reasons].map((r) => t[r] ?? t.other);
  if (b.comment)
    parts.push(b.lang === 'ru' ? `Замечание рецензента учтено: «${clip(b.comment, 200)}».` : `Reviewer's comment addressed: "${clip(b.comment, 200)}".`);
  return ` ${parts.join(' ')}`;
}
