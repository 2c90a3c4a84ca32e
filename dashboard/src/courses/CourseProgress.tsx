// A course's progress bar and status chip. The bar keeps the highest value it has
// shown for the course's run, so it never moves backwards on screen.
import { Box, Chip, LinearProgress, Typography } from '@mui/material';
import { useRef } from 'react';
import { useRecordContext, useTranslate } from 'react-admin';
import { awaitingStage, monotonicPercentage } from './format';

const COLORS: Record<string, 'default' | 'info' | 'primary' | 'success' | 'error' | 'warning'> = {
  idle: 'default', queued: 'info', generating: 'primary', completed: 'success', failed: 'error', cancelled: 'default',
};

export const ProgressField = () => {
  const record = useRecordContext();
  const shown = useRef<{ run: number; value: number } | null>(null);
  if (!record) return null;
  const restarted = !shown.current || shown.current.run !== record.run;
  const value = monotonicPercentage(shown.current?.value, record.percentage ?? 0, restarted);
  shown.current = { run: record.run, value };
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 160 }} data-testid="course-progress" data-value={value}>
      <LinearProgress variant="determinate" value={value} sx={{ flex: 1, height: 8, borderRadius: 4 }} />
      <Typography variant="body2" sx={{ width: 40, textAlign: 'right' }}>{value}%</Typography>
    </Box>
  );
};

export const StatusChip = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  const gate = awaitingStage(record.generationStatus ?? '');
  if (gate) return <Chip size="small" color="warning" label={`${translate('mc.status.awaiting')} · ${gate}`} data-testid="status-chip" />;
  return <Chip size="small" color={COLORS[record.status] ?? 'default'} label={translate(`mc.status.${record.status}`)} data-testid="status-chip" />;
};
