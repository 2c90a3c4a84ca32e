// The gates inbox: courses waiting at a gate, oldest first, how long each has waited
// against its SLA, what the stage produced (the course structure as a tree), what
// changed since a rejected attempt, and approve / reject with reasons. Reviewers see
// review gates; finance sees budget gates (the projection, never the content) and
// approves the spend or declines it. Refreshed by the socket (approval.requested, course.updated).
import { Alert, Box, Button, Card, CardActions, CardContent, Checkbox, Chip, Dialog, DialogActions, DialogContent, DialogTitle, FormControlLabel, FormGroup, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Title, useDataProvider, useLocale, useNotify, usePermissions, useTranslate } from 'react-admin';
import { formatEta, formatMoney } from '../courses/format';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import type { ApprovalItem, RejectionReason } from '../types';
import { diffLines, jsonLines } from './diff';
import { isStructure, StructureTree } from './StructureTree';
import { can } from '../providers/permissions';

const REASONS: RejectionReason[] = ['too_shallow', 'wrong_audience', 'off_topic', 'factual_errors', 'poor_structure', 'other'];

const JsonDetails = ({ value, testId, label }: { value: unknown; testId: string; label: string }) => (
  <Box component="details" data-testid={testId} sx={{ my: 1 }}>
    <Typography component="summary" variant="body2" sx={{ cursor: 'pointer' }}>{label}</Typography>
    <Box component="pre" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12, bgcolor: 'action.hover', p: 1, maxHeight: 360, overflow: 'auto' }}>
      {JSON.stringify(value, null, 2)}
    </Box>
  </Box>
);

const Diff = ({ before, after }: { before: unknown; after: unknown }) => {
  const translate = useTranslate();
  const lines = diffLines(jsonLines(before), jsonLines(after));
  const changed = lines.filter((l) => l.op !== ' ').length;
  return (
    <Box component="details" data-testid="approval-diff" sx={{ my: 1 }}>
      <Typography component="summary" variant="body2" sx={{ cursor: 'pointer' }}>
        {translate('app.approvals.diff', { count: changed })}
      </Typography>
      <Box component="pre" sx={{ fontSize: 12, p: 1, maxHeight: 360, overflow: 'auto', bgcolor: 'action.hover' }}>
        {lines.map((l, i) => (
          <Box key={i} component="div" sx={{ bgcolor: l.op === '+' ? 'success.light' : l.op === '-' ? 'error.light' : undefined, whiteSpace: 'pre-wrap' }}>
            {l.op} {l.text}
          </Box>
        ))}
      </Box>
    </Box>
  );
};

