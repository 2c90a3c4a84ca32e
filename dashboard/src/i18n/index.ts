// English and Russian through polyglot; the locale picked here is also what the data
// provider sends as Accept-Language, so server messages match the page. The first locale
// is the signed-in user's language, else their organization's default, else the
// browser's (LocaleSync switches to the user's after a sign-in).
import polyglotI18nProvider from 'ra-i18n-polyglot';
import { preferredLanguage, readSession } from '../providers/session';
import { en } from './en';
import { ru } from './ru';

const messages = { en, ru } as const;

export const LOCALES = [
  { locale: 'en', name: 'English' },
  { locale: 'ru', name: 'Русский' },
];

export const i18nProvider = polyglotI18nProvider(
  (locale) => messages[locale as keyof typeof messages] ?? en,
  preferredLanguage(readSession()?.user, typeof navigator === 'undefined' ? [] : (navigator.languages ?? [navigator.language])),
  LOCALES,
  { allowMissing: true },
);
