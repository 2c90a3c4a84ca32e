// The gates inbox: compact cards (stage, course, waiting since, SLA state, escalation,
// cost so far, sections and lessons) with the structure on demand, overdue and escalated
// first, then by due time; filters by stage and kind; what changed since a rejected
// attempt (sections and lessons in words, diff/StructureDiff.tsx); approve / reject. Reviewers see review gates; finance budget gates (the
// projection, never the content); ops every gate, read-only, with who decides it and
// "escalate now". Live: the socket's gate events refetch it (live/LiveUpdates.tsx).
import { Alert, Box, Button, Card, CardActions, CardContent, MenuItem, Stack, TextField, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Title, useDataProvider, useLocale, useNotify, usePermissions, useTranslate } from 'react-admin';
import { formatMoney } from '../courses/format';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import type { ApprovalItem } from '../types';
import { inboxFilter, inboxOrder, type InboxFilter } from './decision';
import { StructureDiff } from '../diff/StructureDiff';
import { changeCount, structureDiff } from '../diff/structureDiff';
import { Deciders, EscalateButton, GateChips } from './GateFacts';
import { RejectDialog } from './RejectDialog';
import { isStructure, StructureTree } from './StructureTree';
import { can } from '../providers/permissions';

const JsonDetails = ({ value, testId, label }: { value: unknown; testId: string; label: string }) => (
  <Box component="details" data-testid={testId} sx={{ my: 1 }}>
    <Typography component="summary" variant="body2" sx={{ cursor: 'pointer' }}>
      {label}
    </Typography>
    <Box
      component="pre"
      tabIndex={0}
      sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12, bgcolor: 'action.hover', p: 1, maxHeight: 360, overflow: 'auto' }}
    >
      {JSON.stringify(value, null, 2)}
    </Box>
  </Box>
);

/** What changed since the rejected attempt, on demand: sections and lessons in words, the raw JSON of both attempts behind its own disclosure. */
const RerunDiff = ({ before, after }: { before: unknown; after: unknown }) => {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const changes = changeCount(structureDiff(before, after));
  return (
    <Box data-testid="approval-diff" sx={{ my: 0.5 }}>
      <Button size="small" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="diff-toggle" sx={{ px: 0 }}>
        {open ? translate('app.diff.hide') : translate('app.diff.show', { smart_count: changes })}
      </Button>
      {open && (
        <>
          <StructureDiff before={before} after={after} />
          <JsonDetails value={before} testId="approval-previous-output" label={translate('app.approvals.previousOutput')} />
        </>
      )}
    </Box>
  );
};

