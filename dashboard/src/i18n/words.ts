// Words, not identifiers: the machine's states, events, stages and phases, the API's
// refusals, numbers, dates and plurals as a person reads them in English or Russian.
// Pure functions of a `translate` and a locale, so pages, charts and tests agree.

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The Intl locale for the dashboard's language. */
export const intlLocale = (locale: string) => (locale === 'ru' ? 'ru-RU' : 'en-US');

/** 'stage_4', 'stage_4_awaiting_approval', 4, '4' -> 4; anything else -> null. */
export function stageOf(stage: string | number | null | undefined): number | null {
  if (typeof stage === 'number') return Number.isInteger(stage) ? stage : null;
  const m = /^(?:stage_)?(\d+)/.exec(stage ?? '');
  return m ? Number(m[1]) : null;
}

/** "Stage 4 · Analysis" (or just the name with `short`); unknown values are returned as they are. */
export function stageLabel(stage: string | number | null | undefined, translate: Translate, short = false): string {
  const n = stageOf(stage);
  if (n === null) return stage === null || stage === undefined ? '' : String(stage);
  const name = translate(`resources.courses.stages.${n}`, { _: '' });
  if (!name) return translate('app.words.stageN', { n });
  return short ? name : translate('app.words.stageNamed', { n, name });
}

/** A machine state (generation_status) in words: 'stage_4_awaiting_approval' -> "Stage 4 · Analysis: awaiting approval". */
export function stateLabel(state: string | null | undefined, translate: Translate): string {
  if (!state) return '';
  const m = /^stage_(\d+)(_awaiting_approval)?$/.exec(state);
  if (m) {
    const stage = stageLabel(Number(m[1]), translate);
    return m[2] ? translate('app.words.awaitingAt', { stage }) : stage;
  }
  return translate(`app.words.states.${state}`, { _: humanize(state) });
}

/**
 * A status history row's reason as a person reads it: an ESCALATE row's `manual; <name>`
 * ("escalated now by Olga Ops") or `deadline` ("past its deadline"); other rows as they are.
 */
export function historyReason(event: string | null | undefined, reason: string | null | undefined, translate: Translate): string {
  if (!reason) return '';
  if (event !== 'ESCALATE') return reason;
  const [kind, ...rest] = reason.split('; ');
  const name = rest.join('; ').trim();
  if (kind === 'manual') return name ? translate('app.words.escalation.manual', { name }) : translate('app.words.escalation.manualAnon');
  if (kind === 'deadline') return translate('app.words.escalation.deadline');
  return reason;
}

/** A machine event in words (START -> "Started"). */
export function eventLabel(event: string | null | undefined, translate: Translate): string {
  if (!event) return '';
  return translate(`app.words.events.${event}`, { _: humanize(event) });
}

/** A phase id in words (phase_1_classifier -> "Classifying the topic"); unknown ids humanized. */
export function phaseLabel(phase: string | null | undefined, translate: Translate): string {
  if (!phase) return '';
  const base = phase.replace(/[-:]\d+$/, '');
  return translate(`app.words.phases.${base}`, { _: humanize(phase) });
}

/** Who sent an event: a person, a worker, the system. */
export function actorLabel(actor: string | null | undefined, translate: Translate): string {
  if (!actor) return '';
  return translate(`app.words.actors.${actor}`, { _: humanize(actor) });
}

/** snake_case or UPPER_SNAKE as a sentence: PHASE_DONE -> "Phase done". */
export function humanize(id: string): string {
  const s = id.replace(/[_-]+/g, ' ').trim().toLowerCase();
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * The API's refusals in plain words: the machine's "RETRY is not allowed in state
 * stage_4_awaiting_approval" becomes "Retry is not possible while the course is at
 * Stage 4 · Analysis: awaiting approval". Anything else is returned as it came.
 */
export function plainError(message: string, translate: Translate): string {
  const m = /^(?:[A-Z_]+ refused(?: \([a-z_]+\))?: )?([A-Z_]+) is not allowed in state (\S+)$/.exec(message.trim());
  if (m) {
    return translate('app.words.notAllowed', {
      action: translate(`app.words.actions.${m[1]}`, { _: humanize(m[1]) }),
      state: stateLabel(m[2], translate),
    });
  }
  const other = /^(?:[A-Z_]+ refused: )?awaiting approval of (stage_\d+), not (stage_\d+)$/.exec(message.trim());
  if (other) return translate('app.words.otherGate', { waiting: stageLabel(other[1], translate), asked: stageLabel(other[2], translate) });
  const gone = /^(course|lesson|trace|model|job) not found$/.exec(message.trim());
  if (gone) return translate(`app.words.notFound.${gone[1]}`, { _: message });
  return message;
}

/** A count with the right plural form: plural(344, {one, few, many, other}, 'ru') -> "344 вызова". */
export function plural(n: number, forms: Partial<Record<Intl.LDMLPluralRule, string>>, locale: string): string {
  const rule = new Intl.PluralRules(intlLocale(locale)).select(n);
  const form = forms[rule] ?? forms.other ?? forms.many ?? '';
  return `${formatNumber(n, locale)} ${form}`.trim();
}

/** Plural forms stored in the messages as "one|few|many|other" (Russian) or "one|other" (English). */
export function pluralKey(n: number, key: string, translate: Translate, locale: string): string {
  const raw = translate(key);
  const parts = raw.split('|');
  const forms = parts.length >= 4 ? { one: parts[0], few: parts[1], many: parts[2], other: parts[3] } : { one: parts[0], other: parts[1] ?? parts[0] };
  return plural(n, forms, locale);
}

export function formatNumber(n: number | null | undefined, locale: string, digits?: number): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return new Intl.NumberFormat(intlLocale(locale), digits === undefined ? {} : { maximumFractionDigits: digits }).format(n);
}

/** Date and time in the page's language (31.12.2026, 14:05:09 in Russian; Dec 31, 2026, 2:05:09 PM in English). */
export function formatDateTime(value: string | number | Date | null | undefined, locale: string, withSeconds = true): string {
  if (value === null || value === undefined) return '—';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  return new Intl.DateTimeFormat(intlLocale(locale), {
    dateStyle: 'medium',
    timeStyle: withSeconds ? 'medium' : 'short',
  }).format(d);
}

export function formatTime(value: string | number | Date, locale: string): string {
  const d = value instanceof Date ? value : new Date(value);
  return new Intl.DateTimeFormat(intlLocale(locale), { timeStyle: 'medium' }).format(d);
}

/** A day 'YYYY-MM-DD' as the locale writes it (Dec 31, 2026 / 31 дек. 2026 г.). */
export function formatDay(day: string, locale: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/**
 * Money for a chart axis or tooltip: always the $ sign, as many decimals as the amount
 * needs (two from a cent up, up to six below): $0.003 stays $0.003, not $0.
 */
export function formatUsd(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs === 0 || abs >= 0.01 ? 2 : abs >= 0.001 ? 4 : 6;
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: abs >= 0.01 || abs === 0 ? 2 : 0,
    maximumFractionDigits: digits,
  }).format(value);
}

/** A price per 1M tokens: as many decimals as it was given (up to six), never rounded to cents. */
export function formatPrice(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(intlLocale(locale), { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(value);
}
