// A cost report row's group in words, shared by the table and the chart.
import { formatDay, phaseLabel, stageLabel, type Translate } from '../i18n/words';

type Row = { [key: string]: string | number | null };

/** A row's group in words: stage names, days in the locale, titles rather than ids. */
export function groupLabel(r: Row, g: string, translate: Translate, locale: string): string {
  if (g === 'course') return String(r.courseTitle ?? r.course ?? '');
  if (g === 'organization') return String(r.organizationName ?? r.organization ?? '');
  if (g === 'stage') return stageLabel(r.stage as string, translate);
  if (g === 'day') return formatDay(String(r.day), locale);
  if (g === 'label') return translate(`app.words.labels.${r.label}`, { _: String(r.label) });
  if (g === 'phase') return phaseLabel(String(r.phase), translate);
  return String(r[g] ?? '');
}
