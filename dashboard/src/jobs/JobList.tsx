// The organization's phase jobs (the tenants' "Queues"): what waits, runs, waits to try
// again or failed, with its course, stage and phase, attempt, age, error and worker; a
// stuck job is marked with why; a failed one can be retried from its row. Refetched
// every few seconds and whenever a course of the organization changes (live/LiveUpdates).
import ReplayIcon from '@mui/icons-material/Replay';
import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import { Button, Chip, Stack, Tooltip, Typography } from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import {
  Datagrid,
  FunctionField,
  List,
  SimpleList,
  SelectInput,
  TextInput,
  useDataProvider,
  useLocale,
  useNotify,
  usePermissions,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { phaseLabel, stageLabel } from '../i18n/words';
import { useSmall } from '../list/useSmall';
import { Link } from 'react-router-dom';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import { can } from '../providers/permissions';
import { formatAge, type Job, JOB_STATES, stateColor } from './job';
import { CappedPagination } from '../list/CappedPagination';

const REFRESH_MS = 5000;

const JobFilters = () => {
  const translate = useTranslate();
  return [
    <SelectInput key="state" source="state" alwaysOn choices={JOB_STATES.map((id) => ({ id, name: translate(`resources.jobs.states.${id}`) }))} />,
    <SelectInput key="stage" source="stage" choices={[2, 3, 4, 5, 6].map((n) => ({ id: n, name: `${n} · ${translate(`resources.courses.stages.${n}`)}` }))} />,
    <SelectInput
      key="stuck"
      source="stuck"
      choices={[
        { id: 'true', name: translate('resources.jobs.stuckOnly') },
        { id: 'false', name: translate('resources.jobs.notStuck') },
      ]}
    />,
    <TextInput key="q" source="q" />,
  ];
};

const RetryButton = () => {
  const job = useRecordContext<Job>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const dp = useDataProvider<MissionControlDataProvider>();
  const retry = useMutation({
    mutationFn: (id: string) => dp.retryJob(id),
    onSuccess: () => {
      notify('resources.jobs.retried', { type: 'success' });
      refresh();
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  if (!job?.retryable) return null;
  return (
    <Button
      size="small"
      variant="outlined"
      startIcon={<ReplayIcon />}
      disabled={retry.isPending}
      data-testid="job-retry"
      onClick={(e) => {
        e.stopPropagation();
        retry.mutate(job.id);
      }}
    >
      {translate('resources.jobs.retry')}
    </Button>
  );
};

const StateField = () => {
  const job = useRecordContext<Job>();
  const translate = useTranslate();
  if (!job) return null;
  return (
    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
      <Chip size="small" color={stateColor(job.state)} label={translate(`resources.jobs.states.${job.state}`)} data-testid="job-state" />
      {job.stuck && job.stuckReason && (
        <Tooltip title={translate(`resources.jobs.stuckReasons.${job.stuckReason}`)}>
          <Chip size="small" color="warning" variant="outlined" icon={<WarningAmberIcon />} label={translate('resources.jobs.stuck')} data-testid="job-stuck" />
        </Tooltip>
      )}
      {job.superseded && <Chip size="small" variant="outlined" label={translate('resources.jobs.superseded', { run: job.run })} />}
    </Stack>
  );
};

export const JobList = () => {
  const locale = useLocale();
  const translate = useTranslate();
  const { permissions } = usePermissions();
  const small = useSmall();
  return (
    <List<Job>
      filters={JobFilters()}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={50}
      queryOptions={{ refetchInterval: REFRESH_MS }}
      empty={false}
      pagination={<CappedPagination />}
    >
      {small ? (
        <SimpleList<Job>
          primaryText={(j) => j.courseTitle}
          secondaryText={(j) =>
            `${translate(`resources.jobs.states.${j.state}`)} · ${stageLabel(j.stageNumber, translate)} · ${phaseLabel(j.phase, translate)}`
          }
          tertiaryText={(j) => formatAge(j.ageSeconds, locale)}
          linkType={false}
        />
      ) : (
        <Datagrid bulkActionButtons={false} rowClick={false} data-testid="jobs-grid">
          <FunctionField source="state" render={() => <StateField />} />
          <FunctionField source="courseTitle" render={(j: Job) => <Link to={`/courses/${encodeURIComponent(j.courseId)}/show`}>{j.courseTitle}</Link>} />
          <FunctionField source="stage" render={(j: Job) => <span data-testid="job-stage">{stageLabel(j.stageNumber, translate)}</span>} />
          <FunctionField source="phase" sortable={false} render={(j: Job) => `${phaseLabel(j.phase, translate)}${j.index ? ` #${j.index + 1}` : ''}`} />
          <FunctionField source="attempt" render={(j: Job) => (j.maxAttempts ? `${j.attempt} / ${j.maxAttempts}` : '—')} />
          <FunctionField source="ageSeconds" render={(j: Job) => formatAge(j.state === 'active' ? (j.activeSeconds ?? j.ageSeconds) : j.ageSeconds, locale)} />
          <FunctionField
            source="error"
            sortable={false}
            render={(j: Job) =>
              j.error ? (
                <Tooltip title={j.error}>
                  <Typography variant="body2" noWrap sx={{ maxWidth: 320 }} data-testid="job-error">
                    {j.error}
                  </Typography>
                </Tooltip>
              ) : (
                ''
              )
            }
          />
          <FunctionField source="worker" sortable={false} render={(j: Job) => j.worker ?? '—'} />
          {can(permissions, 'jobs.retry') && <FunctionField label={translate('resources.jobs.fields.actions')} render={() => <RetryButton />} />}
        </Datagrid>
      )}
    </List>
  );
};
