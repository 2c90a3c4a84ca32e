// Finance's cost page: a date range and a grouping, the server's aggregate (never sums
// over one page of a list) as a chart and a table, the CSV export, and the model price
// table (editable by admins and finance).
import { Box, Button, Card, CardContent, MenuItem, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Title, useLocale, useTranslate } from 'react-admin';
import { formatMoney } from '../courses/format';
import { formatNumber, pluralKey } from '../i18n/words';
import { createHttpClient } from '../providers/dataProvider';
import { i18nProvider } from '../i18n';

const httpClient = createHttpClient(() => i18nProvider.getLocale());
import { readSession } from '../providers/session';
import { PriceTable } from './PriceTable';
import type { CostReport, CostRow } from '../types';

const CostChart = lazy(() => import('./CostChart'));

export type { CostReport, CostRow };

const GROUPINGS = ['day', 'model', 'stage', 'course', 'label', 'day,model', 'stage,model', 'model,label'];
const dayString = (d: Date) => d.toISOString().slice(0, 10);

import { groupLabel } from './groups';

function rowLabel(r: CostRow, groupBy: string[], translate: (k: string, o?: Record<string, unknown>) => string, locale: string): string {
  return groupBy.map((g) => groupLabel(r, g, translate, locale)).join(' · ');
}

export const CostsPage = () => {
  const translate = useTranslate();
  const locale = useLocale();
  const [from, setFrom] = useState(dayString(new Date(Date.now() - 29 * 86_400_000)));
  const [to, setTo] = useState(dayString(new Date()));
  const [groupBy, setGroupBy] = useState('day');
  const qs = `from=${from}&to=${to}&groupBy=${groupBy}`;
  // The API takes a range of at most two years, start before end.
  const rangeOk = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to && (Date.parse(to) - Date.parse(from)) / 86_400_000 <= 731;
  const { data, error } = useQuery<CostReport>({
    queryKey: ['costs', qs],
    queryFn: async () => (await httpClient(`/api/reports/costs?${qs}`)).json,
    // While a date is being edited the range may run backwards: ask only for valid ranges.
    enabled: rangeOk,
    placeholderData: (prev) => prev,
  });
  const download = async () => {
    const res = await fetch(`/api/reports/costs.csv?${qs}`, { headers: { Authorization: `Bearer ${readSession()?.token ?? ''}` } });
    const url = URL.createObjectURL(await res.blob());
    const a = Object.assign(document.createElement('a'), { href: url, download: `costs-${from}-${to}-${groupBy.replace(',', '-')}.csv` });
    a.click();
    URL.revokeObjectURL(url);
  };
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('app.costs.title')} />
      <CardContent>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2, alignItems: { sm: 'center' } }}>
          <TextField
            type="date"
            label={translate('app.costs.from')}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'costs-from' } }}
          />
          <TextField
            type="date"
            label={translate('app.costs.to')}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'costs-to' } }}
          />
          <TextField select label={translate('app.costs.groupBy')} value={groupBy} onChange={(e) => setGroupBy(e.target.value)} sx={{ minWidth: 180 }}>
            {GROUPINGS.map((g) => (
              <MenuItem key={g} value={g}>
                {g
                  .split(',')
                  .map((x) => translate(`app.costs.groups.${x}`))
                  .join(' × ')}
              </MenuItem>
            ))}
          </TextField>
          <Button variant="outlined" onClick={download} disabled={!rangeOk} data-testid="costs-csv">
            {translate('app.costs.csv')}
          </Button>
        </Stack>
        {!rangeOk && (
          <Typography color="error" data-testid="costs-range-error">
            {translate('app.costs.badRange')}
          </Typography>
        )}
        {error && <Typography color="error">{(error as { body?: { message?: string } }).body?.message ?? String(error)}</Typography>}
        {data && (
          <>
            <Typography variant="h6" data-testid="costs-total">
              {translate('app.costs.total')}: {formatMoney(Number(data.totals.costUsd), locale)} ·{' '}
              {pluralKey(Number(data.totals.calls), 'app.words.calls', translate, locale)}
            </Typography>
            {data.page && data.page.total > data.rows.length && (
              <Typography variant="body2" color="text.secondary" data-testid="costs-top">
                {translate('app.costs.topByCost', { shown: data.rows.length, total: data.page.total.toLocaleString(locale) })}
              </Typography>
            )}
            <Suspense fallback={<Box sx={{ height: 300 }} />}>
              <CostChart report={data} />
            </Suspense>
            <Box sx={{ overflowX: 'auto' }}>
              <Table size="small" data-testid="costs-table">
                <TableHead>
                  <TableRow>
                    <TableCell>{data.groupBy.map((g) => translate(`app.costs.groups.${g}`)).join(' · ')}</TableCell>
                    <TableCell align="right">{translate('app.costs.calls')}</TableCell>
                    <TableCell align="right">{translate('app.costs.tokens')}</TableCell>
                    <TableCell align="right">{translate('app.costs.cost')}</TableCell>
                  </TableRow>
                </TableHead>
                <TableBody>
                  {data.rows.map((r, i) => (
                    <TableRow key={i}>
                      <TableCell>{rowLabel(r, data.groupBy, translate, locale)}</TableCell>
                      <TableCell align="right">{formatNumber(Number(r.calls), locale)}</TableCell>
                      <TableCell align="right">{formatNumber(Number(r.inputTokens) + Number(r.outputTokens), locale)}</TableCell>
                      <TableCell align="right">{formatMoney(Number(r.costUsd), locale)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          </>
        )}
        <PriceTable />
      </CardContent>
    </Card>
  );
};
