// The 21 content styles of seed 004 (US4, "style-integrator.ts"): each one a guidance
// block — tone, structure, exercise types and an example — that the structure and lesson
// prompts carry, that the simulated provider writes by, and that the course page shows.
// English and Russian texts side by side; prompts use the English block (the model is
// told separately which language to write in).
import type { ContentStyle } from './outputs/structure.schema';
import { CONTENT_STYLES, EXERCISE_TYPES } from './outputs/structure.schema';

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

const g = (
  id: ContentStyle,
  name: Both,
  tone: Both,
  structure: Both,
  exercises: ExerciseType[],
  example: Both,
  title: Both,
  blocks: StyleGuide['blocks'],
): StyleGuide => ({ id, name, tone, structure, exercises, example, title, blocks });

export const STYLE_GUIDES: Record<ContentStyle, StyleGuide> = {
  academic: g(
    'academic',
    { en: 'Academic', ru: 'Академический' },
    {
      en: 'Precise, neutral and rigorous; terms defined before use, claims attributed to sources.',
      ru: 'Точный, нейтральный и строгий; термины определяются до употребления, утверждения опираются на источники.',
    },
    { en: 'Definition, theory, evidence, discussion, summary with references.', ru: 'Определение, теория, доказательства, обсуждение, итог со ссылками.' },
    ['self_assessment', 'discussion', 'reflection'],
    { en: '"{t} is defined as … ; the literature distinguishes three approaches."', ru: '«{t} определяется как …; в литературе выделяют три подхода.»' },
    { en: '{t}: definitions and theory', ru: '{t}: определения и теория' },
    {
      en: ['Definition', 'Theoretical background', 'Evidence', 'Discussion', 'Summary and references'],
      ru: ['Определение', 'Теоретическая основа', 'Доказательства', 'Обсуждение', 'Итоги и литература'],
    },
  ),
  conversational: g(
    'conversational',
    { en: 'Conversational', ru: 'Разговорный' },
    {
      en: 'Friendly and direct, addressing the learner as "you", short sentences, no jargon without an explanation.',
      ru: 'Дружелюбный и прямой, обращение на «вы», короткие фразы, никакого жаргона без пояснения.',
    },
    {
      en: 'A relatable opening, the idea in plain words, an everyday example, a quick check.',
      ru: 'Понятное вступление, идея простыми словами, бытовой пример, быстрая проверка.',
    },
    ['quiz', 'discussion', 'hands_on'],
    {
      en: '"You have probably met {t} already — let\'s see why it matters."',
      ru: '«Вы наверняка уже сталкивались с темой «{t}» — давайте разберёмся, почему это важно.»',
    },
    { en: 'Getting to know {t}', ru: 'Знакомимся: {t}' },
    {
      en: ['Why this matters to you', 'The idea in plain words', 'An everyday example', 'Quick check'],
      ru: ['Зачем это вам', 'Идея простыми словами', 'Пример из жизни', 'Быстрая проверка'],
    },
  ),
  storytelling: g(
    'storytelling',
    { en: 'Storytelling', ru: 'Повествовательный (истории)' },
    {
      en: 'Vivid and engaging; each concept arrives through a character facing a problem.',
      ru: 'Живой и увлекательный; каждое понятие приходит через героя, который решает проблему.',
    },
    {
      en: 'A story sets the scene, the conflict reveals the concept, the resolution teaches it, a moral sums it up.',
      ru: 'История задаёт сцену, конфликт раскрывает понятие, развязка учит ему, мораль подводит итог.',
    },
    ['case_study', 'reflection', 'discussion'],
    {
      en: '"When Maria\'s team first hit a problem with {t}, nobody knew where to start…"',
      ru: '«Когда команда Марии впервые столкнулась с проблемой «{t}», никто не знал, с чего начать…»',
    },
    { en: 'The story of {t}', ru: 'История о теме «{t}»' },
    { en: ['The scene', 'The conflict', 'The turning point', 'The moral'], ru: ['Завязка', 'Конфликт', 'Поворот', 'Мораль'] },
  ),
  practical: g(
    'practical',
    { en: 'Practical', ru: 'Практический' },
    {
      en: 'Action-first and concise; every idea ends in something the learner does.',
      ru: 'Сначала действие, кратко; каждая идея заканчивается тем, что учащийся делает сам.',
    },
    {
      en: 'Goal, step-by-step instructions, a worked example, common mistakes, a task to do now.',
      ru: 'Цель, пошаговая инструкция, разобранный пример, частые ошибки, задание прямо сейчас.',
    },
    ['hands_on', 'simulation', 'self_assessment'],
    {
      en: '"Step 1: set up {t}. Step 2: check the result against the expected output."',
      ru: '«Шаг 1: настройте «{t}». Шаг 2: сверьте результат с ожидаемым.»',
    },
    { en: '{t} step by step', ru: '{t}: шаг за шагом' },
    { en: ['Goal', 'Steps', 'Worked example', 'Common mistakes', 'Your task'], ru: ['Цель', 'Шаги', 'Разобранный пример', 'Частые ошибки', 'Ваше задание'] },
  ),
  socratic: g(
    'socratic',
    { en: 'Socratic', ru: 'Сократический' },
    {
      en: 'Questioning and patient; the text asks before it tells and lets the learner reason.',
      ru: 'Вопрошающий и терпеливый; текст сначала спрашивает, потом объясняет, давая учащемуся рассуждать.',
    },
    {
      en: "A guiding question, the learner's first guess, counter-questions, the reasoned answer, an open question.",
      ru: 'Наводящий вопрос, первая догадка, встречные вопросы, обоснованный ответ, открытый вопрос.',
    },
    ['discussion', 'reflection', 'self_assessment'],
    {
      en: '"What would change about {t} if we dropped one assumption? Why?"',
      ru: '«Что изменится в теме «{t}», если отказаться от одного допущения? Почему?»',
    },
    { en: 'What is really going on with {t}?', ru: 'Что на самом деле происходит: {t}?' },
    {
      en: ['The question', 'Your first answer', 'Questioning the answer', 'What we can conclude', 'A question to take away'],
      ru: ['Вопрос', 'Ваш первый ответ', 'Сомневаемся в ответе', 'Что можно заключить', 'Вопрос на потом'],
    },
  ),
  gamified: g(
    'gamified',
    { en: 'Gamified', ru: 'Игровой' },
    {
      en: 'Energetic and motivating; progress framed as levels, points and challenges.',
      ru: 'Энергичный и мотивирующий; прогресс — это уровни, очки и испытания.',
    },
    {
      en: 'A mission briefing, level-ups of rising difficulty, a boss challenge, rewards and a scoreboard.',
      ru: 'Брифинг миссии, уровни растущей сложности, финальное испытание, награды и таблица очков.',
    },
    ['quiz', 'simulation', 'hands_on'],
    { en: '"Level 2 unlocked: master {t} to earn 50 XP."', ru: '«Открыт уровень 2: освойте «{t}» и получите 50 XP.»' },
    { en: 'Challenge: {t}', ru: 'Испытание: {t}' },
    {
      en: ['Mission briefing', 'Level 1', 'Level 2', 'Boss challenge', 'Rewards'],
      ru: ['Брифинг миссии', 'Уровень 1', 'Уровень 2', 'Финальное испытание', 'Награды'],
    },
  ),
  minimalist: g(
    'minimalist',
    { en: 'Minimalist', ru: 'Минималистичный' },
    { en: 'Terse and essential; no filler, short bullets, one idea per line.', ru: 'Сжатый и по существу; без воды, короткие пункты, одна мысль на строку.' },
    { en: 'Key idea, three bullets, one example, one check.', ru: 'Ключевая идея, три пункта, один пример, одна проверка.' },
    ['quiz', 'self_assessment'],
    { en: '"{t}: what, why, how — in three lines."', ru: '«{t}: что, зачем, как — в трёх строках.»' },
    { en: '{t} in brief', ru: '{t} кратко' },
    { en: ['Key idea', 'Essentials', 'Check'], ru: ['Главное', 'Суть', 'Проверка'] },
  ),
  visual: g(
    'visual',
    { en: 'Visual', ru: 'Визуальный' },
    {
      en: 'Descriptive and spatial; ideas explained through diagrams, tables and comparisons.',
      ru: 'Описательный и наглядный; идеи объясняются схемами, таблицами и сравнениями.',
    },
    {
      en: 'A diagram described first, a comparison table, an annotated example, a visual recap.',
      ru: 'Сначала описание схемы, затем сравнительная таблица, пример с пометками, наглядное резюме.',
    },
    ['hands_on', 'quiz', 'simulation'],
    { en: '"Picture {t} as a pipeline: input on the left, results on the right."', ru: '«Представьте «{t}» как конвейер: вход слева, результат справа.»' },
    { en: '{t} at a glance', ru: '{t} наглядно' },
    {
      en: ['The picture', 'Side by side', 'Annotated example', 'Visual recap'],
      ru: ['Картина целиком', 'Сравнение', 'Пример с пометками', 'Наглядное резюме'],
    },
  ),
  case_based: g(
    'case_based',
    { en: 'Case-based', ru: 'На кейсах' },
    {
      en: 'Analytical and grounded; every principle is drawn out of a real situation.',
      ru: 'Аналитический и приземлённый; каждый принцип выводится из реальной ситуации.',
    },
    { en: 'The case, the facts, the decision to make, the analysis, the lessons learned.', ru: 'Кейс, факты, решение, которое нужно принять, анализ, выводы.' },
    ['case_study', 'discussion', 'reflection'],
    {
      en: '"A retailer\'s reporting broke after a change to {t}. What went wrong?"',
      ru: '«После изменения в «{t}» у ритейлера сломалась отчётность. Что пошло не так?»',
    },
    { en: 'Case: {t} in practice', ru: 'Кейс: {t} на практике' },
    { en: ['The case', 'The facts', 'The decision', 'Analysis', 'Lessons learned'], ru: ['Кейс', 'Факты', 'Решение', 'Анализ', 'Выводы'] },
  ),
  problem_based: g(
    'problem_based',
    { en: 'Problem-based', ru: 'Проблемно-ориентированный' },
    {
      en: 'Challenging and investigative; the learner meets the problem before the theory.',
      ru: 'Требовательный и исследовательский; учащийся встречает задачу раньше теории.',
    },
    {
      en: 'An open problem, what we know and need to know, investigation, a solution, reflection on the method.',
      ru: 'Открытая задача, что известно и что нужно узнать, исследование, решение, разбор метода.',
    },
    ['hands_on', 'case_study', 'reflection'],
    {
      en: '"Here is a slow system built on {t}. Find out why before reading on."',
      ru: '«Вот медленная система на основе «{t}». Выясните почему, прежде чем читать дальше.»',
    },
    { en: 'Problem: solving it with {t}', ru: 'Задача: решаем с помощью «{t}»' },
    {
      en: ['The problem', 'What we know', 'Investigation', 'A solution', 'Looking back'],
      ru: ['Задача', 'Что мы знаем', 'Исследование', 'Решение', 'Оглядываясь назад'],
    },
  ),
  project_based: g(
    'project_based',
    { en: 'Project-based', ru: 'Проектный' },
    {
      en: 'Purposeful and hands-on; each lesson adds a piece to one project the learner builds.',
      ru: 'Целеустремлённый и практический; каждый урок добавляет часть к проекту, который строит учащийся.',
    },
    {
      en: 'The milestone, what it needs, building it, testing it, what the project looks like now.',
      ru: 'Этап проекта, что для него нужно, сборка, проверка, как теперь выглядит проект.',
    },
    ['hands_on', 'simulation', 'self_assessment'],
    { en: '"Milestone 3: add {t} to your project and show it working."', ru: '«Этап 3: добавьте «{t}» в свой проект и покажите, что он работает.»' },
    { en: 'Milestone: building {t}', ru: 'Этап проекта: {t}' },
    {
      en: ['Milestone', 'What you need', 'Build it', 'Test it', 'Project status'],
      ru: ['Этап', 'Что понадобится', 'Соберите', 'Проверьте', 'Состояние проекта'],
    },
  ),
  microlearning: g(
    'microlearning',
    { en: 'Microlearning', ru: 'Микрообучение' },
    { en: 'Brisk and focused; five-minute units, one objective each.', ru: 'Быстрый и сфокусированный; блоки по пять минут, по одной цели в каждом.' },
    { en: 'One objective, one explanation, one example, one question.', ru: 'Одна цель, одно объяснение, один пример, один вопрос.' },
    ['quiz', 'self_assessment'],
    { en: '"In five minutes: the one thing to know about {t}."', ru: '«За пять минут: главное, что нужно знать о «{t}».»' },
    { en: '5 minutes: {t}', ru: '5 минут: {t}' },
    { en: ['Objective', 'Explanation', 'Example', 'One question'], ru: ['Цель', 'Объяснение', 'Пример', 'Один вопрос'] },
  ),
  narrative: g(
    'narrative',
    { en: 'Narrative', ru: 'Нарративный' },
    {
      en: 'Flowing and connected; the course reads as one continuous account, each lesson a chapter.',
      ru: 'Плавный и связный; курс читается как единый рассказ, каждый урок — глава.',
    },
    {
      en: "Where we are in the account, the chapter's development, how it connects, what comes next.",
      ru: 'Где мы в рассказе, развитие главы, как она связана с остальным, что дальше.',
    },
    ['reflection', 'discussion', 'case_study'],
    {
      en: '"Our account of {t} began with the basics; this chapter follows what happened next."',
      ru: '«Наш рассказ о «{t}» начался с основ; эта глава продолжает его.»',
    },
    { en: 'Chapter: {t}', ru: 'Глава: {t}' },
    { en: ['So far', 'This chapter', 'How it connects', 'Next'], ru: ['Ранее', 'Эта глава', 'Как это связано', 'Дальше'] },
  ),
  technical: g(
    'technical',
    { en: 'Technical', ru: 'Технический' },
    {
      en: 'Exact and specification-like; names, parameters, edge cases and limits stated explicitly.',
      ru: 'Точный, как спецификация; имена, параметры, крайние случаи и ограничения указаны явно.',
    },
    {
      en: 'Overview, specification, reference example, edge cases and limits, verification.',
      ru: 'Обзор, спецификация, эталонный пример, крайние случаи и ограничения, проверка.',
    },
    ['hands_on', 'quiz', 'simulation'],
    { en: '"{t}: parameters, defaults, complexity and failure modes."', ru: '«{t}: параметры, значения по умолчанию, сложность и режимы отказа.»' },
    { en: '{t}: reference and internals', ru: '{t}: справочник и внутреннее устройство' },
    {
      en: ['Overview', 'Specification', 'Reference example', 'Edge cases and limits', 'Verification'],
      ru: ['Обзор', 'Спецификация', 'Эталонный пример', 'Крайние случаи и ограничения', 'Проверка'],
    },
  ),
  inspirational: g(
    'inspirational',
    { en: 'Inspirational', ru: 'Вдохновляющий' },
    { en: 'Uplifting and aspirational; shows what mastery makes possible.', ru: 'Воодушевляющий; показывает, что становится возможным при мастерстве.' },
    {
      en: 'A vision, a role model, the skill that gets you there, a first step, a call to action.',
      ru: 'Образ цели, пример для подражания, навык, который к ней ведёт, первый шаг, призыв к действию.',
    },
    ['reflection', 'hands_on', 'discussion'],
    { en: '"Imagine what you will build once {t} is second nature."', ru: '«Представьте, что вы создадите, когда «{t}» станет для вас привычным.»' },
    { en: 'What {t} makes possible', ru: 'Что открывает «{t}»' },
    { en: ['The vision', 'Who did it', 'The skill', 'Your first step', 'Go'], ru: ['Образ цели', 'Кто это сделал', 'Навык', 'Ваш первый шаг', 'Вперёд'] },
  ),
  humorous: g(
    'humorous',
    { en: 'Humorous', ru: 'С юмором' },
    {
      en: "Light and witty; jokes and absurd examples that make the point memorable, never at the learner's expense.",
      ru: 'Лёгкий и остроумный; шутки и абсурдные примеры делают мысль запоминающейся, но никогда не за счёт учащегося.',
    },
    {
      en: 'A funny hook, the idea, an absurd example, the serious takeaway, a playful quiz.',
      ru: 'Смешной крючок, идея, абсурдный пример, серьёзный вывод, шуточный тест.',
    },
    ['quiz', 'discussion', 'simulation'],
    { en: '"{t} walks into a bar. The bartender asks: indexed or sequential?"', ru: '«Заходит «{t}» в бар. Бармен спрашивает: по индексу или подряд?»' },
    { en: '{t}, without the tears', ru: '{t} — без слёз' },
    {
      en: ['The hook', 'The idea', 'An absurd example', 'Seriously, though', 'Playful quiz'],
      ru: ['Крючок', 'Идея', 'Абсурдный пример', 'А если серьёзно', 'Шуточный тест'],
    },
  ),
  formal: g(
    'formal',
    { en: 'Formal', ru: 'Официальный' },
    {
      en: 'Impersonal and structured; standard terminology, complete sentences, no colloquialisms.',
      ru: 'Безличный и упорядоченный; стандартная терминология, полные предложения, без разговорных оборотов.',
    },
    {
      en: 'Purpose, scope, provisions, procedure, compliance check.',
      ru: 'Назначение, область применения, положения, порядок действий, проверка соответствия.',
    },
    ['self_assessment', 'quiz', 'case_study'],
    {
      en: '"This unit sets out the requirements for {t} and the procedure to follow."',
      ru: '«Настоящий раздел устанавливает требования к «{t}» и порядок действий.»',
    },
    { en: '{t}: requirements and procedure', ru: '{t}: требования и порядок' },
    {
      en: ['Purpose', 'Scope', 'Provisions', 'Procedure', 'Compliance check'],
      ru: ['Назначение', 'Область применения', 'Положения', 'Порядок действий', 'Проверка соответствия'],
    },
  ),
  interactive: g(
    'interactive',
    { en: 'Interactive', ru: 'Интерактивный' },
    {
      en: 'Engaging and responsive; the learner acts every few lines and sees the effect.',
      ru: 'Вовлекающий; учащийся действует каждые несколько строк и видит результат.',
    },
    { en: 'Try it, observe, explain, try a variation, check yourself.', ru: 'Попробуйте, понаблюдайте, объясните, попробуйте вариант, проверьте себя.' },
    ['simulation', 'hands_on', 'quiz'],
    { en: '"Change one setting of {t} and watch what happens."', ru: '«Измените одну настройку «{t}» и посмотрите, что произойдёт.»' },
    { en: 'Try it: {t}', ru: 'Попробуйте: {t}' },
    { en: ['Try it', 'What happened', 'Why', 'Variation', 'Check yourself'], ru: ['Попробуйте', 'Что произошло', 'Почему', 'Вариант', 'Проверьте себя'] },
  ),
  exploratory: g(
    'exploratory',
    { en: 'Exploratory', ru: 'Исследовательский' },
    {
      en: 'Curious and open-ended; invites the learner to discover patterns before naming them.',
      ru: 'Любознательный и открытый; приглашает обнаружить закономерности до того, как их назовут.',
    },
    {
      en: 'A puzzle, free exploration, patterns noticed, the concept named, further directions.',
      ru: 'Загадка, свободное исследование, замеченные закономерности, названное понятие, куда двигаться дальше.',
    },
    ['simulation', 'reflection', 'discussion'],
    { en: '"Look at these three results of {t}. What do they have in common?"', ru: '«Посмотрите на три результата «{t}». Что у них общего?»' },
    { en: 'Exploring {t}', ru: 'Исследуем: {t}' },
    {
      en: ['A puzzle', 'Explore', 'Patterns', 'Naming it', 'Further directions'],
      ru: ['Загадка', 'Исследуйте', 'Закономерности', 'Как это называется', 'Куда дальше'],
    },
  ),
  reflective: g(
    'reflective',
    { en: 'Reflective', ru: 'Рефлексивный' },
    {
      en: "Thoughtful and personal; connects each idea to the learner's own experience.",
      ru: 'Вдумчивый и личный; связывает каждую идею с собственным опытом учащегося.',
    },
    {
      en: 'Recall an experience, the concept, how it explains the experience, a journal prompt.',
      ru: 'Вспомните опыт, понятие, как оно объясняет этот опыт, вопрос для дневника.',
    },
    ['reflection', 'self_assessment', 'discussion'],
    {
      en: '"Think of a time {t} went wrong for you. What would you do differently now?"',
      ru: '«Вспомните случай, когда с «{t}» что-то пошло не так. Что бы вы сделали иначе?»',
    },
    { en: 'Reflecting on {t}', ru: 'Размышляем о теме «{t}»' },
    { en: ['Recall', 'The concept', 'Making sense of it', 'Journal prompt'], ru: ['Вспомните', 'Понятие', 'Осмысление', 'Вопрос для дневника'] },
  ),
  coaching: g(
    'coaching',
    { en: 'Coaching', ru: 'Коучинговый' },
    {
      en: 'Supportive and goal-oriented; the learner sets a goal, practises and reviews progress.',
      ru: 'Поддерживающий и нацеленный на результат; учащийся ставит цель, практикуется и оценивает прогресс.',
    },
    {
      en: 'Your goal, where you are now, options, a practice plan, a progress review.',
      ru: 'Ваша цель, где вы сейчас, варианты, план практики, оценка прогресса.',
    },
    ['self_assessment', 'hands_on', 'reflection'],
    {
      en: '"Where are you with {t} today, on a scale of 1 to 10? What would move you up one point?"',
      ru: '«Где вы сейчас в теме «{t}» по шкале от 1 до 10? Что поднимет вас на балл выше?»',
    },
    { en: 'Your next step with {t}', ru: 'Ваш следующий шаг: {t}' },
    {
      en: ['Your goal', 'Where you are', 'Options', 'Practice plan', 'Progress review'],
      ru: ['Ваша цель', 'Где вы сейчас', 'Варианты', 'План практики', 'Оценка прогресса'],
    },
  ),
};

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
