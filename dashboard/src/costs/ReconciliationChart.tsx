// The reconciliation chart, loaded only with its page: per day, our recorded cost and the
// invoice's side by side, and the variance between them as a line (server aggregates).
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ReconciliationResult } from './ReconciliationPage';

export default function ReconciliationChart({
  result,
  labels,
}: {
  result: ReconciliationResult;
  labels: { recorded: string; invoice: string; variance: string };
}) {
  const data = result.byDay.map((d) => ({ day: d.day.slice(5), recorded: d.recordedUsd, invoice: d.invoiceUsd, variance: d.varianceUsd }));
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="reconciliation-chart">
      <ResponsiveContainer>
        <ComposedChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis />
          <Tooltip />
          <Legend />
          <Bar dataKey="recorded" name={labels.recorded} fill="#1565c0" />
          <Bar dataKey="invoice" name={labels.invoice} fill="#7b1fa2" />
          <Line dataKey="variance" name={labels.variance} stroke="#c62828" strokeWidth={2} dot />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
