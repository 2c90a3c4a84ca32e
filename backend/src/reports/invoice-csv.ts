// Reads a provider's usage export for invoice reconciliation: OpenRouter's activity
// export (one row per request or per day, its own column names) or a generic
// `model,day,input_tokens,output_tokens,cost` file, summed per model × UTC day in
// micro-dollars (exact: no float sums). A bad file is an InvoiceCsvError naming the
// line and the column, which the API answers as a 400. Pure: no I/O.

/** The columns each format takes, by what they mean; the first name of each is the generic format's. */
export const INVOICE_COLUMNS = {
  model: ['model', 'model_permaslug', 'model_slug', 'model_id'],
  day: ['day', 'date', 'created_at', 'timestamp', 'createdat'],
  inputTokens: ['input_tokens', 'tokens_prompt', 'native_tokens_prompt', 'prompt_tokens'],
  outputTokens: ['output_tokens', 'tokens_completion', 'native_tokens_completion', 'completion_tokens'],
  cost: ['cost', 'usage', 'cost_total', 'total_cost', 'cost_usd'],
} as const;
type Field = keyof typeof INVOICE_COLUMNS;

export const GENERIC_HEADER = ['model', 'day', 'input_tokens', 'output_tokens', 'cost'];
export type InvoiceFormat = 'generic' | 'openrouter';

export class InvoiceCsvError extends Error {
  constructor(
    readonly line: number,
    readonly column: string | null,
    message: string,
  ) {
    super(`line ${line}${column ? `, column "${column}"` : ''}: ${message}`);
  }
}

export interface InvoiceCell {
  model: string;
  day: string;
  inputTokens: number;
  outputTokens: number;
  costMicros: number;
  /** the file's lines summed into this cell */
  lines: number;
}

export interface ParsedInvoice {
  format: InvoiceFormat;
  /** the header's columns used for each meaning */
  columns: Record<Field, string | null>;
  cells: InvoiceCell[];
  rows: number;
}

export const MAX_INVOICE_ROWS = 200_000;

/** RFC 4180 records: quoted fields with "" escapes, CRLF or LF; each with the line it starts on. */
export function csvRecords(text: string): { line: number; fields: string[] }[] {
  const out: { line: number; fields: string[] }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let sawAny = false;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      sawAny = true;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      sawAny = true;
      continue;
    }
    if (ch === '\r' && body[i + 1] === '\n') continue;
    if (ch === '\n') {
      fields.push(field);
      if (sawAny || field !== '') out.push({ line: start, fields });
      fields = [];
      field = '';
      sawAny = false;
      line++;
      start = line;
      continue;
    }
    if (ch === '"') throw new InvoiceCsvError(line, null, 'a quote inside an unquoted field');
    field += ch;
    sawAny = true;
  }
  if (quoted) throw new InvoiceCsvError(start, null, 'a quoted field is not closed');
  if (sawAny || field !== '') {
    fields.push(field);
    out.push({ line: start, fields });
  }
  return out;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day of a date or date-time cell, or null when it is not a real one. */
