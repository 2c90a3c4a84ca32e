// The 21 content styles of seed 004 (US4, "style-integrator.ts"): each one a guidance
// block — tone, structure, exercise types and an example — that the structure and lesson
// prompts carry, that the simulated provider writes by, and that the course page shows.
// English and Russian texts side by side (content-styles.json); prompts use the English
// block (the model is told separately which language to write in).
import type { ContentStyle } from './outputs/structure.schema';
import { CONTENT_STYLES, EXERCISE_TYPES } from './outputs/structure.schema';
import guides from './content-styles.json';

export type ExerciseType = (typeof EXERCISE_TYPES)[number];
type Both = { en: string; ru: string };

export interface StyleGuide {
  id: ContentStyle;
  name: Both;
  tone: Both;
  structure: Both;
  /** the exercise types lessons in this style favour, most typical first */
  exercises: ExerciseType[];
  example: Both;
  /** how a lesson title is phrased; `{t}` is the lesson's topic */
  title: Both;
  /** the headings a lesson in this style is made of, in order */
  blocks: { en: string[]; ru: string[] };
}

/**
 * The guidance blocks, one per style, in content-styles.json (texts a reader edits as
 * data). Read once at start-up and checked here: every style has its block, every text
 * both languages, and only known exercise types.
 */
export const STYLE_GUIDES: Record<ContentStyle, StyleGuide> = loadGuides(guides as Record<string, Omit<StyleGuide, 'id'>>);

function loadGuides(raw: Record<string, Omit<StyleGuide, 'id'>>): Record<ContentStyle, StyleGuide> {
  const both = (b: Both | undefined) => typeof b?.en === 'string' && b.en !== '' && typeof b?.ru === 'string' && b.ru !== '';
  const out = {} as Record<ContentStyle, StyleGuide>;
  for (const id of CONTENT_STYLES) {
    const g = raw[id];
    const ok =
      g &&
      [g.name, g.tone, g.structure, g.example, g.title].every(both) &&
      g.exercises.length > 0 &&
      g.exercises.every((e) => (EXERCISE_TYPES as readonly string[]).includes(e)) &&
      g.blocks.en.length > 0 &&
      g.blocks.en.length === g.blocks.ru.length;
    if (!ok) throw new Error(`content-styles.json: the style "${id}" is missing or incomplete`);
    out[id] = { id, ...g };
  }
  const unknown = Object.keys(raw).filter((k) => !(CONTENT_STYLES as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`content-styles.json: unknown styles ${unknown.join(', ')}`);
  return out;
}

export function styleGuide(style: string | null | undefined): StyleGuide {
  return STYLE_GUIDES[(CONTENT_STYLES as readonly string[]).includes(style ?? '') ? (style as ContentStyle) : 'conversational'];
}

/** The guidance block a prompt carries (English: the prompt says which language to write in). */
export function stylePrompt(style: string | null | undefined): string {
  const s = styleGuide(style);
  return [
    `Content style: ${s.name.en} (${s.id}).`,
    `Tone: ${s.tone.en}`,
    `Structure: ${s.structure.en}`,
    `Lesson parts, in order: ${s.blocks.en.join(' → ')}.`,
    `Exercise types to favour: ${s.exercises.join(', ')}.`,
    `Example of the voice: ${s.example.en.replace(/\{t\}/g, 'the topic')}`,
  ].join('\n');
}

/** The style as the course page shows it, in one language. */
export function styleView(style: string | null | undefined, lang: 'en' | 'ru') {
  const s = styleGuide(style);
  return {
    id: s.id,
    name: s.name[lang],
    tone: s.tone[lang],
    structure: s.structure[lang],
    exercises: s.exercises,
    example: s.example[lang].replace(/\{t\}/g, lang === 'ru' ? 'тема' : 'the topic'),
    parts: s.blocks[lang],
  };
}
