// The dashboard's home: what is generating, queued, waiting for a reviewer and failed
// in 24 h, the cost of today and this month, and charts — all from GET /api/overview
// (server aggregates). The charts load lazily; the socket keeps the numbers fresh.
import { Box, Card, CardContent, Grid, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Title, useDataProvider, useLocale, useTranslate } from 'react-admin';
import { formatMoney } from '../courses/format';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import { AlertsPanel } from './AlertsPanel';

const OverviewCharts = lazy(() => import('./OverviewCharts'));

const Stat = ({ id, label, value }: { id: string; label: string; value: string | number }) => (
  <Grid size={{ xs: 6, md: 2 }}>
    <Card variant="outlined" data-testid={`overview-${id}`}>
      <CardContent>
        <Typography variant="caption" color="text.secondary">
          {label}
        </Typography>
        <Typography variant="h5" sx={{ fontVariantNumeric: 'tabular-nums' }} data-value={value}>
          {value}
        </Typography>
      </CardContent>
    </Card>
  </Grid>
);

export const OverviewPage = () => {
  const dp = useDataProvider<MissionControlDataProvider>();
  const translate = useTranslate();
  const locale = useLocale();
  const { data, error } = useQuery({ queryKey: ['overview'], queryFn: () => dp.getOverview() });
  const t = (k: string) => translate(`app.overview.${k}`);
  return (
    <Box sx={{ mt: 2 }}>
      <Title title={t('title')} />
      <AlertsPanel />
      {error && <Typography color="error">{String((error as Error).message)}</Typography>}
      {data && (
        <>
          <Grid container spacing={2} sx={{ mb: 2 }}>
            <Stat id="generating" label={t('generating')} value={data.counts.generating} />
            <Stat id="queued" label={t('queued')} value={data.counts.queued} />
            <Stat id="awaiting" label={t('awaiting')} value={data.counts.awaitingApproval} />
            <Stat id="failed" label={t('failed24h')} value={data.counts.failed24h} />
            <Stat id="cost-today" label={t('costToday')} value={formatMoney(Number(data.cost.todayUsd), locale)} />
            <Stat id="cost-month" label={t('costMonth')} value={formatMoney(Number(data.cost.monthUsd), locale)} />
          </Grid>
          <Suspense fallback={<Box sx={{ height: 320 }} />}>
            <OverviewCharts overview={data} />
          </Suspense>
        </>
      )}
    </Box>
  );
};
