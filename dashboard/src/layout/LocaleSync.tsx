// The UI's language follows the user: after a sign-in it switches to the user's own
// language, else the organization's default (the page before sign-in spoke the
// browser's). Switching the language later in the app bar saves it as the user's own
// (PUT /api/auth/me), so the API answers them in it too when a client sends no
// Accept-Language.
import { useEffect } from 'react';
import { useLocaleState } from 'react-admin';
import { readSession, writeSession } from '../providers/session';

export const LocaleSync = () => {
  const [locale, setLocale] = useLocaleState();
  useEffect(() => {
    const session = readSession();
    if (!session) return;
    const preferred = session.user.language ?? session.user.organizationLanguage;
    if (!session.localeApplied) {
      writeSession(session.token, session.user, { actions: session.actions, localeApplied: true });
      if (preferred && preferred !== locale) setLocale(preferred);
      return;
    }
    if ((locale === 'en' || locale === 'ru') && locale !== preferred) {
      writeSession(session.token, { ...session.user, language: locale }, { actions: session.actions, localeApplied: true });
      void fetch('/api/auth/me', {
        method: 'PUT',
        headers: { Authorization: `Bearer ${session.token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ language: locale }),
      }).catch(() => undefined);
    }
  }, [locale, setLocale]);
  return null;
};
