// One model call, with its input, output and error as collapsible JSON. Model text is
// shown as text, never as HTML. The OpenTelemetry trace id links to the operator's
// tracer when the API was given TRACE_URL_TEMPLATE (the record's `otelTraceUrl`).
import { Box, Link, Typography } from '@mui/material';
import { DateField, FunctionField, Labeled, NumberField, Show, SimpleShowLayout, TextField, useRecordContext, useTranslate } from 'react-admin';

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
        <Box component="code" sx={{ fontSize: 12 }}>{record.otelTraceId}</Box>
        {url && (
          <Link href={url} target="_blank" rel="noopener noreferrer" sx={{ ml: 1 }} data-testid="otel-trace-link">
            {translate('resources.traces.fields.openInTracer')}
          </Link>
        )}
      </Box>
    </Labeled>
  );
};

const JsonBlock = ({ source }: { source: string }) => {
  const record = useRecordContext();
  const translate = useTranslate();
  if (!record || record[source] === undefined) return null;
  return (
    <Box component="details" sx={{ my: 1 }} data-testid={`json-${source}`}>
      <Typography component="summary" sx={{ cursor: 'pointer', fontWeight: 500 }}>{translate(`resources.traces.fields.${source}`)}</Typography>
      <Box component="pre" sx={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', fontSize: 12, bgcolor: 'action.hover', p: 1, maxHeight: 480, overflow: 'auto' }}>
        {JSON.stringify(record[source], null, 2)}
      </Box>
    </Box>
  );
};

export const TraceShow = () => (
  <Show>
    <SimpleShowLayout>
      <TextField source="stepName" />
      <TextField source="modelUsed" />
      <TextField source="provider" />
      <TextField source="label" />
      <NumberField source="attempt" />
      <NumberField source="inputTokens" />
      <NumberField source="outputTokens" />
      <FunctionField source="costUsd" render={(r) => `$${Number(r.costUsd).toFixed(8)}`} />
      <NumberField source="durationMs" />
      <DateField source="createdAt" showTime />
      <OtelTrace />
      <JsonBlock source="inputData" />
      <JsonBlock source="outputData" />
      <JsonBlock source="errorData" />
    </SimpleShowLayout>
  </Show>
);
