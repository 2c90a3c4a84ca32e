// What a waiting gate is about, in one line of chips, and who may decide it, with
// "escalate now" for those who may (ops, admins): shared by the inbox's cards and the
// course page, so both say the same.
import { Box, Button, Chip, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle, Stack, Typography } from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useDataProvider, useLocale, useNotify, usePermissions, useTranslate } from 'react-admin';
import { formatEta, formatMoney } from '../courses/format';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import { can } from '../providers/permissions';
import type { ApprovalItem } from '../types';
import { structureCounts } from './decision';

const at = (iso: string, locale: string) => new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });

export const GateChips = ({ item }: { item: ApprovalItem }) => {
  const translate = useTranslate();
  const locale = useLocale();
  const counts = structureCounts(item.output);
  const overdue = item.dueAt !== null && Date.parse(item.dueAt) <= Date.now();
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <Chip size="small" label={`${item.stage} · ${translate(`resources.courses.stages.${item.stage}`)}`} data-testid="gate-stage" />
      <Chip size="small" variant="outlined" label={translate(`app.gates.inbox.${item.kind}`)} data-testid="gate-kind" />
      <Chip
        size="small"
        data-testid="approval-wait"
        data-since={item.waitingSince}
        title={at(item.waitingSince, locale)}
        label={`${translate('app.approvals.waiting', { time: formatEta(item.waitSeconds, locale) ?? '0' })} · ${translate('app.gates.inbox.since', { at: at(item.waitingSince, locale) })}`}
      />
      <Chip
        size="small"
        variant={overdue ? 'filled' : 'outlined'}
        color={overdue ? 'error' : 'default'}
        data-testid="gate-sla"
        data-overdue={overdue}
        label={
          item.dueAt
            ? translate(overdue ? 'app.gates.inbox.overdue' : 'app.gates.inbox.onTime', { at: at(item.dueAt, locale) })
            : translate('app.gates.inbox.noSla')
        }
      />
      {item.escalatedAt && (
        <Chip
          size="small"
          color="error"
          data-testid="gate-escalated"
          data-reason={item.escalation?.reason ?? 'deadline'}
          label={
            item.escalation?.reason === 'manual'
              ? translate('app.gates.inbox.escalatedBy', { name: item.escalation.by?.name ?? '—', at: at(item.escalatedAt, locale) })
              : translate('app.gates.inbox.escalatedDeadline', { at: at(item.escalatedAt, locale) })
          }
        />
      )}
      <Chip
        size="small"
        variant="outlined"
        data-testid="gate-cost"
        label={translate('app.gates.inbox.cost', { cost: formatMoney(Number(item.costUsd), locale) })}
      />
      {counts && (
        <Typography variant="body2" data-testid="gate-counts">
          {translate('app.gates.inbox.sections', { smart_count: counts.sections })} · {translate('app.gates.inbox.lessons', { smart_count: counts.lessons })}
        </Typography>
      )}
    </Stack>
  );
};

/** "Who decides: …" — the organization's people who may decide, by name. */
export const Deciders = ({ item }: { item: ApprovalItem }) => {
  const translate = useTranslate();
  if (item.deciders.length === 0)
    return (
      <Typography variant="body2" color="error" data-testid="gate-deciders">
        {translate('app.gates.route.nobody')}
      </Typography>
    );
  const names = item.deciders.map((d) => `${d.name || d.email} (${translate(`app.roles.${d.role}`)})`).join(', ');
  return (
    <Typography variant="body2" data-testid="gate-deciders">
      {translate('app.gates.route.deciders', { names })}
    </Typography>
  );
};

export const EscalateButton = ({ item }: { item: ApprovalItem }) => {
  const translate = useTranslate();
  const { permissions } = usePermissions();
  const dp = useDataProvider<MissionControlDataProvider>();
  const notify = useNotify();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const escalate = useMutation({
    mutationFn: () => dp.escalate(item.courseId),
    onSuccess: () => {
      notify('app.gates.route.escalated', { type: 'success' });
      void qc.invalidateQueries({ queryKey: ['approvals'] });
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  if (!can(permissions, 'gates.escalate') || item.escalatedAt) return null;
  return (
    <>
      <Button size="small" variant="outlined" color="secondary" disabled={escalate.isPending} onClick={() => setOpen(true)} data-testid="gate-escalate">
        {translate('app.gates.route.escalate')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)}>
        <DialogTitle>{translate('app.gates.route.escalateTitle', { title: item.title })}</DialogTitle>
        <DialogContent>
          <DialogContentText>{translate('app.gates.route.escalateBody')}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('app.gates.keep')}</Button>
          <Button
            variant="contained"
            color="secondary"
            data-testid="gate-escalate-confirm"
            onClick={() => {
              setOpen(false);
              escalate.mutate();
            }}
          >
            {translate('app.gates.route.escalate')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};

/** The course page's panel: the same facts, who decides, escalate now. */
export const GatePanel = ({ item }: { item: ApprovalItem }) => {
  const translate = useTranslate();
  return (
    <Box data-testid="gate-panel" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, my: 1 }}>
      <Typography variant="subtitle1" component="h2" sx={{ mb: 1 }}>
        {translate('app.gates.route.title')}
      </Typography>
      <GateChips item={item} />
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mt: 1, flexWrap: 'wrap' }}>
        <Deciders item={item} />
        <EscalateButton item={item} />
      </Stack>
    </Box>
  );
};
