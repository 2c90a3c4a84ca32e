// One trace body (input, output or error) as a readable, searchable JSON tree
// (react-json-view-lite), loaded with the trace page only. Strings are shown as text,
// never as HTML; JSON inside a string (a model's raw answer) is unpacked first.
import { Box, TextField, Typography } from '@mui/material';
import { useMemo, useState } from 'react';
import { useTranslate } from 'react-admin';
import { allExpanded, defaultStyles, JsonView } from 'react-json-view-lite';
import 'react-json-view-lite/dist/index.css';
import { countLeaves, filterJson, unpack } from './json';

// Colours dark enough for WCAG AA on the tree's grey background (axe-core color-contrast).
const styles = {
  ...defaultStyles,
  stringValue: 'jv-string',
  numberValue: 'jv-number',
  booleanValue: 'jv-literal',
  nullValue: 'jv-literal',
  undefinedValue: 'jv-literal',
};

export default function JsonBody({ name, value, testId }: { name: string; value: unknown; testId: string }) {
  const translate = useTranslate();
  const [query, setQuery] = useState('');
  const data = useMemo(() => unpack(value), [value]);
  const shown = useMemo(() => filterJson(data, query), [data, query]);
  const isTree = data !== null && typeof data === 'object';
  return (
    <Box data-testid={testId} sx={{ my: 1 }}>
      <Typography variant="subtitle1" component="h2" sx={{ fontWeight: 500 }}>
        {name}
      </Typography>
      {isTree && (
        <TextField
          size="small"
          label={translate('app.traces.json.search', { name })}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': `${testId}-search` } }}
          sx={{ my: 1, width: 320, maxWidth: '100%' }}
        />
      )}
      {query && (
        <Typography variant="body2" color="text.secondary" data-testid={`${testId}-matches`}>
          {shown === undefined ? translate('app.traces.json.empty') : translate('app.traces.json.matches', { count: countLeaves(shown) })}
        </Typography>
      )}
      <Box
        sx={{
          fontSize: 13,
          fontFamily: 'monospace',
          maxHeight: 560,
          overflow: 'auto',
          bgcolor: '#eee',
          borderRadius: 1,
          p: 1,
          '& .jv-string': { color: '#2a5d1b' },
          '& .jv-number': { color: '#0b4f8a' },
          '& .jv-literal': { color: '#a3002c' },
        }}
      >
        {isTree ? (
          shown !== undefined && <JsonView data={shown as object} style={styles} shouldExpandNode={query ? allExpanded : (level) => level < 3} />
        ) : (
          <Box component="pre" sx={{ m: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {String(data)}
          </Box>
        )}
      </Box>
    </Box>
  );
}
