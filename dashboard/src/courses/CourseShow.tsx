// The course page: stage timeline 2 -> 6, the current message and ETA, and the start
// and approve buttons the role allows.
import { Alert, Box, Button, Card, CardContent, LinearProgress, Stack, Step, StepLabel, Stepper, TextField as MuiTextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Show, SimpleShowLayout, TextField, useDataProvider, useNotify, usePermissions, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { ProgressField, StatusChip } from './CourseProgress';
import { ACTIVE, awaitingStage, formatDuration } from './format';

const Timeline = () => {
  const record = useRecordContext();
  const dp = useDataProvider<MissionControlDataProvider>();
  const translate = useTranslate();
  const { data: stages } = useQuery({
    queryKey: ['stages', record?.id, record?.updatedAt],
    queryFn: () => dp.getStages(String(record!.id)),
    enabled: !!record,
  });
  if (!stages) return null;
  const active = stages.findIndex((s) => s.status === 'active' || s.status === 'awaiting' || s.status === 'error');
  return (
    <Stepper activeStep={active} alternativeLabel data-testid="stage-timeline">
      {stages.map((s) => (
        <Step key={s.id} completed={s.status === 'completed'}>
          <StepLabel icon={s.status === "completed" ? undefined : s.number} error={s.status === "error"} optional={<Typography variant="caption">{translate(`mc.stage.${s.skipped ? 'skipped' : s.status}`)}</Typography>}>
            {s.number}. {s.name}
          </StepLabel>
          {!s.skipped && <LinearProgress variant="determinate" value={s.progress} sx={{ mx: 2, mt: 1 }} />}
        </Step>
      ))}
    </Stepper>
  );
};

const StatusPanel = () => {
  const record = useRecordContext();
  const dp = useDataProvider<MissionControlDataProvider>();
  const translate = useTranslate();
  const { data: status } = useQuery({
    queryKey: ['status', record?.id, record?.updatedAt],
    queryFn: () => dp.getStatus(String(record!.id)),
    enabled: !!record,
  });
  if (!status) return null;
  const eta = formatDuration(status.estimatedRemainingSeconds);
  return (
    <Box data-testid="status-message">
      <Typography>{status.message}</Typography>
      {eta && <Typography variant="caption">{translate('mc.eta', { time: eta })}</Typography>}
      {status.status === 'failed' && <Alert severity="error">{String(status.metadata?.error ?? '')}</Alert>}
    </Box>
  );
};

const Actions = () => {
  const record = useRecordContext();
  const dp = useDataProvider<MissionControlDataProvider>();
  const { permissions } = usePermissions();
  const notify = useNotify();
  const refresh = useRefresh();
  const translate = useTranslate();
  const [comment, setComment] = useState('');
  if (!record) return null;
  const gate = awaitingStage(record.generationStatus);
  const run = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      notify(ok, { type: 'success' });
      refresh();
    } catch (err) {
      notify((err as { body?: { message?: string }; message?: string }).body?.message ?? (err as Error).message, { type: 'error' });
    }
  };
  return (
    <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}>
      {record.status === 'idle' && ['admin', 'ops'].includes(permissions) && (
        <Button variant="contained" onClick={() => run(() => dp.startGeneration(String(record.id)), 'mc.notify.started')}>{translate('mc.action.start')}</Button>
      )}
      {gate && ['admin', 'reviewer'].includes(permissions) && (
        <>
          <MuiTextField size="small" label={translate('mc.action.comment')} value={comment} onChange={(e) => setComment(e.target.value)} />
          <Button variant="contained" color="success" data-testid="approve" onClick={() => run(() => dp.approve(String(record.id), { stage: gate, comment }), 'mc.notify.approved')}>
            {translate('mc.action.approve')} · {gate}
          </Button>
        </>
      )}
    </Stack>
  );
};

const Refresher = () => {
  const record = useRecordContext();
  const refresh = useRefresh();
  if (record && ACTIVE.has(record.status)) setTimeout(() => refresh(), 2000);
  return null;
};

export const CourseShow = () => (
  <Show>
    <Refresher />
    <Card variant="outlined" sx={{ m: 2 }}>
      <CardContent>
        <Stack spacing={2}>
          <Stack direction="row" spacing={2} sx={{ alignItems: "center" }}><StatusChip /><ProgressField /></Stack>
          <Timeline />
          <StatusPanel />
          <Actions />
        </Stack>
      </CardContent>
    </Card>
    <SimpleShowLayout>
      <TextField source="title" />
      <TextField source="description" />
      <TextField source="language" />
      <TextField source="contentStyle" />
    </SimpleShowLayout>
  </Show>
);
