// POST /api/reports/reconciliation: the request (a month and a provider's usage export
// as CSV text) and the answer, per model × day, of our recorded cost against the invoice.
import { z } from 'zod';

export const RECONCILIATION_FORMATS = ['auto', 'openrouter', 'generic'] as const;

export const ReconciliationRequestSchema = z
  .object({
    /** the invoice's month, YYYY-MM (every row of the file must fall in it, by UTC day) */
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM')
      .refine((m) => Number(m.slice(0, 4)) >= 2000, 'must be a month from 2000 on'),
    /** the file's text: OpenRouter's activity export, or model,day,input_tokens,output_tokens,cost */
    csv: z.string().min(1, 'is empty').max(3_500_000, 'is larger than 3.5 MB (split the export by days)'),
    /** auto: generic when the header is exactly the generic one, OpenRouter's column names otherwise */
    format: z.enum(RECONCILIATION_FORMATS).default('auto'),
    /** a cell whose variance is within this many USD counts as matching (default a tenth of a cent) */
    toleranceUsd: z.number().min(0, 'must not be negative').max(1_000_000).default(0.001),
  })
  .strict();
export type ReconciliationRequest = z.infer<typeof ReconciliationRequestSchema>;

const Money = z.number();

export const ReconciliationRowSchema = z.object({
  /** our catalog id of the model (the invoice's own name when the catalog does not know it) */
  model: z.string(),
  /** UTC day, YYYY-MM-DD */
  day: z.string(),
  /** the names the invoice used for this model */
  invoiceModels: z.array(z.string()),
  recorded: z.object({ costUsd: Money, calls: z.number().int(), inputTokens: z.number().int(), outputTokens: z.number().int() }),
  invoice: z.object({ costUsd: Money, lines: z.number().int(), inputTokens: z.number().int(), outputTokens: z.number().int() }),
  /** invoice − recorded, USD */
  varianceUsd: Money,
  /** the variance in % of the recorded cost; null when nothing was recorded */
  variancePct: z.number().nullable(),
  /** match (within the tolerance), over (the invoice is higher), under, not_recorded (only the invoice has it), not_invoiced (only we have it) */
  status: z.enum(['match', 'over', 'under', 'not_recorded', 'not_invoiced']),
  /** the traces behind the cell: GET /api/traces?filter=<filter as JSON> */
  traces: z.object({ filter: z.object({ modelUsed: z.string(), day: z.string() }), count: z.number().int() }),
});
export type ReconciliationRow = z.infer<typeof ReconciliationRowSchema>;

export const ReconciliationResponseSchema = z.object({
  month: z.string(),
  format: z.enum(['openrouter', 'generic']),
  /** which of the file's columns were read for each meaning (null: absent) */
  columns: z.object({
    model: z.string().nullable(),
    day: z.string().nullable(),
    inputTokens: z.string().nullable(),
    outputTokens: z.string().nullable(),
    cost: z.string().nullable(),
  }),
  toleranceUsd: z.number(),
  totals: z.object({
    recordedUsd: Money,
    invoiceUsd: Money,
    varianceUsd: Money,
    variancePct: z.number().nullable(),
    /** data lines of the file */
    lines: z.number().int(),
    cells: z.number().int(),
    /** cells not matching within the tolerance */
    mismatched: z.number().int(),
  }),
  /** invoice model names the catalog has neither as an id nor as a provider model */
  unmatchedModels: z.array(z.string()),
  byDay: z.array(z.object({ day: z.string(), recordedUsd: Money, invoiceUsd: Money, varianceUsd: Money })),
  rows: z.array(ReconciliationRowSchema),
});
export type ReconciliationResponse = z.infer<typeof ReconciliationResponseSchema>;
