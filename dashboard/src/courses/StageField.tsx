// The current stage as "4 · Analysis" in the page's language.
import { Typography } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Course } from '../types';
import type { CourseFieldProps } from './ProgressField';
import { stageLabel } from '../i18n/words';
import { stageNumber } from './status';

export const StageField = (_props: CourseFieldProps) => {
  const record = useRecordContext<Course>();
  const translate = useTranslate();
  const n = stageNumber(record?.currentStage);
  return (
    <Typography variant="body2" component="span">
      {n === null ? '—' : stageLabel(n, translate)}
    </Typography>
  );
};
