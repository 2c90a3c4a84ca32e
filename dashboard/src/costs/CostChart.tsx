// The cost chart, loaded only when the costs page opens: bars of the first grouping,
// stacked by the second when there is one.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { CostReport } from './CostsPage';

const COLORS = ['#1976d2', '#9c27b0', '#2e7d32', '#ed6c02', '#d32f2f', '#0288d1', '#7b1fa2', '#558b2f'];
const key = (row: Record<string, unknown>, g: string) => String(g === 'course' ? row.courseTitle : g === 'organization' ? row.organizationName : row[g]);

export default function CostChart({ report }: { report: CostReport }) {
  const [x, stack] = report.groupBy;
  const series = stack ? [...new Set(report.rows.map((r) => key(r, stack)))] : ['cost'];
  const byX = new Map<string, Record<string, number | string>>();
  for (const r of report.rows) {
    const k = key(r, x);
    const point = byX.get(k) ?? { x: k };
    point[stack ? key(r, stack) : 'cost'] = Number(r.costUsd);
    byX.set(k, point);
  }
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="costs-chart">
      <ResponsiveContainer>
        <BarChart data={[...byX.values()]}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="x" />
          <YAxis />
          <Tooltip />
          {stack && <Legend />}
          {series.map((s, i) => <Bar key={s} dataKey={s} stackId="a" fill={COLORS[i % COLORS.length]} />)}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
