// Invoice reconciliation: a provider's usage export (invoice-csv.ts) against what our
// traces recorded, per model × UTC day of one month — our cost, the invoice's, the
// variance (invoice − ours, absolute and relative to ours) and where to find the traces
// behind a cell. The provider names a model by its own name: it is matched to the
// catalog's id or the provider model name the catalog maps it to. Pure: no I/O.
import type { InvoiceCell, ParsedInvoice } from './invoice-csv';
import type { ReconciliationResponse, ReconciliationRow } from './reconciliation.dto';

export interface RecordedCell {
  model: string;
  day: string;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** exact decimal text */
  costUsd: string;
}

export interface CatalogName {
  id: string;
  providerModel: string;
}

const usd = (micros: number) => Math.round(micros) / 1e6;
const micros = (decimal: string) => Math.round(Number(decimal) * 1e6);

/** The traces list filtered to one model and day, as the API and the dashboard take it. */
export function tracesFilter(model: string, day: string) {
  return { modelUsed: model, day };
}

export function reconcile(
  month: string,
  invoice: ParsedInvoice,
  recorded: RecordedCell[],
  catalog: CatalogName[],
  toleranceUsd: number,
): ReconciliationResponse {
  const byName = new Map<string, string>();
  for (const m of catalog) {
    byName.set(m.providerModel.toLowerCase(), m.id);
    byName.set(m.id.toLowerCase(), m.id);
  }
  const key = (model: string, day: string) => `${model}\u0000${day}`;
  const cells = new Map<string, { model: string; day: string; invoiceNames: Set<string>; ours?: RecordedCell; theirs?: Omit<InvoiceCell, 'model' | 'day'> }>();
  for (const r of recorded) cells.set(key(r.model, r.day), { model: r.model, day: r.day, invoiceNames: new Set(), ours: r });
  const unmatched = new Set<string>();
  for (const c of invoice.cells) {
    const ours = byName.get(c.model.toLowerCase());
    if (!ours) unmatched.add(c.model);
    const model = ours ?? c.model;
    const entry = cells.get(key(model, c.day)) ?? { model, day: c.day, invoiceNames: new Set<string>() };
    entry.invoiceNames.add(c.model);
    const t = entry.theirs ?? { inputTokens: 0, outputTokens: 0, costMicros: 0, lines: 0 };
    entry.theirs = {
      inputTokens: t.inputTokens + c.inputTokens,
      outputTokens: t.outputTokens + c.outputTokens,
      costMicros: t.costMicros + c.costMicros,
      lines: t.lines + c.lines,
    };
    cells.set(key(model, c.day), entry);
  }
  const tolerance = Math.round(toleranceUsd * 1e6);
  const rows: ReconciliationRow[] = [...cells.values()]
    .sort((a, b) => (a.day === b.day ? (a.model < b.model ? -1 : a.model > b.model ? 1 : 0) : a.day < b.day ? -1 : 1))
    .map((c) => {
      const oursMicros = c.ours ? micros(c.ours.costUsd) : 0;
      const theirsMicros = c.theirs?.costMicros ?? 0;
      const variance = theirsMicros - oursMicros;
      const status: ReconciliationRow['status'] = !c.ours
        ? 'not_recorded'
        : !c.theirs
          ? 'not_invoiced'
          : Math.abs(variance) <= tolerance
            ? 'match'
            : variance > 0
              ? 'over'
              : 'under';
      return {
        model: c.model,
        day: c.day,
        invoiceModels: [...c.invoiceNames].sort(),
        recorded: { costUsd: usd(oursMicros), calls: c.ours?.calls ?? 0, inputTokens: c.ours?.inputTokens ?? 0, outputTokens: c.ours?.outputTokens ?? 0 },
        invoice: {
          costUsd: usd(theirsMicros),
          lines: c.theirs?.lines ?? 0,
          inputTokens: c.theirs?.inputTokens ?? 0,
          outputTokens: c.theirs?.outputTokens ?? 0,
        },
        varianceUsd: usd(variance),
        variancePct: oursMicros === 0 ? null : Math.round((variance / oursMicros) * 10_000) / 100,
        status,
        traces: { filter: tracesFilter(c.model, c.day), count: c.ours?.calls ?? 0 },
      };
    });
  const days = new Map<string, { recorded: number; invoice: number }>();
  for (const r of rows) {
    const d = days.get(r.day) ?? { recorded: 0, invoice: 0 };
    d.recorded += Math.round(r.recorded.costUsd * 1e6);
    d.invoice += Math.round(r.invoice.costUsd * 1e6);
    days.set(r.day, d);
  }
  const recordedTotal = rows.reduce((s, r) => s + Math.round(r.recorded.costUsd * 1e6), 0);
  const invoiceTotal = rows.reduce((s, r) => s + Math.round(r.invoice.costUsd * 1e6), 0);
  return {
    month,
    format: invoice.format,
    columns: invoice.columns,
    toleranceUsd,
    totals: {
      recordedUsd: usd(recordedTotal),
      invoiceUsd: usd(invoiceTotal),
      varianceUsd: usd(invoiceTotal - recordedTotal),
      variancePct: recordedTotal === 0 ? null : Math.round(((invoiceTotal - recordedTotal) / recordedTotal) * 10_000) / 100,
      lines: invoice.rows,
      cells: rows.length,
      mismatched: rows.filter((r) => r.status !== 'match').length,
    },
    unmatchedModels: [...unmatched].sort(),
    byDay: [...days.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([day, d]) => ({ day, recordedUsd: usd(d.recorded), invoiceUsd: usd(d.invoice), varianceUsd: usd(d.invoice - d.recorded) })),
    rows,
  };
}