export function utcDay(value: string): string | null {
  const v = value.trim();
  const plain = DAY.exec(v);
  if (plain) {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v ? v : null;
  }
  // ISO date-times, and OpenRouter's "2026-01-05 13:45:12.123" (UTC, a space for the T).
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(v);
  if (!m) return null;
  if (!utcDay(m[1])) return null;
  const d = new Date(`${m[1]}T${m[2]}${m[5] ?? 'Z'}`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}

/** A money cell ("0.0123", "$0.0123", "1e-5") in micro-dollars, or null when it is not a number. */
export function toMicros(value: string): number | null {
  const v = value.trim().replace(/^\$/, '');
  if (!/^-?(\d+(\.\d*)?|\.\d+)(e-?\d+)?$/i.test(v)) return null;
  const n = Number(v);
  if (!Number.isFinite(n) || Math.abs(n) > 1e9) return null;
  return Math.round(n * 1e6);
}

function tokens(value: string): number | null {
  const v = value.trim();
  if (v === '') return 0;
  if (!/^\d{1,15}$/.test(v)) return null;
  return Number(v);
}

/**
 * Sums the file per model × day. Every row must fall in `month` (YYYY-MM): a row of
 * another month is refused rather than silently left out of the comparison.
 */
export function parseInvoiceCsv(text: string, month: string, format: 'auto' | InvoiceFormat = 'auto'): ParsedInvoice {
  const records = csvRecords(text);
  if (records.length === 0) throw new InvoiceCsvError(1, null, 'the file is empty (expected a header line)');
  const [head, ...rows] = records;
  if (rows.length > MAX_INVOICE_ROWS) throw new InvoiceCsvError(head.line, null, `more than ${MAX_INVOICE_ROWS} rows; split the export`);
  const header = head.fields.map((h) => h.trim().toLowerCase());
  const isGeneric = GENERIC_HEADER.every((c, i) => header[i] === c) && header.length === GENERIC_HEADER.length;
  const detected: InvoiceFormat = isGeneric ? 'generic' : 'openrouter';
  if (format === 'generic' && !isGeneric) throw new InvoiceCsvError(head.line, null, `the generic format's header is exactly ${GENERIC_HEADER.join(',')}`);
  const columns = {} as Record<Field, string | null>;
  const index = {} as Record<Field, number>;
  for (const field of Object.keys(INVOICE_COLUMNS) as Field[]) {
    const i = header.findIndex((h) => (INVOICE_COLUMNS[field] as readonly string[]).includes(h));
    index[field] = i;
    columns[field] = i >= 0 ? head.fields[i].trim() : null;
  }
  for (const field of ['model', 'day', 'cost'] as const) {
    if (index[field] < 0) throw new InvoiceCsvError(head.line, null, `no ${field} column (one of ${INVOICE_COLUMNS[field].join(', ')})`);
  }
  const cells = new Map<string, InvoiceCell>();
  for (const r of rows) {
    if (r.fields.length !== header.length) throw new InvoiceCsvError(r.line, null, `${r.fields.length} fields where the header has ${header.length}`);
    const cell = (f: Field) => r.fields[index[f]] ?? '';
    const model = cell('model').trim();
    if (!model) throw new InvoiceCsvError(r.line, columns.model, 'is empty');
    if (model.length > 200) throw new InvoiceCsvError(r.line, columns.model, 'is longer than 200 characters');
    const day = utcDay(cell('day'));
    if (!day) throw new InvoiceCsvError(r.line, columns.day, `"${cell('day').slice(0, 40)}" is not a date (YYYY-MM-DD or an ISO date-time)`);
    if (day.slice(0, 7) !== month) throw new InvoiceCsvError(r.line, columns.day, `${day} is not in ${month}, the month reconciled`);
    const cost = toMicros(cell('cost'));
    if (cost === null) throw new InvoiceCsvError(r.line, columns.cost, `"${cell('cost').slice(0, 40)}" is not an amount in USD`);
    const input = index.inputTokens >= 0 ? tokens(cell('inputTokens')) : 0;
    if (input === null) throw new InvoiceCsvError(r.line, columns.inputTokens, `"${cell('inputTokens').slice(0, 40)}" is not a whole number of tokens`);
    const output = index.outputTokens >= 0 ? tokens(cell('outputTokens')) : 0;
    if (output === null) throw new InvoiceCsvError(r.line, columns.outputTokens, `"${cell('outputTokens').slice(0, 40)}" is not a whole number of tokens`);
    const key = `${model}\u0000${day}`;
    const c = cells.get(key) ?? { model, day, inputTokens: 0, outputTokens: 0, costMicros: 0, lines: 0 };
    c.inputTokens += input;
    c.outputTokens += output;
    c.costMicros += cost;
    c.lines += 1;
    cells.set(key, c);
  }
  return { format: format === 'auto' ? detected : format, columns, cells: [...cells.values()], rows: rows.length };
}
