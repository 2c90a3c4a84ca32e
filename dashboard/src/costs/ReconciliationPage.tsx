// Finance's invoice reconciliation: pick a month, load the provider's usage export
// (OpenRouter's activity CSV or the generic model,day,input_tokens,output_tokens,cost),
// and see per model × day our recorded cost against the invoice, the variance, and a
// link to the traces behind each cell. The comparison is the server's
// (POST /api/reports/reconciliation); the file is read in the browser and sent as text.
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  Link,
  MenuItem,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { Title, useLocale, usePermissions, useTranslate } from 'react-admin';
import { formatMoney } from '../courses/format';
import { i18nProvider } from '../i18n';
import { createHttpClient } from '../providers/dataProvider';
import { can } from '../providers/permissions';

const httpClient = createHttpClient(() => i18nProvider.getLocale());
const ReconciliationChart = lazy(() => import('./ReconciliationChart'));

type Status = 'match' | 'over' | 'under' | 'not_recorded' | 'not_invoiced';
export interface ReconciliationRow {
  model: string;
  day: string;
  invoiceModels: string[];
  recorded: { costUsd: number; calls: number; inputTokens: number; outputTokens: number };
  invoice: { costUsd: number; lines: number; inputTokens: number; outputTokens: number };
  varianceUsd: number;
  variancePct: number | null;
  status: Status;
  traces: { filter: { modelUsed: string; day: string }; count: number };
}
export interface ReconciliationResult {
  month: string;
  format: 'openrouter' | 'generic';
  totals: { recordedUsd: number; invoiceUsd: number; varianceUsd: number; variancePct: number | null; lines: number; cells: number; mismatched: number };
  unmatchedModels: string[];
  byDay: { day: string; recordedUsd: number; invoiceUsd: number; varianceUsd: number }[];
  rows: ReconciliationRow[];
}

const STATUS_COLOR: Record<Status, 'success' | 'error' | 'warning' | 'default'> = {
  match: 'success',
  over: 'error',
  under: 'warning',
  not_recorded: 'error',
  not_invoiced: 'default',
};
const lastMonth = () => {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
};

