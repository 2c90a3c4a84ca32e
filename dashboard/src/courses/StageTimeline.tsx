// The stage timeline 2 -> 6 as a horizontal stepper: each stage's status and its own
// progress bar. Stage names come from the API in the page's language.
import HourglassTopIcon from '@mui/icons-material/HourglassTop';
import RemoveCircleOutlinedIcon from '@mui/icons-material/RemoveCircleOutlined';
import { Box, LinearProgress, Step, StepLabel, Stepper, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { StageInfo, StageStatus } from '../types';
import { stageState } from './status';
import { useCourseQuery } from './useCourseQuery';
import { useSmall } from '../list/useSmall';

const CAPTION_COLOR: Record<StageStatus, string> = {
  pending: 'text.secondary',
  active: 'primary.main',
  completed: 'success.main',
  error: 'error.main',
  awaiting: 'warning.main',
  skipped: 'text.secondary',
};

const BAR_COLOR: Partial<Record<StageStatus, 'success' | 'error' | 'warning' | 'primary'>> = {
  completed: 'success',
  error: 'error',
  awaiting: 'warning',
};

function stepIcon(status: StageStatus, n: number) {
  if (status === 'awaiting') return <HourglassTopIcon color="warning" />;
  if (status === 'skipped') return <RemoveCircleOutlinedIcon color="disabled" />;
  return n; // a number: MUI draws the circle, a check once completed, a warning on error
}

const StageStep = ({ stage, ...stepProps }: { stage: StageInfo; index?: number; last?: boolean }) => {
  const translate = useTranslate();
  const status = stageState(stage);
  const progress = Math.max(0, Math.min(100, Math.round(stage.progress ?? 0)));
  return (
    <Step
      {...stepProps}
      completed={status === 'completed'}
      active={status === 'active' || status === 'awaiting' || status === 'error'}
      disabled={status === 'skipped'}
      data-stage={stage.number}
      data-status={status}
    >
      <StepLabel
        error={status === 'error'}
        icon={stepIcon(status, stage.number)}
        optional={
          <Typography variant="caption" sx={{ color: CAPTION_COLOR[status] }}>
            {translate(`resources.courses.stages.status.${status}`, { _: status })}
            {status === 'active' || status === 'awaiting' ? ` · ${progress}%` : ''}
          </Typography>
        }
      >
        {stage.name || translate(`resources.courses.stages.${stage.number}`)}
      </StepLabel>
      {status !== 'skipped' && (
        <Box sx={{ px: 3, mt: 1 }}>
          <LinearProgress variant="determinate" value={progress} color={BAR_COLOR[status] ?? 'primary'} aria-label={`${stage.id} ${progress}%`} />
        </Box>
      )}
    </Step>
  );
};

export const StageTimeline = () => {
  const { data: stages } = useCourseQuery<StageInfo[]>('stages', (dp, id) => dp.getStages(id));
  // Five steps side by side need more than a phone's width: one under the other there.
  const small = useSmall();
  if (!stages) return null;
  return (
    <Stepper alternativeLabel={!small} orientation={small ? 'vertical' : 'horizontal'} nonLinear data-testid="stage-timeline" sx={{ py: 1 }}>
      {stages.map((stage) => (
        <StageStep key={stage.id} stage={stage} />
      ))}
    </Stepper>
  );
};
