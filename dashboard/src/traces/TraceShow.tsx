// One model call: which course, lesson, stage and phase it served (in words, with links),
// the model, tokens, cost and time, then its input, output and error as searchable
// JSON trees — each only when it holds something (no "Error: null" on a good call).
import { Box } from '@mui/material';
import { lazy, Suspense } from 'react';
import { DateField, FunctionField, Link, NumberField, Show, SimpleShowLayout, TextField, useLocale, useRecordContext, useTranslate } from 'react-admin';
import { formatUsd, phaseLabel, stageLabel } from '../i18n/words';
import { isEmptyBody } from './json';

const JsonBody = lazy(() => import('./JsonBody'));

const Body = ({ source }: { source: 'inputData' | 'outputData' | 'errorData' }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record || isEmptyBody(record[source])) return null;
  return (
    <Suspense fallback={<Box sx={{ height: 120 }} />}>
      <JsonBody name={translate(`resources.traces.fields.${source}`)} value={record[source]} testId={`json-${source}`} />
    </Suspense>
  );
};

const TraceTitle = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record) return null;
  return <span>{[record.courseTitle, stageLabel(record.stage, translate), phaseLabel(record.phase, translate)].filter(Boolean).join(' · ')}</span>;
};

export const TraceShow = () => {
  const translate = useTranslate();
  const locale = useLocale();
  return (
    <Show title={<TraceTitle />}>
      <SimpleShowLayout sx={{ overflowWrap: 'anywhere' }}>
        <FunctionField source="courseId" render={(r) => <Link to={`/courses/${r.courseId}/show`} data-testid="trace-course-link">{r.courseTitle ?? r.courseId}</Link>} />
        <FunctionField source="lessonId" label="app.traces.lesson" render={(r) => (r.lessonId ? <Link to={`/lessons/${r.lessonId}/show`}>{r.lessonTitle ?? translate('app.words.lessonNo', { n: (r.lessonOrdinal ?? 0) + 1 })}</Link> : '—')} />
        <FunctionField source="stage" render={(r) => stageLabel(r.stage, translate)} />
        <FunctionField source="phase" render={(r) => phaseLabel(r.phase, translate)} />
        <TextField source="stepName" />
        <TextField source="modelUsed" />
        <TextField source="provider" />
        <FunctionField source="label" render={(r) => translate(`app.words.labels.${r.label}`, { _: r.label })} />
        <NumberField source="attempt" />
        <NumberField source="inputTokens" locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
        <NumberField source="outputTokens" locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
        <FunctionField source="costUsd" render={(r) => formatUsd(Number(r.costUsd), locale)} />
        <NumberField source="durationMs" locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
        <DateField source="createdAt" showTime locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
        <Body source="inputData" />
        <Body source="outputData" />
        <Body source="errorData" />
      </SimpleShowLayout>
    </Show>
  );
};
