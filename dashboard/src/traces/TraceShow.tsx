// One model call: which course, lesson, stage and phase it served (in words, with links),
// the model, tokens, cost and time, then its input, output and error as searchable
// JSON trees — each only when it holds something (no "Error: null" on a good call). The
// OpenTelemetry trace id links to the operator's tracer when the API was given
// TRACE_URL_TEMPLATE (the record's `otelTraceUrl`).
import { Box, Link as MuiLink } from '@mui/material';
import { lazy, Suspense } from 'react';
import {
  DateField,
  FunctionField,
  Labeled,
  Link,
  NumberField,
  Show,
  SimpleShowLayout,
  TextField,
  useLocale,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import { formatUsd, phaseLabel, stageLabel } from '../i18n/words';
import { isEmptyBody } from './json';

/** Only links a browser may follow safely: http(s). */
const safeUrl = (url: unknown): string | null => (typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null);

const OtelTrace = () => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record?.otelTraceId) return null;
  const url = safeUrl(record.otelTraceUrl);
  return (
    <Labeled label="resources.traces.fields.otelTraceId">
      <Box component="span" data-testid="otel-trace">
        <Box component="code" sx={{ fontSize: 12 }}>
          {record.otelTraceId}
        </Box>
        {url && (
          <MuiLink href={url} target="_blank" rel="noopener noreferrer" sx={{ ml: 1 }} data-testid="otel-trace-link">
            {translate('resources.traces.fields.openInTracer')}
          </MuiLink>
        )}
      </Box>
    </Labeled>
  );
};

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
        <FunctionField
          source="courseId"
          render={(r) => (
            <Link to={`/courses/${r.courseId}/show`} data-testid="trace-course-link">
              {r.courseTitle ?? r.courseId}
            </Link>
          )}
        />
        <FunctionField
          source="lessonId"
          label="app.traces.lesson"
          render={(r) =>
            r.lessonId ? (
              <Link to={`/lessons/${r.lessonId}/show`}>{r.lessonTitle ?? translate('app.words.lessonNo', { n: (r.lessonOrdinal ?? 0) + 1 })}</Link>
            ) : (
              '—'
            )
          }
        />
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
        <OtelTrace />
        <Body source="inputData" />
        <Body source="outputData" />
        <Body source="errorData" />
      </SimpleShowLayout>
    </Show>
  );
};
