// Open stall alerts on the overview (admins and ops): a course whose bar stopped, a
// running job without a heartbeat, a queue nobody consumes. The socket's alert.raised /
// alert.cleared events refetch it; it is empty when all is well.
import { Alert, AlertTitle, Stack } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useLocale, usePermissions, useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import { can } from '../providers/permissions';
import type { Alert as ApiAlert } from '../types';

type AlertRow = ApiAlert;

export const AlertsPanel = () => {
  const dp = useDataProvider();
  const translate = useTranslate();
  const locale = useLocale();
  const { permissions } = usePermissions();
  const allowed = can(permissions, 'alerts.read');
  const { data } = useQuery({
    queryKey: ['alerts', 'open'],
    enabled: allowed,
    queryFn: () =>
      dp.getList<AlertRow & { id: string }>('alerts', {
        pagination: { page: 1, perPage: 20 },
        sort: { field: 'raisedAt', order: 'DESC' },
        filter: { status: 'open' },
      }),
  });
  if (!allowed || !data?.data.length) return null;
  return (
    <Stack spacing={1} sx={{ mb: 2 }} data-testid="overview-alerts">
      {data.data.map((a) => (
        <Alert key={a.id} severity="warning" data-kind={a.kind}>
          <AlertTitle>{translate(`app.alerts.${a.kind}`, { _: a.kind })}</AlertTitle>
          {a.courseId ? <Link to={`/courses/${a.courseId}/show`}>{a.subject}</Link> : a.subject}
          {' · '}
          {translate('app.alerts.since', { time: new Date(a.raisedAt).toLocaleString(locale) })}
        </Alert>
      ))}
    </Stack>
  );
};
