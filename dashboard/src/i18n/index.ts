// English (default) and Russian through polyglot; the locale picked here is also what
// the data provider sends as Accept-Language, so server messages match the page.
import polyglotI18nProvider from 'ra-i18n-polyglot';
import { en } from './en';
import { ru } from './ru';

const messages = { en, ru } as const;

export const LOCALES = [
  { locale: 'en', name: 'English' },
  { locale: 'ru', name: 'Русский' },
];

export const i18nProvider = polyglotI18nProvider(
  (locale) => messages[locale as keyof typeof messages] ?? en,
  'en',
  LOCALES,
  { allowMissing: true },
);
