// One model call, with its input, output and error as collapsible JSON. Model text is
// shown as text, never as HTML.
import { Box, Typography } from '@mui/material';
import { DateField, FunctionField, NumberField, Show, SimpleShowLayout, TextField, useRecordContext, useTranslate } from 'react-admin';

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
      <JsonBlock source="inputData" />
      <JsonBlock source="outputData" />
      <JsonBlock source="errorData" />
    </SimpleShowLayout>
  </Show>
);