/** Why a previous attempt was rejected: its reasons, its comment, or just that it was (never an empty "—"). */
const PreviousRejection = ({ previous }: { previous: NonNullable<ApprovalItem['previous']> }) => {
  const translate = useTranslate();
  const reasons = previous.reasons.map((r) => translate(`app.approvals.reasons.${r}`)).join(', ');
  const text = reasons ? translate('app.gates.reject.previousWith', { reasons }) : translate('app.gates.reject.previous');
  return (
    <Alert severity="info" sx={{ my: 1 }} data-testid="approval-previous">
      {text}
      {previous.comment ? ` — “${previous.comment}”` : ''}
    </Alert>
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
  const [tree, setTree] = useState(false);
  const approve = useMutation({
    mutationFn: () => dp.approve(item.courseId, { stage: item.stage, comment: comment.trim() }),
    onSuccess: () => {
      notify('resources.courses.notifications.approved', { type: 'success', messageArgs: { stage: item.stage } });
      void qc.invalidateQueries({ queryKey: ['approvals'] });
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  const who = translate(item.kind === 'budget' ? 'app.gates.route.finance' : 'app.gates.route.reviewers');
  return (
    <Card variant="outlined" sx={{ mb: 1.5 }} data-testid="approval-item" data-course={item.courseId} data-stage={item.stage} data-kind={item.kind}>
      <CardContent sx={{ pb: 1 }}>
        <Typography variant="h6" component="h2" sx={{ mb: 0.5, fontSize: '1.05rem' }}>
          <Link to={`/courses/${item.courseId}/show`}>{item.title}</Link>
        </Typography>
        <GateChips item={item} />
        {item.kind === 'budget' && item.budget && (
          <Alert severity="warning" sx={{ my: 1 }} data-testid="approval-budget">
            {translate('app.approvals.budgetGate', {
              projected: formatMoney(item.budget.projectedUsd, locale),
              budget: formatMoney(item.budget.budgetUsd, locale),
              spent: formatMoney(item.budget.spentUsd, locale),
            })}
          </Alert>
        )}
        <Box sx={{ mt: 1 }}>
          <Deciders item={item} />
        </Box>
        {item.previous && <PreviousRejection previous={item.previous} />}
        {item.previous && item.output !== null && <RerunDiff before={item.previous.output} after={item.output} />}
        {item.output !== null && (
          <Button size="small" onClick={() => setTree((t) => !t)} aria-expanded={tree} data-testid="structure-toggle" sx={{ mt: 0.5, px: 0 }}>
            {translate(tree ? 'app.gates.inbox.hideTree' : 'app.gates.inbox.showTree')}
          </Button>
        )}
        {tree && (
          <>
            {isStructure(item.output) ? <StructureTree structure={item.output} /> : null}
            <JsonDetails value={item.output} testId="approval-output" label={translate('app.approvals.output')} />
          </>
        )}
      </CardContent>
      <CardActions sx={{ px: 2, pb: 2, flexWrap: 'wrap', gap: 1 }}>
        {item.canDecide ? (
          <>
            <TextField
              size="small"
              label={translate('resources.courses.actions.comment')}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              sx={{ flex: 1, minWidth: 200, maxWidth: 480 }}
              slotProps={{ htmlInput: { maxLength: 5000 } }}
            />
            <Button variant="contained" color="success" disabled={approve.isPending} onClick={() => approve.mutate()} data-testid="inbox-approve">
              {item.kind === 'budget' ? translate('app.approvals.approveBudget') : translate('resources.courses.actions.approve', { stage: item.stage })}
            </Button>
            <Button variant="outlined" color="error" onClick={() => setRejecting(true)} data-testid="inbox-reject">
              {translate(item.kind === 'budget' ? 'app.approvals.declineBudget' : 'app.approvals.reject')}
            </Button>
          </>
        ) : (
          <Typography variant="body2" color="text.secondary" data-testid="approval-read-only" sx={{ flex: 1 }}>
            {translate('app.gates.inbox.readOnly', { who })}
          </Typography>
        )}
        <EscalateButton item={item} />
      </CardActions>
      {item.canDecide && <RejectDialog item={item} open={rejecting} onClose={() => setRejecting(false)} />}
    </Card>
  );
};

const STAGES = [2, 3, 4, 5, 6];

const Filters = ({ value, onChange }: { value: InboxFilter; onChange: (f: InboxFilter) => void }) => {
  const translate = useTranslate();
  return (
    <Stack direction="row" spacing={2} sx={{ my: 2, flexWrap: 'wrap' }} role="group" aria-label={translate('app.gates.inbox.filters')}>
      <TextField
        select
        size="small"
        label={translate('app.gates.inbox.stage')}
        value={String(value.stage)}
        sx={{ minWidth: 200 }}
        onChange={(e) => onChange({ ...value, stage: e.target.value === 'all' ? 'all' : Number(e.target.value) })}
        slotProps={{ htmlInput: { 'data-testid': 'inbox-filter-stage' } }}
      >
        <MenuItem value="all">{translate('app.gates.inbox.all')}</MenuItem>
        {STAGES.map((n) => (
          <MenuItem key={n} value={String(n)}>{`${n} · ${translate(`resources.courses.stages.${n}`)}`}</MenuItem>
        ))}
      </TextField>
      <TextField
        select
        size="small"
        label={translate('app.gates.inbox.kind')}
        value={value.kind}
        sx={{ minWidth: 160 }}
        onChange={(e) => onChange({ ...value, kind: e.target.value as InboxFilter['kind'] })}
        slotProps={{ htmlInput: { 'data-testid': 'inbox-filter-kind' } }}
      >
        <MenuItem value="all">{translate('app.gates.inbox.all')}</MenuItem>
        <MenuItem value="review">{translate('app.gates.inbox.review')}</MenuItem>
        <MenuItem value="budget">{translate('app.gates.inbox.budget')}</MenuItem>
      </TextField>
    </Stack>
  );
};

export const ApprovalsPage = () => {
  const dp = useDataProvider<MissionControlDataProvider>();
  const translate = useTranslate();
  const { permissions } = usePermissions();
  const [filter, setFilter] = useState<InboxFilter>({ stage: 'all', kind: 'all' });
  const { data, error } = useQuery({ queryKey: ['approvals'], queryFn: () => dp.getApprovals() });
  const shown = data ? inboxOrder(inboxFilter(data, filter)) : [];
  const decidesNone = !can(permissions, 'courses.approve') && !can(permissions, 'gates.decideBudget');
  const empty = decidesNone ? 'app.gates.inbox.opsEmpty' : !can(permissions, 'courses.approve') ? 'app.approvals.budgetEmpty' : 'app.approvals.empty';
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={translate('app.approvals.title')} />
      <Typography variant="h5" component="h1">
        {translate('app.approvals.title')}
      </Typography>
      {error && <Alert severity="error">{errorMessage(error)}</Alert>}
      {data && data.length > 0 && (
        <>
          <Filters value={filter} onChange={setFilter} />
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }} data-testid="approvals-count" data-value={shown.length}>
            {translate('app.gates.inbox.count', { smart_count: shown.length })}
          </Typography>
        </>
      )}
      {data?.length === 0 && (
        <Typography data-testid="approvals-empty" sx={{ mt: 2 }}>
          {translate(empty)}
        </Typography>
      )}
      {data && data.length > 0 && shown.length === 0 && (
        <Typography data-testid="approvals-filtered-empty">{translate('app.gates.inbox.nothingFiltered')}</Typography>
      )}
      {shown.map((item) => (
        <ApprovalCard key={`${item.courseId}-${item.stage}`} item={item} />
      ))}
    </Box>
  );
};