/** Rejecting a review: reasons, then rerun or cancel. Declining a budget gate: cancel, with a comment. */
export const RejectDialog = ({ item, open, onClose }: { item: Pick<ApprovalItem, 'courseId' | 'stage' | 'title'> & { kind?: ApprovalItem['kind'] }; open: boolean; onClose: () => void }) => {
  const budget = item.kind === 'budget';
  const translate = useTranslate();
  const dp = useDataProvider<MissionControlDataProvider>();
  const notify = useNotify();
  const qc = useQueryClient();
  const [reasons, setReasons] = useState<RejectionReason[]>([]);
  const [action, setAction] = useState<'rerun' | 'cancel'>(budget ? 'cancel' : 'rerun');
  const [comment, setComment] = useState('');
  const reject = useMutation({
    mutationFn: () => dp.reject(item.courseId, { stage: item.stage, action, reasons, comment: comment.trim() }),
    onSuccess: () => {
      notify('app.approvals.rejected', { type: 'success', messageArgs: { stage: item.stage } });
      void qc.invalidateQueries({ queryKey: ['approvals'] });
      void qc.invalidateQueries({ queryKey: ['courses'] });
      onClose();
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  const toggle = (r: RejectionReason) => setReasons((rs) => (rs.includes(r) ? rs.filter((x) => x !== r) : [...rs, r]));
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{translate('app.approvals.rejectTitle', { title: item.title, stage: item.stage })}</DialogTitle>
      <DialogContent>
        {!budget && (
          <>
            <FormGroup>
              {REASONS.map((r) => (
                <FormControlLabel key={r} control={<Checkbox checked={reasons.includes(r)} onChange={() => toggle(r)} data-testid={`reason-${r}`} />} label={translate(`app.approvals.reasons.${r}`)} />
              ))}
            </FormGroup>
            <TextField select fullWidth margin="dense" label={translate('app.approvals.action')} value={action} onChange={(e) => setAction(e.target.value as 'rerun' | 'cancel')}>
              <MenuItem value="rerun">{translate('app.approvals.rerun')}</MenuItem>
              <MenuItem value="cancel">{translate('app.approvals.cancel')}</MenuItem>
            </TextField>
          </>
        )}
        <TextField fullWidth margin="dense" multiline minRows={2} label={translate('resources.courses.actions.comment')} value={comment} onChange={(e) => setComment(e.target.value)} slotProps={{ htmlInput: { maxLength: 5000, 'data-testid': 'reject-comment' } }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button color="error" variant="contained" disabled={reject.isPending} onClick={() => reject.mutate()} data-testid="reject-confirm">
          {translate(budget ? 'app.approvals.declineBudget' : 'app.approvals.reject')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};

const ApprovalCard = ({ item }: { item: ApprovalItem }) => {
  const translate = useTranslate();
  const locale = useLocale();
  const dp = useDataProvider<MissionControlDataProvider>();
  const notify = useNotify();
  const qc = useQueryClient();
  const [comment, setComment] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const approve = useMutation({
    mutationFn: () => dp.approve(item.courseId, { stage: item.stage, comment: comment.trim() }),
    onSuccess: () => {
      notify('resources.courses.notifications.approved', { type: 'success', messageArgs: { stage: item.stage } });
      void qc.invalidateQueries({ queryKey: ['approvals'] });
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  const waited = formatEta(item.waitSeconds, locale) ?? '0';
  return (
    <Card variant="outlined" sx={{ mb: 2 }} data-testid="approval-item" data-course={item.courseId}>
      <CardContent>
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography variant="h6" sx={{ flex: 1 }}>
            <Link to={`/courses/${item.courseId}/show`}>{item.title}</Link>
          </Typography>
          <Chip size="small" label={`${item.stage} · ${translate(`resources.courses.stages.${item.stage}`)}`} />
          <Chip size="small" color={item.overdue ? 'error' : 'default'} data-testid="approval-wait" label={translate('app.approvals.waiting', { time: waited })} />
          {item.dueAt && (
            <Chip size="small" variant="outlined" color={item.overdue ? 'error' : 'info'} label={translate(item.overdue ? 'app.approvals.overdue' : 'app.approvals.due', { at: new Date(item.dueAt).toLocaleString(locale) })} />
          )}
          <Chip size="small" variant="outlined" label={formatMoney(Number(item.costUsd), locale)} />
        </Stack>
        {item.kind === 'budget' && item.budget && (
          <Alert severity="warning" sx={{ my: 1 }} data-testid="approval-budget">
            {translate('app.approvals.budgetGate', {
              projected: formatMoney(item.budget.projectedUsd, locale), budget: formatMoney(item.budget.budgetUsd, locale), spent: formatMoney(item.budget.spentUsd, locale),
            })}
          </Alert>
        )}
        {isStructure(item.output) ? <StructureTree structure={item.output} /> : null}
        {item.output !== null && <JsonDetails value={item.output} testId="approval-output" label={translate('app.approvals.output')} />}
        {item.previous && (
          <>
            <Alert severity="info" sx={{ my: 1 }}>
              {translate('app.approvals.previous', { reasons: item.previous.reasons.map((r) => translate(`app.approvals.reasons.${r}`)).join(', ') || '—' })}
              {item.previous.comment ? ` — ${item.previous.comment}` : ''}
            </Alert>
            <Diff before={item.previous.output} after={item.output} />
          </>
        )}
      </CardContent>
      <CardActions sx={{ px: 2, pb: 2 }}>
        <TextField size="small" label={translate('resources.courses.actions.comment')} value={comment} onChange={(e) => setComment(e.target.value)} sx={{ flex: 1, maxWidth: 480 }} slotProps={{ htmlInput: { maxLength: 5000 } }} />
        <Button variant="contained" color="success" disabled={approve.isPending} onClick={() => approve.mutate()} data-testid="inbox-approve">
          {item.kind === 'budget' ? translate('app.approvals.approveBudget') : translate('resources.courses.actions.approve', { stage: item.stage })}
        </Button>
        <Button variant="outlined" color="error" onClick={() => setRejecting(true)} data-testid="inbox-reject">
          {translate(item.kind === 'budget' ? 'app.approvals.declineBudget' : 'app.approvals.reject')}
        </Button>
      </CardActions>
      <RejectDialog item={item} open={rejecting} onClose={() => setRejecting(false)} />
    </Card>
  );
};

export const ApprovalsPage = () => {
  const dp = useDataProvider<MissionControlDataProvider>();
  const translate = useTranslate();
  const { permissions } = usePermissions();
  const { data, error } = useQuery({ queryKey: ['approvals'], queryFn: () => dp.getApprovals() });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate('app.approvals.title')} />
      {error && <Alert severity="error">{errorMessage(error)}</Alert>}
      {data?.length === 0 && <Typography data-testid="approvals-empty">{translate(!can(permissions, 'courses.approve') ? 'app.approvals.budgetEmpty' : 'app.approvals.empty')}</Typography>}
      {data?.map((item) => <ApprovalCard key={`${item.courseId}-${item.stage}`} item={item} />)}
    </Box>
  );
};
