// Finance's budget screen: this month's spend against the organization's monthly budget
// (GET /api/budgets: the spend from the cost rollup, the thresholds and when each was
// crossed, recorded by the trace that crossed it), and for admins the budget and its
// thresholds edited in place (PUT /api/organization).
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  LinearProgress,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Title, useLocale, useNotify, usePermissions, useTranslate } from 'react-admin';
import { i18nProvider } from '../i18n';
import { formatDateTime, formatNumber, formatUsd } from '../i18n/words';
import { createHttpClient } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import { can } from '../providers/permissions';

const http = createHttpClient(() => i18nProvider.getLocale());

export interface Budget {
  month: string;
  budgetUsd: string | null;
  spentUsd: string;
  percent: number | null;
  budgetThresholds: number[];
  thresholds: { threshold: number; amountUsd: string | null; crossedAt: string | null }[];
  crossed: { threshold: number; crossedAt: string; spentUsd: string; courseId: string | null }[];
}

/** "50, 80, 100" -> [50, 80, 100]; null when it is not whole percentages 1-1000, each once. */
export function parseThresholds(text: string): number[] | null {
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  if (!parts.length || parts.length > 10) return null;
  const values = parts.map(Number);
  if (values.some((v) => !Number.isInteger(v) || v < 1 || v > 1000) || new Set(values).size !== values.length) return null;
  return [...values].sort((a, b) => a - b);
}

const Editor = ({ budget, onDone }: { budget: Budget; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const qc = useQueryClient();
  const [amount, setAmount] = useState(budget.budgetUsd === null ? '' : String(Number(budget.budgetUsd)));
  const [thresholds, setThresholds] = useState(budget.budgetThresholds.join(', '));
  const parsed = parseThresholds(thresholds);
  const amountOk = amount.trim() === '' || (Number.isFinite(Number(amount)) && Number(amount) >= 0);
  const save = useMutation({
    mutationFn: () =>
      http('/api/organization', {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ monthlyBudgetUsd: amount.trim() === '' ? null : Number(amount), budgetThresholds: parsed }),
      }),
    onSuccess: () => {
      notify('app.budgets.saved', { type: 'success' });
      void qc.invalidateQueries({ queryKey: ['budgets'] });
      onDone();
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  return (
    <Stack
      direction={{ xs: 'column', md: 'row' }}
      spacing={2}
      sx={{ mt: 2, alignItems: { md: 'flex-start' } }}
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <TextField
        label={translate('app.budgets.budgetInput')}
        type="number"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        error={!amountOk}
        slotProps={{ htmlInput: { min: 0, step: 1, 'data-testid': 'budget-amount' } }}
        sx={{ minWidth: 280 }}
      />
      <TextField
        label={translate('app.budgets.thresholdsInput')}
        value={thresholds}
        onChange={(e) => setThresholds(e.target.value)}
        error={!parsed}
        helperText={parsed ? ' ' : translate('app.budgets.badThresholds')}
        slotProps={{ htmlInput: { 'data-testid': 'budget-thresholds' } }}
        sx={{ minWidth: 280 }}
      />
      <Button type="submit" variant="contained" disabled={!parsed || !amountOk || save.isPending} data-testid="budget-save" sx={{ mt: 1 }}>
        {translate('app.budgets.save')}
      </Button>
    </Stack>
  );
};

export const BudgetsPage = () => {
  const translate = useTranslate();
  const locale = useLocale();
  const { permissions } = usePermissions();
  const [editing, setEditing] = useState(false);
  const { data, error } = useQuery({ queryKey: ['budgets'], queryFn: async () => (await http('/api/budgets')).json as Budget });
  const usd = (v: string | number | null) => (v === null ? '—' : formatUsd(Number(v), locale));
  const month = data
    ? new Intl.DateTimeFormat(locale === 'ru' ? 'ru-RU' : 'en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${data.month}-01T00:00:00Z`),
      )
    : '';
  return (
    <Card sx={{ mt: 2 }}>
      <Title title={translate('app.budgets.title')} />
      <CardContent>
        <Typography variant="h5" component="h1" gutterBottom>
          {translate('app.budgets.title')}
        </Typography>
        {error && <Alert severity="error">{errorMessage(error)}</Alert>}
        {data && (
          <Box data-testid="budget" data-spent={data.spentUsd} data-budget={data.budgetUsd ?? ''}>
            <Typography variant="subtitle1">{translate('app.budgets.month', { month })}</Typography>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={4} sx={{ my: 2 }}>
              <Box>
                <Typography variant="caption" color="text.secondary">
                  {translate('app.budgets.spent')}
                </Typography>
                <Typography variant="h5" data-testid="budget-spent">
                  {usd(data.spentUsd)}
                </Typography>
              </Box>
              <Box>
                <Typography variant="caption" color="text.secondary">
                  {translate('app.budgets.budget')}
                </Typography>
                <Typography variant="h5" data-testid="budget-amount-shown">
                  {usd(data.budgetUsd)}
                </Typography>
              </Box>
            </Stack>
            {data.percent === null ? (
              <Alert severity="info" data-testid="budget-none">
                {translate('app.budgets.none')}
              </Alert>
            ) : (
              <>
                <LinearProgress
                  variant="determinate"
                  value={Math.min(100, data.percent)}
                  color={data.percent >= 100 ? 'error' : data.percent >= 80 ? 'warning' : 'primary'}
                  aria-label={translate('app.budgets.percent', { percent: formatNumber(data.percent, locale, 2) })}
                  sx={{ height: 10, borderRadius: 5 }}
                />
                <Typography variant="body2" sx={{ mt: 1 }} data-testid="budget-percent">
                  {translate('app.budgets.percent', { percent: formatNumber(data.percent, locale, 2) })}
                </Typography>
              </>
            )}
            <Typography variant="h6" component="h2" sx={{ mt: 3 }}>
              {translate('app.budgets.thresholds')}
            </Typography>
            <Table size="small" data-testid="budget-thresholds-table">
              <TableHead>
                <TableRow>
                  <TableCell>{translate('app.budgets.threshold')}</TableCell>
                  <TableCell align="right">{translate('app.budgets.amount')}</TableCell>
                  <TableCell>{translate('app.budgets.crossedAt')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {data.thresholds.map((t) => {
                  const crossing = data.crossed.find((c) => c.threshold === t.threshold);
                  return (
                    <TableRow key={t.threshold} data-testid="budget-threshold" data-crossed={t.crossedAt ? 'true' : 'false'}>
                      <TableCell>{formatNumber(t.threshold, locale)}%</TableCell>
                      <TableCell align="right">{usd(t.amountUsd)}</TableCell>
                      <TableCell>
                        {t.crossedAt ? formatDateTime(t.crossedAt, locale) : translate('app.budgets.notCrossed')}
                        {crossing?.courseId && (
                          <>
                            {' '}
                            · <Link to={`/courses/${crossing.courseId}/show`}>{translate('resources.courses.name', { smart_count: 1 })}</Link>
                          </>
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
            {can(permissions, 'organization.edit') &&
              (editing ? (
                <Editor budget={data} onDone={() => setEditing(false)} />
              ) : (
                <Button sx={{ mt: 2 }} variant="outlined" onClick={() => setEditing(true)} data-testid="budget-edit">
                  {translate('app.budgets.edit')}
                </Button>
              ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
};

export default BudgetsPage;
