// A course whose stage 5 quality score fell below its organization's threshold: a
// warning chip with the score, the threshold and how it was measured (lexical or an
// embeddings model). Nothing for a course that passed or was not scored yet.
import ReportProblemOutlinedIcon from '@mui/icons-material/ReportProblemOutlined';
import { Chip, Tooltip } from '@mui/material';
import { useRecordContext, useTranslate } from 'react-admin';
import type { Course } from '../types';
import type { CourseFieldProps } from './ProgressField';

export const QualityChip = (_props: CourseFieldProps) => {
  const record = useRecordContext<Course>();
  const translate = useTranslate();
  if (!record?.qualityLow) return null;
  const q = record.quality;
  const detail = q
    ? translate('resources.courses.quality.detail', {
        score: q.overall.toFixed(2),
        threshold: q.threshold.toFixed(2),
        method: q.model
          ? `${translate(`resources.courses.quality.methods.${q.method}`)} · ${q.model}`
          : translate(`resources.courses.quality.methods.${q.method}`),
      })
    : '';
  return (
    <Tooltip title={detail}>
      <Chip
        size="small"
        color="warning"
        variant="outlined"
        icon={<ReportProblemOutlinedIcon />}
        label={q ? translate('resources.courses.quality.low_score', { score: q.overall.toFixed(2) }) : translate('resources.courses.quality.low')}
        data-testid="quality-chip"
        aria-label={detail || translate('resources.courses.quality.low')}
      />
    </Tooltip>
  );
};
