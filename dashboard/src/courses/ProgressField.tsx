// A course's progress bar with the number beside it. It shows the highest value seen
// for the course's current run, kept per course id across the list, the course page
// and re-renders, so the bar never moves backwards on screen.
import { Box, LinearProgress, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { Course } from '../types';
import { isRestart, monotonicPercentage, type RunMark } from './progress';

const shown = new Map<string, { mark: RunMark; value: number }>();

export function useShownPercentage(record: Course | undefined): number {
  if (!record) return 0;
  const key = String(record.id);
  const mark: RunMark = { run: record.run, status: record.status };
  const prev = shown.get(key);
  const value = monotonicPercentage(prev?.value, Number(record.percentage ?? 0), isRestart(prev?.mark, mark));
  shown.set(key, { mark, value });
  return value;
}

/** `source` and `label` are read by Datagrid for the column header and sorting. */
export interface CourseFieldProps {
  source?: string;
  label?: string;
  sortable?: boolean;
}

export const ProgressField = (_props: CourseFieldProps) => {
  const record = useRecordContext<Course>();
  const value = useShownPercentage(record);
  if (!record) return null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, minWidth: 160 }} data-testid="course-progress" data-value={value}>
      <LinearProgress variant="determinate" value={value} sx={{ flex: 1, height: 8, borderRadius: 4 }} aria-label={`${value}%`} />
      <Typography variant="body2" sx={{ minWidth: 40, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
        {value}%
      </Typography>
    </Box>
  );
};
