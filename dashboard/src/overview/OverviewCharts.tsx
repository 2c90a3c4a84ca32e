// The overview's charts (loaded only with the page): cost by day stacked by model,
// tokens by stage, and stage durations p50 / p95.
import { Card, CardContent, Grid, Typography } from '@mui/material';
import { useLocale, useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDay, formatNumber, formatUsd, stageLabel } from '../i18n/words';
import type { Overview } from '../types';
import { COLORS } from './colors';

/** Rows of (day, model, cost) as one point per day with a key per model. */
export function stackByModel(rows: Overview['costByDay']): { points: Record<string, string | number>[]; models: string[] } {
  const models = [...new Set(rows.map((r) => r.model))];
  const byDay = new Map<string, Record<string, string | number>>();
  for (const r of rows) {
    const p = byDay.get(r.day) ?? { day: r.day };
    p[r.model] = Number(r.costUsd);
    byDay.set(r.day, p);
  }
  return { points: [...byDay.values()], models };
}

const ChartCard = ({ id, title, children }: { id: string; title: string; children: React.ReactElement }) => (
  <Grid size={{ xs: 12, md: id === 'cost-by-day' ? 12 : 6 }}>
    <Card variant="outlined">
      <CardContent>
        <Typography variant="subtitle1" gutterBottom>
          {title}
        </Typography>
        <div style={{ width: '100%', height: 280 }} data-testid={`chart-${id}`}>
          <ResponsiveContainer>{children}</ResponsiveContainer>
        </div>
      </CardContent>
    </Card>
  </Grid>
);

export default function OverviewCharts({ overview }: { overview: Overview }) {
  const translate = useTranslate();
  const locale = useLocale();
  const t = (k: string) => translate(`app.overview.${k}`);
  const { points, models } = stackByModel(overview.costByDay);
  const usd = (v: unknown) => formatUsd(Number(v), locale);
  const num = (v: unknown) => formatNumber(Number(v), locale);
  const stage = (v: unknown) => stageLabel(String(v), translate);
  const day = (v: unknown) => formatDay(String(v), locale);
  const seconds = (v: unknown) => `${formatNumber(Number(v), locale, 1)} ${translate('app.words.seconds')}`;
  return (
    <Grid container spacing={2}>
      <ChartCard id="cost-by-day" title={t('costByDay')}>
        <BarChart data={points}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" tickFormatter={day} />
          <YAxis tickFormatter={usd} width={80} />
          <Tooltip formatter={usd} labelFormatter={day} />
          <Legend />
          {models.map((m, i) => (
            <Bar key={m} dataKey={m} stackId="cost" fill={COLORS[i % COLORS.length]} />
          ))}
        </BarChart>
      </ChartCard>
      <ChartCard id="tokens-by-stage" title={t('tokensByStage')}>
        <BarChart data={overview.tokensByStage}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="stage" tickFormatter={stage} />
          <YAxis tickFormatter={num} width={70} />
          <Tooltip formatter={num} labelFormatter={stage} />
          <Legend />
          <Bar dataKey="inputTokens" name={t('inputTokens')} stackId="t" fill={COLORS[0]} />
          <Bar dataKey="outputTokens" name={t('outputTokens')} stackId="t" fill={COLORS[1]} />
        </BarChart>
      </ChartCard>
      <ChartCard id="stage-durations" title={t('stageDurations')}>
        <BarChart data={overview.stageDurations}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="stage" tickFormatter={stage} />
          <YAxis tickFormatter={seconds} width={70} />
          <Tooltip formatter={seconds} labelFormatter={stage} />
          <Legend />
          <Bar dataKey="p50Seconds" name="p50" fill={COLORS[2]} />
          <Bar dataKey="p95Seconds" name="p95" fill={COLORS[3]} />
        </BarChart>
      </ChartCard>
    </Grid>
  );
}
