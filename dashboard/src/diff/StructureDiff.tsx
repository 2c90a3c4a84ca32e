// The rerun diff as a reviewer reads it (structureDiff.ts, diffWords.ts): a one-line
// count of what changed, then the sections and lessons (or a list output's entries, or
// the analysis's fields) that a rerun added, removed or changed. A changed section or
// lesson is a disclosure (<details>, keyboard-operable) whose summary names the fields that changed
// and whose body shows each before → after; lists show the entries gained and lost.
import { Box, Chip, Typography } from '@mui/material';
import { useLocale, useTranslate } from 'react-admin';
import { fieldLabel, fieldWords } from './diffWords';
import { changeCount, changeSummary, structureDiff, type Change, type FieldChange, type StructureDiff as Diff } from './structureDiff';

const COLORS: Record<Change, 'success' | 'error' | 'warning'> = { added: 'success', removed: 'error', changed: 'warning' };

const Badge = ({ change }: { change: Change }) => {
  const translate = useTranslate();
  return <Chip size="small" color={COLORS[change]} variant="outlined" label={translate(`app.diff.${change}`)} sx={{ mr: 1, height: 20 }} component="span" />;
};

const Fields = ({ fields }: { fields: FieldChange[] }) => {
  const translate = useTranslate();
  const locale = useLocale();
  return (
    <Box component="ul" sx={{ my: 0.5, pl: 3 }} data-testid="diff-fields">
      {fields.map((f) => {
        const w = fieldWords(f, translate, locale);
        return (
          <li key={f.field}>
            <Typography variant="body2" component="span" sx={{ fontWeight: 500 }}>
              {w.label}:{' '}
            </Typography>
            {w.kind === 'value' ? (
              <>
                <Typography variant="body2" component="del" sx={{ color: 'error.dark' }}>
                  {w.before}
                </Typography>
                {' → '}
                <Typography variant="body2" component="ins" sx={{ color: 'success.dark', textDecoration: 'none' }}>
                  {w.after}
                </Typography>
              </>
            ) : (
              <Box component="ul" sx={{ my: 0, pl: 2 }}>
                {w.added.map((x, i) => (
                  <Typography key={`+${i}`} component="li" variant="body2" sx={{ color: 'success.dark' }}>
                    {translate('app.diff.gained')}: {x}
                  </Typography>
                ))}
                {w.removed.map((x, i) => (
                  <Typography key={`-${i}`} component="li" variant="body2" sx={{ color: 'error.dark' }}>
                    {translate('app.diff.lost')}: {x}
                  </Typography>
                ))}
              </Box>
            )}
          </li>
        );
      })}
    </Box>
  );
};

/** A changed entry: its name and which fields changed, the details on demand. */
const Entry = ({ change, name, fields, testId }: { change: Change; name: string; fields: FieldChange[]; testId: string }) => {
  const translate = useTranslate();
  if (fields.length === 0)
    return (
      <Typography component="li" variant="body2" data-testid={testId} data-change={change} sx={{ my: 0.25 }}>
        <Badge change={change} />
        {name}
      </Typography>
    );
  const names = [...new Set(fields.map((f) => fieldLabel(f.field, translate)))].join(', ');
  return (
    <Box component="li" data-testid={testId} data-change={change} sx={{ my: 0.25 }}>
      <details>
        <Typography component="summary" variant="body2" sx={{ cursor: 'pointer' }}>
          <Badge change={change} />
          {name} — {translate('app.diff.changedFields', { fields: names })}
        </Typography>
        <Fields fields={fields} />
      </details>
    </Box>
  );
};

const Summary = ({ diff }: { diff: Diff }) => {
  const translate = useTranslate();
  const s = changeSummary(diff);
  const part = (key: 'sections' | 'lessons' | 'items', c: { added: number; removed: number; changed: number }) => {
    const counts = (['added', 'removed', 'changed'] as const).filter((k) => c[k] > 0).map((k) => translate(`app.diff.summary.${k}`, { n: c[k] }));
    return counts.length ? `${translate(`app.diff.summary.${key}`)} — ${counts.join(', ')}` : null;
  };
  const parts = [
    part('sections', s.sections),
    part('lessons', s.lessons),
    part('items', s.items),
    s.fields ? translate('app.diff.summary.fields', { n: s.fields }) : null,
  ].filter(Boolean);
  return (
    <Typography variant="body2" data-testid="diff-summary">
      {parts.length ? parts.join('. ') : translate('app.diff.unchanged')}
    </Typography>
  );
};

export const StructureDiff = ({ before, after }: { before: unknown; after: unknown }) => {
  const translate = useTranslate();
  const diff = structureDiff(before, after);
  return (
    <Box data-testid="structure-diff" data-changes={changeCount(diff)} sx={{ my: 1 }}>
      <Typography variant="subtitle2" component="h3">
        {translate('app.diff.title')}
      </Typography>
      <Summary diff={diff} />
      {diff.course.length > 0 && <Fields fields={diff.course} />}
      {diff.sections.length > 0 && (
        <Box component="ul" sx={{ pl: 0, listStyle: 'none', my: 0.5 }}>
          {diff.sections.map((s) => (
            <Box component="li" key={s.number} data-testid="diff-section" data-change={s.change ?? 'lessons'} sx={{ mt: 1 }}>
              {s.fields.length > 0 ? (
                <details>
                  <Typography component="summary" variant="body2" sx={{ fontWeight: 600, cursor: 'pointer' }}>
                    {s.change && <Badge change={s.change} />}
                    {translate('app.diff.section', { n: s.number })} · {s.title} —{' '}
                    {translate('app.diff.changedFields', { fields: [...new Set(s.fields.map((f) => fieldLabel(f.field, translate)))].join(', ') })}
                  </Typography>
                  <Fields fields={s.fields} />
                </details>
              ) : (
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {s.change && <Badge change={s.change} />}
                  {translate('app.diff.section', { n: s.number })} · {s.title}
                  {s.change === 'added' || s.change === 'removed' ? ` (${translate('app.diff.lessonCount', { smart_count: s.lessonCount })})` : ''}
                </Typography>
              )}
              {s.lessons.length > 0 && (
                <Box component="ul" sx={{ pl: 2, listStyle: 'none', my: 0.25 }}>
                  {s.lessons.map((l) => (
                    <Entry
                      key={l.number}
                      testId="diff-lesson"
                      change={l.change}
                      fields={l.fields}
                      name={`${translate('app.diff.lesson', { section: s.number, n: l.number })} · ${l.title}`}
                    />
                  ))}
                </Box>
              )}
            </Box>
          ))}
        </Box>
      )}
      {diff.items.length > 0 && (
        <Box component="ul" sx={{ pl: 0, listStyle: 'none', my: 0.5 }}>
          {diff.items.map((i) => (
            <Entry key={i.key} testId="diff-item" change={i.change} fields={i.fields} name={i.title || translate('app.diff.item', { key: i.key })} />
          ))}
        </Box>
      )}
    </Box>
  );
};
