// Money and ETA as people read them, in English or Russian.

const intlLocale = (locale: string) => (locale === 'ru' ? 'ru-RU' : 'en-US');

/** US dollars; amounts under a cent keep four decimals so a cheap call does not read $0.00. */
export function formatMoney(value: number | null | undefined, locale = 'en'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const digits = value !== 0 && Math.abs(value) < 0.01 ? 4 : 2;
  return new Intl.NumberFormat(intlLocale(locale), {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

const UNITS: Record<string, { h: string; min: string; s: string }> = {
  en: { h: 'h', min: 'min', s: 's' },
  ru: { h: 'ч', min: 'мин', s: 'с' },
};

/** Seconds left as "45 s", "2 min 5 s", "12 min", "1 h 5 min"; null when unknown. */
export function formatEta(seconds: number | null | undefined, locale = 'en'): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return null;
  const u = UNITS[locale] ?? UNITS.en;
  const s = Math.round(seconds);
  if (s < 60) return `${s} ${u.s}`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m} ${u.min} ${s % 60} ${u.s}` : `${m} ${u.min}`;
  if (m < 60) return `${m} ${u.min}`;
  return m % 60 ? `${Math.floor(m / 60)} ${u.h} ${m % 60} ${u.min}` : `${Math.floor(m / 60)} ${u.h}`;
}
