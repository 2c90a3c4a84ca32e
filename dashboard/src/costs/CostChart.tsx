// The cost chart, loaded only when the costs page opens: bars of the first grouping,
// stacked by the second when there is one; groups in words, the axis in dollars.
import { useLocale, useTranslate } from 'react-admin';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatUsd } from '../i18n/words';
import type { CostReport } from './CostsPage';
import { groupLabel } from './groups';

const COLORS = ['#1565c0', '#7b1fa2', '#2e7d32', '#e65100', '#c62828', '#01579b', '#4a148c', '#33691e'];

export default function CostChart({ report }: { report: CostReport }) {
  const translate = useTranslate();
  const locale = useLocale();
  const [x, stack] = report.groupBy;
  const key = (row: CostReport['rows'][number], g: string) => groupLabel(row, g, translate, locale);
  const series = stack ? [...new Set(report.rows.map((r) => key(r, stack)))] : [translate('app.costs.cost')];
  const byX = new Map<string, Record<string, number | string>>();
  for (const r of report.rows) {
    const k = key(r, x);
    const point = byX.get(k) ?? { x: k };
    point[stack ? key(r, stack) : series[0]] = Number(r.costUsd);
    byX.set(k, point);
  }
  const usd = (v: unknown) => formatUsd(Number(v), locale);
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="costs-chart">
      <ResponsiveContainer>
        <BarChart data={[...byX.values()]} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" />
          <YAxis tickFormatter={usd} width={80} />
          <Tooltip formatter={usd} />
          {stack && <Legend />}
          {series.map((s, i) => (
            <Bar key={s} dataKey={s} name={s} stackId="a" fill={COLORS[i % COLORS.length]} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
