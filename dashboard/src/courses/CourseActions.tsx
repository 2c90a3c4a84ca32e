// The buttons the role allows on the course page: start an idle course, retry, cancel
// or restart it (admin, ops; each asks for confirmation); approve the stage a course
// waits at with a comment, or reject it with reasons (admin, reviewer; a budget gate:
// admin, finance, who approve the spend or decline it). A refusal shows
// the server's message. While the course waits at a gate, the gate's panel says since
// when, its SLA, who may decide it and offers "escalate now" (the inbox's own words).
import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import PlayArrowIcon from '@mui/icons-material/PlayArrow';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Stack, TextField } from '@mui/material';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useDataProvider, useNotify, usePermissions, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { GatePanel } from '../approvals/GateFacts';
import { RejectDialog } from '../approvals/RejectDialog';
import type { ApprovalItem } from '../types';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import { can } from '../providers/permissions';
import type { Course } from '../types';
import { canDecideGate, CONTROL_ACTION, controlActions, type ControlAction } from './controlActions';
import { awaitingStage } from './status';

/** Runs a course call, then says how it went and refreshes the page's data. */
function useCourseCall<P>(call: (dp: MissionControlDataProvider, params: P) => Promise<unknown>, success: (params: P) => [string, object?]) {
  const dp = useDataProvider<MissionControlDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (params: P) => call(dp, params),
    onSuccess: (_data, params) => {
      const [message, args] = success(params);
      notify(message, { type: 'success', messageArgs: args });
      refresh();
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
}

const StartButton = ({ course }: { course: Course }) => {
  const translate = useTranslate();
  const start = useCourseCall(
    (dp, id: string) => dp.startGeneration(id),
    () => ['resources.courses.notifications.started'],
  );
  return (
    <Button
      variant="contained"
      startIcon={<PlayArrowIcon />}
      disabled={start.isPending}
      onClick={() => start.mutate(String(course.id))}
      data-testid="start-generation"
    >
      {translate('resources.courses.actions.start')}
    </Button>
  );
};

const ApproveForm = ({ course, stage }: { course: Course; stage: number }) => {
  const translate = useTranslate();
  const [comment, setComment] = useState('');
  const approve = useCourseCall(
    (dp, p: { stage: number; comment: string }) => dp.approve(String(course.id), p),
    (p) => ['resources.courses.notifications.approved', { stage: p.stage }],
  );
  return (
    <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' }, flex: 1 }}>
      <TextField
        size="small"
        label={translate('resources.courses.actions.comment')}
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        multiline
        maxRows={4}
        sx={{ flex: 1, maxWidth: 480 }}
        slotProps={{ htmlInput: { maxLength: 5000, 'data-testid': 'approve-comment' } }}
      />
      <Button
        variant="contained"
        color="success"
        startIcon={<CheckIcon />}
        disabled={approve.isPending}
        onClick={() => approve.mutate({ stage, comment: comment.trim() }, { onSuccess: () => setComment('') })}
        data-testid="approve"
      >
        {course.gateKind === 'budget' ? translate('app.approvals.approveBudget') : translate('resources.courses.actions.approve', { stage })}
      </Button>
    </Stack>
  );
};

const ControlButton = ({ course, action }: { course: Course; action: ControlAction }) => {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const call = useCourseCall(
    (dp, id: string) => dp[action](id),
    () => [`resources.courses.notifications.${action}`],
  );
  const label = translate(`resources.courses.actions.${action}`);
  return (
    <>
      <Button
        variant="outlined"
        color={action === 'cancel' ? 'error' : 'primary'}
        disabled={call.isPending}
        onClick={() => setOpen(true)}
        data-testid={`course-${action}`}
      >
        {label}
      </Button>
      {/* Never two buttons called Cancel: the dialog's close keeps the course as it is. */}
      <Dialog open={open} onClose={() => setOpen(false)}>
        <DialogTitle>{label}</DialogTitle>
        <DialogContent>
          <DialogContentText>{translate('app.course.confirm', { action: label.toLowerCase(), title: course.title })}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} data-testid="confirm-keep">
            {translate('app.gates.keep')}
          </Button>
          <Button
            variant="contained"
            color={action === 'cancel' ? 'error' : 'primary'}
            data-testid="confirm-go"
            onClick={() => {
              setOpen(false);
              call.mutate(String(course.id));
            }}
          >
            {label}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};

const RejectButton = ({ course, stage, gate }: { course: Course; stage: number; gate: ApprovalItem | null }) => {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="outlined" color="error" startIcon={<CloseIcon />} onClick={() => setOpen(true)} data-testid="reject">
        {translate(course.gateKind === 'budget' ? 'app.approvals.declineBudget' : 'app.approvals.reject')}
      </Button>
      <RejectDialog
        item={{ courseId: String(course.id), stage, title: course.title, kind: course.gateKind ?? 'review', rerunEstimateUsd: gate?.rerunEstimateUsd }}
        open={open}
        onClose={() => setOpen(false)}
      />
    </>
  );
};

/** The gate the course waits at (who decides, since when, the SLA), while it waits. */
function useGate(course: Course | undefined, waiting: boolean, permissions: unknown) {
  const dp = useDataProvider<MissionControlDataProvider>();
  return useQuery({
    queryKey: ['approvals', 'gate', course?.id],
    queryFn: () => dp.getGate(String(course!.id)),
    enabled: !!course && waiting && can(permissions, 'approvals.read'),
  });
}

export const CourseActions = () => {
  const record = useRecordContext<Course>();
  const { permissions } = usePermissions();
  const gate = record ? awaitingStage(record.generationStatus) : null;
  const { data: gateItem } = useGate(record, gate !== null, permissions);
  if (!record) return null;
  const canStart = record.status === 'idle' && can(permissions, 'courses.start');
  const canApprove = gate !== null && canDecideGate(permissions, record.gateKind);
  const controls = controlActions(record).filter((a) => can(permissions, CONTROL_ACTION[a]));
  const panel = gate !== null && gateItem ? <GatePanel item={gateItem} /> : null;
  if (!canStart && !canApprove && controls.length === 0) return panel;
  return (
    <>
      {panel}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        {canStart && <StartButton course={record} />}
        {canApprove && <ApproveForm course={record} stage={gate} />}
        {canApprove && <RejectButton course={record} stage={gate} gate={gateItem ?? null} />}
        {controls.map((a) => (
          <ControlButton key={a} course={record} action={a} />
        ))}
      </Stack>
    </>
  );
};
