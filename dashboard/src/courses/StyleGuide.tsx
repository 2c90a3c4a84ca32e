// The course's content style as the prompts carry it (backend pipeline/content-styles.ts):
// tone, structure, the parts of a lesson, the exercise types it favours and an example of
// the voice, in the reader's language (the API answers in it).
import { Card, CardContent, Chip, Stack, Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { CourseDetail } from '../types';

export const StyleGuide = () => {
  const record = useRecordContext<CourseDetail>();
  const translate = useTranslate();
  const s = record?.contentStyleGuide;
  if (!s) return null;
  return (
    <Card variant="outlined" sx={{ mx: 2, mb: 2 }} data-testid="style-guide">
      <CardContent>
        <Typography variant="h6" component="h3">
          {translate('resources.courses.style.title', { name: s.name })}
        </Typography>
        <Stack spacing={1} sx={{ mt: 1 }}>
          <Typography variant="body2">
            <strong>{translate('resources.courses.style.tone')}:</strong> {s.tone}
          </Typography>
          <Typography variant="body2">
            <strong>{translate('resources.courses.style.structure')}:</strong> {s.structure}
          </Typography>
          <Typography variant="body2">
            <strong>{translate('resources.courses.style.parts')}:</strong> {s.parts.join(' → ')}
          </Typography>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
            <Typography variant="body2">
              <strong>{translate('resources.courses.style.exercises')}:</strong>
            </Typography>
            {s.exercises.map((e) => (
              <Chip key={e} size="small" label={translate(`resources.courses.style.exercise_types.${e}`, { _: e })} />
            ))}
          </Stack>
          <Typography variant="body2" sx={{ fontStyle: 'italic' }}>
            <strong>{translate('resources.courses.style.example')}:</strong> {s.example}
          </Typography>
        </Stack>
      </CardContent>
    </Card>
  );
};
