// Bulk retry, cancel and restart on the course list (admin, ops). Each button counts the
// selected courses it applies to and is disabled when none does; its dialog names the
// action and the courses, and lists those left out with the reason in plain words (the
// machine's rules, controlActions.ts). The dialog closes with "Close", never a second
// "Cancel". Only eligible courses are sent; a refusal the API still gives is shown per course.
import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Tooltip, Typography } from '@mui/material';
import { useId, useState } from 'react';
import { useDataProvider, useListContext, useNotify, usePermissions, useRefresh, useTranslate, useUnselectAll } from 'react-admin';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import { can } from '../providers/permissions';
import type { Course } from '../types';
import { bulkPlan, statusWord } from './bulk';
import { CONTROL_ACTION, type ControlAction } from './controlActions';

const BulkButton = ({ action }: { action: ControlAction }) => {
  const { selectedIds, data } = useListContext<Course>();
  const dp = useDataProvider<MissionControlDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('courses');
  const translate = useTranslate();
  const ids = useId();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const selected = (data ?? []).filter((c) => selectedIds.includes(c.id));
  const plan = bulkPlan(action, selected);
  const label = translate(`app.gates.bulk.${action}`);
  const why = (c: Course) => translate(`app.gates.bulk.notEligible.${action}`, { status: translate(`app.gates.status.${statusWord(c)}`) });
  const run = async () => {
    setOpen(false);
    setBusy(true);
    const results = await Promise.allSettled(plan.eligible.map((c) => dp[action](String(c.id))));
    setBusy(false);
    const refused = results.flatMap((r, i) =>
      r.status === 'rejected' ? [translate('app.gates.bulk.refused', { title: plan.eligible[i].title, reason: errorMessage(r.reason) })] : [],
    );
    notify([translate('app.gates.bulk.done', { done: results.length - refused.length, total: results.length }), ...refused].join(' '), {
      type: refused.length ? 'warning' : 'success',
    });
    unselectAll();
    refresh();
  };
  const disabled = busy || plan.eligible.length === 0;
  const button = (
    <span>
      <Button
        size="small"
        color={action === 'cancel' ? 'error' : 'primary'}
        disabled={disabled}
        onClick={() => setOpen(true)}
        data-testid={`bulk-${action}`}
        data-eligible={plan.eligible.length}
      >
        {translate('app.gates.bulk.eligible', { label, count: plan.eligible.length })}
      </Button>
    </span>
  );
  return (
    <>
      {plan.eligible.length === 0 && selected.length > 0 ? (
        <Tooltip title={translate('app.gates.bulk.none', { reasons: [...new Set(plan.skipped.map(why))].join('; ') })}>{button}</Tooltip>
      ) : (
        button
      )}
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={`${ids}-title`} data-testid={`bulk-dialog-${action}`}>
        <DialogTitle id={`${ids}-title`}>{translate('app.gates.bulk.title', { action: label, smart_count: plan.eligible.length })}</DialogTitle>
        <DialogContent>
          <Typography variant="body2">{translate('app.gates.bulk.these')}</Typography>
          <Box component="ul" data-testid="bulk-eligible" sx={{ mt: 0.5 }}>
            {plan.eligible.map((c) => (
              <li key={c.id}>{c.title}</li>
            ))}
          </Box>
          {plan.skipped.length > 0 && (
            <>
              <Typography variant="body2">{translate('app.gates.bulk.skipped')}</Typography>
              <Box component="ul" data-testid="bulk-skipped" sx={{ mt: 0.5 }}>
                {plan.skipped.map((c) => (
                  <li key={c.id}>{`${c.title}: ${why(c)}`}</li>
                ))}
              </Box>
            </>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} data-testid="bulk-close">
            {translate('app.gates.bulk.keep')}
          </Button>
          <Button variant="contained" color={action === 'cancel' ? 'error' : 'primary'} onClick={run} data-testid="bulk-go">
            {translate('app.gates.bulk.go', { action: label, smart_count: plan.eligible.length })}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};

export const BulkControls = () => {
  const { permissions } = usePermissions();
  const actions = (['retry', 'restart', 'cancel'] as const).filter((a) => can(permissions, CONTROL_ACTION[a]));
  return (
    <>
      {actions.map((a) => (
        <BulkButton key={a} action={a} />
      ))}
    </>
  );
};
