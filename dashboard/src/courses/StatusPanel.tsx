// What the generation is doing now, from GET /courses/:id/status: the server's message
// (in the page's language), the current phase, the ETA, and the error when it failed.
import { Alert, Box, Typography } from '@mui/material';
import { useLocale, useRecordContext, useTranslate } from 'react-admin';
import type { Course, GenerationStatus } from '../types';
import { formatEta } from './format';
import { useCourseQuery } from './useCourseQuery';

export const StatusPanel = () => {
  const record = useRecordContext<Course>();
  const translate = useTranslate();
  const locale = useLocale();
  const { data: status } = useCourseQuery<GenerationStatus>('status', (dp, id) => dp.getStatus(id));
  if (!record) return null;
  const message = status?.message ?? record.message;
  const eta = formatEta(status?.estimatedRemainingSeconds, locale);
  const error = record.status === 'failed' ? (record.errorMessage ?? (status?.metadata?.error as string | undefined)) : null;
  return (
    <Box data-testid="status-message">
      {message && <Typography>{message}</Typography>}
      {status?.phase && record.status === 'generating' && (
        <Typography variant="caption" color="text.secondary" component="div" data-testid="status-phase">
          {translate('app.course.phase')}: {status.phase}
        </Typography>
      )}
      {eta && (
        <Typography variant="caption" color="text.secondary" data-testid="status-eta">
          {translate('resources.courses.eta', { time: eta })}
        </Typography>
      )}
      {error && (
        <Alert severity="error" sx={{ mt: 1 }}>
          {error}
        </Alert>
      )}
    </Box>
  );
};
