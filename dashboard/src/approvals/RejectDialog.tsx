// Rejecting at a gate: why (reasons and/or a comment, at least one) and what happens next
// (run the stage again, with its estimated cost, or cancel the course) — chosen by the
// reviewer, never defaulted. Declining a budget gate cancels the course, with a reason.
// The same rules are the API's (a rejection without reason or comment is a 400).
import {
  Alert,
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormLabel,
  Radio,
  RadioGroup,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useDataProvider, useLocale, useNotify, useTranslate } from 'react-admin';
import { formatMoney } from '../courses/format';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import type { ApprovalItem, RejectionReason } from '../types';
import { actionOf, rejectProblems, type RejectProblem } from './decision';

export const REASONS: RejectionReason[] = ['too_shallow', 'wrong_audience', 'off_topic', 'factual_errors', 'poor_structure', 'other'];

export type RejectTarget = Pick<ApprovalItem, 'courseId' | 'stage' | 'title'> & { kind?: ApprovalItem['kind']; rerunEstimateUsd?: string | null };

export const RejectDialog = ({ item, open, onClose }: { item: RejectTarget; open: boolean; onClose: () => void }) => {
  const budget = item.kind === 'budget';
  const translate = useTranslate();
  const locale = useLocale();
  const dp = useDataProvider<MissionControlDataProvider>();
  const notify = useNotify();
  const qc = useQueryClient();
  const ids = useId();
  const [reasons, setReasons] = useState<RejectionReason[]>([]);
  const [action, setAction] = useState<'rerun' | 'cancel' | null>(null);
  const [comment, setComment] = useState('');
  const [shown, setShown] = useState<RejectProblem[]>([]);
  const draft = { reasons, comment, action, budget };
  const problems = rejectProblems(draft);
  const reject = useMutation({
    mutationFn: () => dp.reject(item.courseId, { stage: item.stage, action: actionOf(draft), reasons, comment: comment.trim() }),
    onSuccess: () => {
      notify('app.approvals.rejected', { type: 'success', messageArgs: { stage: item.stage } });
      void qc.invalidateQueries({ queryKey: ['approvals'] });
      void qc.invalidateQueries({ queryKey: ['courses'] });
      onClose();
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  const submit = () => {
    setShown(problems);
    if (problems.length === 0) reject.mutate();
  };
  const toggle = (r: RejectionReason) => setReasons((rs) => (rs.includes(r) ? rs.filter((x) => x !== r) : [...rs, r]));
  const estimate = item.rerunEstimateUsd != null && Number(item.rerunEstimateUsd) > 0 ? Number(item.rerunEstimateUsd) : null;
  const reasonMissing = shown.includes('reason') && problems.includes('reason');
  const actionMissing = shown.includes('action') && problems.includes('action');
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm" aria-labelledby={`${ids}-title`}>
      <DialogTitle id={`${ids}-title`}>{translate('app.approvals.rejectTitle', { title: item.title, stage: item.stage })}</DialogTitle>
      <DialogContent>
        <FormControl component="fieldset" error={reasonMissing} fullWidth>
          <FormLabel component="legend">{translate('app.gates.reject.why')}</FormLabel>
          {!budget && (
            <FormGroup row>
              {REASONS.map((r) => (
                <FormControlLabel
                  key={r}
                  control={
                    <Checkbox checked={reasons.includes(r)} onChange={() => toggle(r)} slotProps={{ input: { 'data-testid': `reason-${r}` } as object }} />
                  }
                  label={translate(`app.approvals.reasons.${r}`)}
                />
              ))}
            </FormGroup>
          )}
          <TextField
            fullWidth
            margin="dense"
            multiline
            minRows={2}
            label={translate('resources.courses.actions.comment')}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 5000, 'data-testid': 'reject-comment' } }}
          />
          {reasonMissing && (
            <Alert severity="error" data-testid="reject-need-reason" sx={{ mt: 1 }}>
              {translate('app.gates.reject.needReason')}
            </Alert>
          )}
        </FormControl>
        {budget ? (
          <Typography variant="body2" sx={{ mt: 2 }}>
            {translate('app.gates.reject.budgetCancel')}
          </Typography>
        ) : (
          <FormControl component="fieldset" error={actionMissing} sx={{ mt: 2 }} fullWidth>
            <FormLabel component="legend" id={`${ids}-then`}>
              {translate('app.gates.reject.then')}
            </FormLabel>
            <RadioGroup aria-labelledby={`${ids}-then`} value={action ?? ''} onChange={(e) => setAction(e.target.value as 'rerun' | 'cancel')}>
              <FormControlLabel
                value="rerun"
                control={<Radio slotProps={{ input: { 'data-testid': 'reject-action-rerun' } as object }} />}
                label={translate('app.gates.reject.rerun', { stage: item.stage })}
              />
              <FormControlLabel
                value="cancel"
                control={<Radio slotProps={{ input: { 'data-testid': 'reject-action-cancel' } as object }} />}
                label={translate('app.gates.reject.cancel')}
              />
            </RadioGroup>
            {action === 'rerun' && (
              <Alert severity="info" data-testid="reject-rerun-estimate" data-value={estimate ?? ''}>
                {estimate !== null
                  ? translate('app.gates.reject.rerunCost', { cost: formatMoney(estimate, locale), stage: item.stage })
                  : translate('app.gates.reject.rerunCostUnknown', { stage: item.stage })}
              </Alert>
            )}
            {actionMissing && (
              <Alert severity="error" data-testid="reject-need-action" sx={{ mt: 1 }}>
                {translate('app.gates.reject.needAction')}
              </Alert>
            )}
          </FormControl>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} data-testid="reject-keep">
          {translate('app.gates.reject.keep')}
        </Button>
        <Button color="error" variant="contained" disabled={reject.isPending} onClick={submit} data-testid="reject-confirm">
          {translate(
            budget
              ? 'app.approvals.declineBudget'
              : action === 'cancel'
                ? 'app.gates.reject.confirmCancel'
                : action === 'rerun'
                  ? 'app.gates.reject.confirmRerun'
                  : 'app.approvals.reject',
          )}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
