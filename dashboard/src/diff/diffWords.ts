// A changed field of the rerun diff in words: its label ("Objectives", "Recommended
// structure › sections"), and either before → after (durations with their unit, numbers
// in the locale, a long text cut) or the entries a list gained and lost. Pure, so the
// component and its test read the same words.
import { humanize, intlLocale, type Translate } from '../i18n/words';
import type { FieldChange, Value } from './structureDiff';

const CLIP = 280;

export type FieldWords = { label: string; kind: 'value'; before: string; after: string } | { label: string; kind: 'list'; added: string[]; removed: string[] };

export function fieldLabel(field: string, translate: Translate): string {
  return field
    .split('.')
    .map((part) => translate(`app.diff.fields.${part}`, { _: humanize(part) }))
    .join(' › ');
}

const clip = (s: string) => (s.length > CLIP ? `${s.slice(0, CLIP - 1)}…` : s);

export function valueWords(field: string, v: Value, translate: Translate, locale: string): string {
  if (v === null || v === '') return translate('app.diff.none');
  if (typeof v === 'boolean') return translate(v ? 'app.diff.yes' : 'app.diff.no');
  if (typeof v === 'number') {
    const n = new Intl.NumberFormat(intlLocale(locale), { maximumFractionDigits: 2 }).format(v);
    if (field.endsWith('_minutes')) return translate('app.diff.minutes', { n });
    if (field.endsWith('_hours')) return translate('app.diff.hours', { n });
    return n;
  }
  // Enumerations (difficulty, complexity) have words; free text is shown as written.
  return clip(/^[a-z_]+$/.test(v) ? translate(`app.diff.values.${v}`, { _: v }) : v);
}

export function fieldWords(f: FieldChange, translate: Translate, locale: string): FieldWords {
  const label = fieldLabel(f.field, translate);
  if (f.kind === 'list') return { label, kind: 'list', added: f.added.map(clip), removed: f.removed.map(clip) };
  return { label, kind: 'value', before: valueWords(f.field, f.before, translate, locale), after: valueWords(f.field, f.after, translate, locale) };
}
