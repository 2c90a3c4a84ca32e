// Word lists the simulated provider writes its answers from, in English and Russian.
export interface Words {
  verbs: string[];
  topics: string[];
  sectionKinds: string[];
  lessonKinds: string[];
  audience: string[];
  sentences: string[];
  exercise: string[];
}

export const WORDS: Record<'en' | 'ru', Words> = {
  en: {
    verbs: ['Explain', 'Apply', 'Compare', 'Evaluate', 'Design', 'Analyse', 'Describe', 'Practise', 'Identify', 'Build'],
    topics: ['core concepts', 'key terminology', 'common pitfalls', 'worked examples', 'best practices', 'real-world cases', 'measurement', 'trade-offs', 'tools of the trade', 'history and context', 'decision making', 'quality checks'],
    sectionKinds: ['Foundations of', 'Working with', 'Deep dive into', 'Applying', 'Advanced', 'Case studies in', 'Tools for', 'Mastering', 'Planning', 'Reviewing'],
    lessonKinds: ['Introduction to', 'Understanding', 'Hands-on with', 'Patterns in', 'Mistakes in', 'Measuring', 'Practising', 'Exploring'],
    audience: ['professionals new to the subject', 'university students', 'team leads', 'self-taught learners', 'analysts'],
    sentences: [
      'This part builds on what came before and prepares the ground for what follows.',
      'Learners see the idea first in a simple case, then in a realistic one.',
      'Each concept is paired with an example that can be checked by hand.',
      'The emphasis is on judgement: when to use a technique and when not to.',
      'Short checks at the end confirm the objectives were met.',
    ],
    exercise: ['Reflect on', 'Try out', 'Discuss', 'Quiz on', 'Case study:', 'Simulate'],
  },
  ru: {
    verbs: ['Объяснить', 'Применить', 'Сравнить', 'Оценить', 'Спроектировать', 'Проанализировать', 'Описать', 'Отработать', 'Определить', 'Построить'],
    topics: ['основные понятия', 'ключевая терминология', 'типичные ошибки', 'разобранные примеры', 'лучшие практики', 'реальные кейсы', 'измерение результатов', 'компромиссы', 'инструменты', 'история и контекст', 'принятие решений', 'проверка качества'],
    sectionKinds: ['Основы:', 'Работа с темой:', 'Углублённо:', 'Применение:', 'Продвинутый уровень:', 'Кейсы:', 'Инструменты:', 'Мастерство:', 'Планирование:', 'Обзор:'],
    lessonKinds: ['Введение:', 'Понимание:', 'Практика:', 'Закономерности:', 'Ошибки:', 'Измерение:', 'Упражнения:', 'Исследование:'],
    audience: ['специалисты, начинающие изучать тему', 'студенты университетов', 'руководители команд', 'самоучки', 'аналитики'],
    sentences: [
      'Эта часть опирается на предыдущие и готовит почву для следующих.',
      'Сначала идея показана на простом примере, затем на реалистичном.',
      'Каждое понятие сопровождается примером, который можно проверить вручную.',
      'Главное внимание уделяется суждению: когда применять приём, а когда нет.',
      'Короткие проверки в конце подтверждают достижение целей.',
    ],
    exercise: ['Рефлексия:', 'Попробуйте:', 'Обсуждение:', 'Тест:', 'Кейс:', 'Симуляция:'],
  },
};
