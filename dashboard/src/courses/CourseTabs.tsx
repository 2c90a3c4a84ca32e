// The course page's tabs under the timeline: details with the cost by stage and model,
// the flight recorder, the model calls, the lessons and the status history. The charts
// come from GET /courses/:id/timeline (refreshed by the socket) and load lazily.
import { Box, Card, Tab, Tabs, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import {
  Datagrid,
  DateField,
  FunctionField,
  NumberField,
  ReferenceManyField,
  TextField,
  useDataProvider,
  useLocale,
  usePermissions,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { CappedPagination } from '../list/CappedPagination';
import { can } from '../providers/permissions';
import { createHttpClient, type MissionControlDataProvider } from '../providers/dataProvider';
import { i18nProvider } from '../i18n';
import type { Course, HistoryEntry } from '../types';
import { actorLabel, eventLabel, formatDateTime, historyReason, formatNumber, formatUsd, phaseLabel, stageLabel, stateLabel } from '../i18n/words';

const CourseFlight = lazy(() => import('./CourseFlight'));
const http = createHttpClient(() => i18nProvider.getLocale());

type HistoryRow = HistoryEntry;

function useTimeline(id: string | undefined) {
  const dp = useDataProvider<MissionControlDataProvider>();
  return useQuery({ queryKey: ['courses', 'timeline', id], queryFn: () => dp.getTimeline(id!), enabled: !!id });
}

const Charts = ({ part }: { part: 'flight' | 'cost' }) => {
  const record = useRecordContext<Course>();
  const { data } = useTimeline(record ? String(record.id) : undefined);
  if (!data) return <Box sx={{ height: 200 }} />;
  return (
    <Suspense fallback={<Box sx={{ height: 200 }} />}>
      <CourseFlight timeline={data} part={part} />
    </Suspense>
  );
};

const HISTORY_COLUMNS = ['id', 'at', 'event', 'transition', 'actor', 'where', 'percentage', 'run', 'reason'];

const History = () => {
  const record = useRecordContext<Course>();
  const translate = useTranslate();
  const locale = useLocale();
  const id = record ? String(record.id) : undefined;
  const { data } = useQuery({
    queryKey: ['courses', 'history', id, record?.updatedAt],
    queryFn: async () => (await http(`/api/courses/${id}/history?range=${encodeURIComponent('[0,999]')}`)).json as HistoryRow[],
    enabled: !!id,
  });
  if (!data) return null;
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Box
        component="table"
        data-testid="course-history"
        sx={{ width: '100%', fontSize: 13, borderCollapse: 'collapse', '& td, & th': { borderBottom: 1, borderColor: 'divider', p: 0.5, textAlign: 'left' } }}
      >
        <thead>
          <tr>
            {HISTORY_COLUMNS.map((c) => (
              <th key={c}>{translate(`app.course.history.${c}`)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {data.map((h) => (
            <tr key={h.id}>
              <td>{h.id}</td>
              <td>{formatDateTime(h.createdAt, locale)}</td>
              <td data-event={h.event}>{eventLabel(h.event, translate)}</td>
              <td>
                {h.fromStatus === h.toStatus
                  ? stateLabel(h.toStatus, translate)
                  : `${stateLabel(h.fromStatus, translate)} → ${stateLabel(h.toStatus, translate)}`}
              </td>
              <td>{actorLabel(h.actorType, translate)}</td>
              <td>{[h.stage ? stageLabel(h.stage, translate) : '', phaseLabel(h.phase, translate)].filter(Boolean).join(' / ')}</td>
              <td>{formatNumber(h.percentage, locale)}%</td>
              <td>{h.run}</td>
              <td data-testid="history-reason">{historyReason(h.event, h.reason, translate)}</td>
            </tr>
          ))}
        </tbody>
      </Box>
    </Box>
  );
};

export const CourseTabs = () => {
  const translate = useTranslate();
  const locale = useLocale();
  const { permissions } = usePermissions();
  const [tab, setTab] = useState('cost');
  const tabs = ['cost', 'flight', ...(can(permissions, 'traces.readBodies') ? ['traces'] : []), 'lessons', 'history'];
  const label = (t: string) => (t === 'cost' ? translate('app.course.costChart') : translate(`app.course.tabs.${t}`));
  return (
    <Card variant="outlined" sx={{ mx: 2, mb: 2 }}>
      <Tabs value={tab} onChange={(_e, v) => setTab(v)} variant="scrollable">
        {tabs.map((t) => (
          <Tab key={t} value={t} label={label(t)} data-testid={`tab-${t}`} />
        ))}
      </Tabs>
      <Box sx={{ p: 2, overflowX: 'auto' }}>
        {tab === 'cost' && <Charts part="cost" />}
        {tab === 'flight' && <Charts part="flight" />}
        {tab === 'traces' && (
          <ReferenceManyField reference="traces" target="courseId" sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} pagination={<CappedPagination />}>
            <Datagrid rowClick="show" bulkActionButtons={false}>
              <DateField source="createdAt" showTime label="resources.traces.fields.createdAt" locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
              <FunctionField source="stage" label="resources.traces.fields.stage" render={(r) => stageLabel(r.stage, translate)} />
              <FunctionField
                source="phase"
                label="resources.traces.fields.phase"
                render={(r) => (r.lessonTitle ? `${phaseLabel(r.phase, translate)} · ${r.lessonTitle}` : phaseLabel(r.phase, translate))}
              />
              <TextField source="modelUsed" label="resources.traces.fields.modelUsed" />
              <FunctionField source="label" label="resources.traces.fields.label" render={(r) => translate(`app.words.labels.${r.label}`, { _: r.label })} />
              <NumberField source="tokensUsed" label="resources.traces.fields.tokensUsed" locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
              <FunctionField source="costUsd" label="resources.traces.fields.costUsd" render={(r) => formatUsd(Number(r.costUsd), locale)} />
            </Datagrid>
          </ReferenceManyField>
        )}
        {tab === 'lessons' && (
          <ReferenceManyField
            reference="lessons"
            target="courseId"
            sort={{ field: 'ordinal', order: 'ASC' }}
            perPage={50}
            pagination={<CappedPagination />}
            empty={<Typography color="text.secondary">—</Typography>}
          >
            <Datagrid rowClick="show" bulkActionButtons={false} data-testid="course-lessons">
              <FunctionField source="ordinal" label="resources.lessons.fields.ordinal" render={(r) => r.ordinal + 1} />
              <TextField source="title" label="resources.lessons.fields.title" />
              <FunctionField
                source="status"
                label="resources.lessons.fields.status"
                render={(r) => translate(`resources.lessons.statuses.${r.status}`, { _: r.status })}
              />
              <NumberField source="attempts" label="resources.lessons.fields.attempts" />
            </Datagrid>
          </ReferenceManyField>
        )}
        {tab === 'history' && <History />}
      </Box>
    </Card>
  );
};
