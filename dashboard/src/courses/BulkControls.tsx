// Bulk retry and cancel on the course list (admin, ops): each selected course gets the
// call; the notification says how many went through and the first refusal's reason.
import { Button } from '@mui/material';
import { useState } from 'react';
import { Confirm, useDataProvider, useListContext, useNotify, useRefresh, useTranslate, useUnselectAll } from 'react-admin';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';

const BulkButton = ({ action }: { action: 'retry' | 'cancel' }) => {
  const { selectedIds } = useListContext();
  const dp = useDataProvider<MissionControlDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const unselectAll = useUnselectAll('courses');
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setOpen(false);
    setBusy(true);
    const results = await Promise.allSettled(selectedIds.map((id) => dp[action](String(id))));
    setBusy(false);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    const done = results.length - refused.length;
    notify('resources.courses.bulk.done', {
      type: refused.length ? 'warning' : 'success',
      messageArgs: { done, total: results.length, reason: refused.length ? errorMessage(refused[0].reason) : '' },
    });
    unselectAll();
    refresh();
  };
  const label = translate(`resources.courses.actions.${action}`);
  return (
    <>
      <Button size="small" color={action === 'cancel' ? 'error' : 'primary'} disabled={busy} onClick={() => setOpen(true)} data-testid={`bulk-${action}`}>
        {label}
      </Button>
      <Confirm isOpen={open} title={label} content={translate('resources.courses.bulk.confirm', { action: label.toLowerCase(), count: selectedIds.length })} onConfirm={run} onClose={() => setOpen(false)} />
    </>
  );
};

export const BulkControls = () => (
  <>
    <BulkButton action="retry" />
    <BulkButton action="cancel" />
  </>
);
