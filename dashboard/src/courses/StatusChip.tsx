// The course's status as a coloured chip; a course waiting at an approval gate gets its
// own look (outlined, warning colour, hourglass) and names the stage.
import HourglassTopIcon from '@mui/icons-material/HourglassTop';
import { Chip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Course } from '../types';
import type { CourseFieldProps } from './ProgressField';
import { awaitingStage, statusColor } from './status';

export const StatusChip = (_props: CourseFieldProps) => {
  const record = useRecordContext<Course>();
  const translate = useTranslate();
  if (!record) return null;
  const gate = awaitingStage(record.generationStatus);
  const color = statusColor(record.status, record.generationStatus);
  if (gate !== null) {
    return (
      <Chip
        size="small"
        variant="outlined"
        color={color}
        icon={<HourglassTopIcon />}
        label={translate('resources.courses.status.awaiting', { stage: gate })}
        data-testid="status-chip"
        data-status="awaiting"
      />
    );
  }
  return (
    <Chip
      size="small"
      color={color}
      label={translate(`resources.courses.status.${record.status}`, { _: record.status })}
      data-testid="status-chip"
      data-status={record.status}
    />
  );
};
