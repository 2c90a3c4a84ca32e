// The rerun diff as a reviewer reads it: which course fields, sections and lessons a
// rerun added, removed or changed (structureDiff.ts), each change before → after.
import { Box, Chip, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { changeCount, structureDiff, type Change, type FieldChange } from './structureDiff';

const COLORS: Record<Change, 'success' | 'error' | 'warning'> = { added: 'success', removed: 'error', changed: 'warning' };

const Fields = ({ fields }: { fields: FieldChange[] }) => (
  <Box component="ul" sx={{ my: 0.5, pl: 3 }}>
    {fields.map((f) => (
      <li key={f.field}>
        <Typography variant="body2" component="span" sx={{ fontWeight: 500 }}>
          {f.field}:{' '}
        </Typography>
        <Typography variant="body2" component="del" sx={{ color: 'error.dark' }}>
          {f.before}
        </Typography>
        {' → '}
        <Typography variant="body2" component="ins" sx={{ color: 'success.dark', textDecoration: 'none' }}>
          {f.after}
        </Typography>
      </li>
    ))}
  </Box>
);

export const StructureDiff = ({ before, after }: { before: unknown; after: unknown }) => {
  const translate = useTranslate();
  const diff = structureDiff(before, after);
  const badge = (c: Change) => <Chip size="small" color={COLORS[c]} variant="outlined" label={translate(`app.diff.${c}`)} sx={{ mr: 1 }} />;
  return (
    <Box data-testid="structure-diff" data-changes={changeCount(diff)} sx={{ my: 1 }}>
      <Typography variant="subtitle2" component="h3">
        {translate('app.diff.title')}
      </Typography>
      {changeCount(diff) === 0 && (
        <Typography variant="body2" color="text.secondary">
          {translate('app.diff.unchanged')}
        </Typography>
      )}
      {diff.course.length > 0 && <Fields fields={diff.course} />}
      {diff.sections.map((s) => (
        <Box key={s.number} data-testid="diff-section" data-change={s.change ?? 'lessons'} sx={{ mt: 1 }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {s.change && badge(s.change)}
            {translate('app.diff.section', { n: s.number })} · {s.title}
          </Typography>
          {s.fields.length > 0 && <Fields fields={s.fields} />}
          {s.lessons.map((l) => (
            <Box key={l.number} data-testid="diff-lesson" data-change={l.change} sx={{ pl: 2, mt: 0.5 }}>
              <Typography variant="body2">
                {badge(l.change)}
                {translate('app.diff.lesson', { n: l.number })} · {l.title}
              </Typography>
              {l.fields.length > 0 && <Fields fields={l.fields} />}
            </Box>
          ))}
        </Box>
      ))}
    </Box>
  );
};