export const ReconciliationPage = () => {
  const translate = useTranslate();
  const locale = useLocale();
  const { permissions } = usePermissions();
  const [month, setMonth] = useState(lastMonth());
  const [format, setFormat] = useState('auto');
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const reconcile = useMutation<ReconciliationResult, { body?: { message?: string }; message?: string }>({
    mutationFn: async () =>
      (await httpClient('/api/reports/reconciliation', { method: 'POST', body: JSON.stringify({ month, format, csv: file?.text ?? '' }) })).json,
  });
  const pct = (v: number | null) =>
    v === null ? '—' : `${new Intl.NumberFormat(locale, { maximumFractionDigits: 2, signDisplay: 'exceptZero' }).format(v)} %`;
  const money = (v: number) => formatMoney(v, locale);
  const tracesLink = (r: ReconciliationRow) => `#/traces?filter=${encodeURIComponent(JSON.stringify(r.traces.filter))}`;
  const result = reconcile.data;
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('app.reconciliation.title')} />
      <CardContent>
        <Typography variant="body2" sx={{ mb: 2 }}>
          {translate('app.reconciliation.help')}
        </Typography>
        <Stack direction="row" spacing={2} sx={{ mb: 2, alignItems: 'center', flexWrap: 'wrap' }}>
          <TextField
            type="month"
            sx={{ width: 220 }}
            label={translate('app.reconciliation.month')}
            value={month}
            onChange={(e) => setMonth(e.target.value)}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'reconciliation-month' } }}
          />
          <TextField select label={translate('app.reconciliation.format')} value={format} onChange={(e) => setFormat(e.target.value)} sx={{ width: 340 }}>
            {['auto', 'openrouter', 'generic'].map((f) => (
              <MenuItem key={f} value={f}>
                {translate(`app.reconciliation.formats.${f}`)}
              </MenuItem>
            ))}
          </TextField>
          <Button variant="outlined" component="label">
            {file ? file.name : translate('app.reconciliation.chooseFile')}
            <input
              hidden
              type="file"
              accept=".csv,text/csv"
              data-testid="reconciliation-file"
              aria-label={translate('app.reconciliation.chooseFile')}
              onChange={async (e) => {
                const input = e.target;
                const f = input.files?.[0];
                if (f) setFile({ name: f.name, text: await f.text() });
                // Choosing the same file again (after fixing it) must read it again.
                input.value = '';
              }}
            />
          </Button>
          <Button
            variant="contained"
            disabled={!file || !/^\d{4}-\d{2}$/.test(month) || reconcile.isPending}
            onClick={() => reconcile.mutate()}
            data-testid="reconciliation-run"
          >
            {translate('app.reconciliation.run')}
          </Button>
        </Stack>
        {reconcile.error && (
          <Alert severity="error" data-testid="reconciliation-error">
            {reconcile.error.body?.message ?? reconcile.error.message}
          </Alert>
        )}
        {result && (
          <>
            <Typography variant="h6" data-testid="reconciliation-totals">
              {translate('app.reconciliation.recorded')}: {money(result.totals.recordedUsd)} · {translate('app.reconciliation.invoice')}:{' '}
              {money(result.totals.invoiceUsd)} · {translate('app.reconciliation.variance')}: {money(result.totals.varianceUsd)} (
              {pct(result.totals.variancePct)})
            </Typography>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {translate('app.reconciliation.summary', {
                lines: result.totals.lines,
                cells: result.totals.cells,
                mismatched: result.totals.mismatched,
                format: translate(`app.reconciliation.formats.${result.format}`),
              })}
            </Typography>
            {result.unmatchedModels.length > 0 && (
              <Alert severity="warning" sx={{ mb: 1 }}>
                {translate('app.reconciliation.unmatched', { models: result.unmatchedModels.join(', ') })}
              </Alert>
            )}
            <Suspense fallback={<Box sx={{ height: 300 }} />}>
              <ReconciliationChart
                result={result}
                labels={{
                  recorded: translate('app.reconciliation.recorded'),
                  invoice: translate('app.reconciliation.invoice'),
                  variance: translate('app.reconciliation.variance'),
                }}
              />
            </Suspense>
            <Table size="small" data-testid="reconciliation-table">
              <TableHead>
                <TableRow>
                  <TableCell>{translate('app.reconciliation.day')}</TableCell>
                  <TableCell>{translate('app.reconciliation.model')}</TableCell>
                  <TableCell align="right">{translate('app.reconciliation.recorded')}</TableCell>
                  <TableCell align="right">{translate('app.reconciliation.invoice')}</TableCell>
                  <TableCell align="right">{translate('app.reconciliation.variance')}</TableCell>
                  <TableCell align="right">%</TableCell>
                  <TableCell>{translate('app.reconciliation.status')}</TableCell>
                  <TableCell align="right">{translate('app.reconciliation.traces')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {result.rows.map((r) => (
                  <TableRow key={`${r.model}-${r.day}`} data-status={r.status}>
                    <TableCell>{r.day}</TableCell>
                    <TableCell>
                      {r.model}
                      {r.invoiceModels.some((m) => m !== r.model) && (
                        <Typography variant="caption" sx={{ display: 'block' }}>
                          {r.invoiceModels.join(', ')}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell align="right">{money(r.recorded.costUsd)}</TableCell>
                    <TableCell align="right">{money(r.invoice.costUsd)}</TableCell>
                    <TableCell align="right">{money(r.varianceUsd)}</TableCell>
                    <TableCell align="right">{pct(r.variancePct)}</TableCell>
                    <TableCell>
                      <Chip size="small" color={STATUS_COLOR[r.status]} label={translate(`app.reconciliation.statuses.${r.status}`)} />
                    </TableCell>
                    <TableCell align="right">
                      {can(permissions, 'traces.readBodies') && r.traces.count > 0 ? <Link href={tracesLink(r)}>{r.traces.count}</Link> : r.traces.count}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </>
        )}
      </CardContent>
    </Card>
  );
};
