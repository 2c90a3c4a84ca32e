// Status messages in Russian (seed 003 wants Russian) and English. The request's
// Accept-Language picks; a request without one (or naming neither language) is answered
// in the user's own language, else the organization's default, else English. Pure, so
// the wording is tested without a server.
import { escalationPhrase, escalationWebhookMessage, type Escalation } from '../pipeline/escalation';
import { STAGE_NAMES, StageNumber } from '../pipeline/stages';

export type Lang = 'en' | 'ru';
export const LANGUAGES = ['en', 'ru'] as const;

/** What a request knows of its caller's languages (see AuthUser). */
export interface LanguageDefaults {
  /** the user's own choice; null when they made none */
  language?: Lang | null;
  /** the organization's default */
  organizationLanguage?: Lang;
}

/** The language an Accept-Language header asks for; null when it names neither. */
export function headerLanguage(acceptLanguage: string | undefined): Lang | null {
  if (!acceptLanguage) return null;
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag, q] = part.trim().split(';q=');
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q) || 0 };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('ru')) return 'ru';
    if (tag.startsWith('en')) return 'en';
  }
  return null;
}

/** Accept-Language > the user's preference > the organization's default > English. */
export function pickLanguage(acceptLanguage: string | undefined, defaults?: LanguageDefaults): Lang {
  return headerLanguage(acceptLanguage) ?? defaults?.language ?? defaults?.organizationLanguage ?? 'en';
}

const PHASES: Record<string, { en: string; ru: string }> = {
  document: { en: 'extracting text', ru: 'извлечение текста' },
  summarize: { en: 'summarizing documents', ru: 'суммаризация документов' },
  phase_1_classifier: { en: 'classifying the topic', ru: 'классификация темы' },
  phase_2_scope: { en: 'scoping the course', ru: 'определение рамок курса' },
  phase_3_expert: { en: 'expert analysis', ru: 'экспертный анализ' },
  phase_4_synthesis: { en: 'synthesis', ru: 'синтез' },
  phase_5_assembly: { en: 'assembling the analysis', ru: 'сборка анализа' },
  metadata: { en: 'Generating course metadata', ru: 'Генерация метаданных курса' },
  validation: { en: 'Checking quality', ru: 'Проверка качества' },
  saving: { en: 'Saving results', ru: 'Сохранение результатов' },
  lessons: { en: 'writing lessons', ru: 'написание уроков' },
};

export interface MessageInput {
  generationStatus: string;
  stage: StageNumber | null;
  phase: string | null;
  /** progress within the sections step of stage 5, 0-100 */
  sectionsPercent?: number;
  lessonsCompleted?: number;
  lessonsTotal?: number;
  error?: string | null;
  /** the gate the course waits at is a budget gate */
  budgetGate?: boolean;
  /** the gate it waits at was escalated: by a person (manual) or its deadline */
  escalation?: Escalation | null;
}

export function statusMessage(input: MessageInput, lang: Lang): string {
  const s = input.generationStatus;
  const t = (en: string, ru: string) => (lang === 'ru' ? ru : en);
  if (s === 'idle') return t('Generation not started', 'Генерация не начата');
  if (s === 'queued') return t('Waiting in queue', 'Ожидание в очереди');
  if (s === 'completed') return t('Generation completed', 'Генерация завершена');
  if (s === 'failed') return t('Generation failed', 'Ошибка генерации');
  if (s === 'cancelled') return t('Generation cancelled', 'Генерация отменена');
  const stage = input.stage ? STAGE_NAMES[input.stage][lang] : '';
  if (s.endsWith('_awaiting_approval')) {
    const waiting = input.budgetGate
      ? t(`${stage}: awaiting budget approval`, `${stage}: ожидает одобрения бюджета`)
      : t(`${stage}: awaiting approval`, `${stage}: ожидает утверждения`);
    return input.escalation ? `${waiting} (${escalationPhrase(input.escalation, lang)})` : waiting;
  }
  if (input.stage === 5 && input.phase === 'sections') {
    const pct = Math.floor(input.sectionsPercent ?? 0);
    return t(`Generating sections (${pct}% done)`, `Генерация секций (${pct}% завершено)`);
  }
  if (input.stage === 5 && input.phase && PHASES[input.phase]) return PHASES[input.phase][lang];
  if (input.stage === 6) {
    return t(
      `${stage}: ${input.lessonsCompleted ?? 0} of ${input.lessonsTotal ?? 0} lessons`,
      `${stage}: ${input.lessonsCompleted ?? 0} из ${input.lessonsTotal ?? 0} уроков`,
    );
  }
  const phase = input.phase && PHASES[input.phase] ? PHASES[input.phase][lang] : '';
  return phase ? `${stage}: ${phase}` : stage;
}

const WEBHOOK_MESSAGES: Record<string, { en: string; ru: string }> = {
  completed: { en: 'Generation completed', ru: 'Генерация завершена' },
  failed: { en: 'Generation failed', ru: 'Ошибка генерации' },
  cancelled: { en: 'Generation cancelled', ru: 'Генерация отменена' },
  awaiting_approval: { en: 'Awaiting approval', ru: 'Ожидает утверждения' },
};

/** The message of a course.* webhook (in the organization's default language); an escalation says who escalated it. */
export function webhookMessage(event: string, lang: Lang, escalation?: Escalation): string {
  if (event === 'escalated') return escalationWebhookMessage(escalation, lang);
  return WEBHOOK_MESSAGES[event]?.[lang] ?? event;
}
