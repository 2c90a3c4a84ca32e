import polyglotI18nProvider from 'ra-i18n-polyglot';
import type { TranslationMessages } from 'react-admin';
import { currentLocale } from '../providers/dataProvider';
import { en } from './en';
import { ru } from './ru';

const messages: Record<string, TranslationMessages> = { en: en as TranslationMessages, ru: ru as TranslationMessages };

export const i18nProvider = polyglotI18nProvider(
  (locale) => {
    currentLocale.value = locale;
    return messages[locale] ?? en;
  },
  'en',
  [{ locale: 'en', name: 'English' }, { locale: 'ru', name: 'Русский' }],
  { allowMissing: true },
);
