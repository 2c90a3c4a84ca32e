import { csvRecords, InvoiceCsvError, parseInvoiceCsv, utcDay } from './invoice-csv';
import { reconcile } from './reconciliation';

const catalog = [
  { id: 'openai/gpt-oss-20b', providerModel: 'openai/gpt-oss-20b' },
  { id: 'local-qwen', providerModel: 'qwen/qwen3-32b' },
];

describe('invoice CSV', () => {
  it('reads quoted fields, CRLF and a BOM', () => {
    expect(csvRecords('\ufeffa,b\r\n"x, ""y""",2\r\n').map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['x, "y"', '2'],
    ]);
  });

  it('sums OpenRouter rows per model and UTC day', () => {
    const csv = [
      'generation_id,created_at,model_permaslug,tokens_prompt,tokens_completion,cost_total',
      'gen-1,2026-01-05 23:30:00.000,openai/gpt-oss-20b,100,20,0.000012',
      'gen-2,2026-01-05T10:00:00Z,openai/gpt-oss-20b,50,10,"0.000006"',
      'gen-3,2026-01-06T01:00:00+03:00,qwen/qwen3-32b,10,1,0.5',
    ].join('\n');
    const p = parseInvoiceCsv(csv, '2026-01');
    expect(p.format).toBe('openrouter');
    expect(p.columns).toEqual({
      model: 'model_permaslug',
      day: 'created_at',
      inputTokens: 'tokens_prompt',
      outputTokens: 'tokens_completion',
      cost: 'cost_total',
    });
    expect(p.cells).toEqual([
      { model: 'openai/gpt-oss-20b', day: '2026-01-05', inputTokens: 150, outputTokens: 30, costMicros: 18, lines: 2 },
      // 01:00 at +03:00 is 22:00 UTC the day before
      { model: 'qwen/qwen3-32b', day: '2026-01-05', inputTokens: 10, outputTokens: 1, costMicros: 500_000, lines: 1 },
    ]);
  });

  it('names the line and the column of what is wrong', () => {
    const bad = (csv: string, message: RegExp) => {
      expect(() => parseInvoiceCsv(csv, '2026-01')).toThrow(InvoiceCsvError);
      expect(() => parseInvoiceCsv(csv, '2026-01')).toThrow(message);
    };
    const head = 'model,day,input_tokens,output_tokens,cost\n';
    bad(`${head}m,2026-01-02,1,1,0.1\nm,2026-01-02,1,1,abc\n`, /^line 3, column "cost": "abc" is not an amount/);
    bad(`${head}m,2026-02-30,1,1,0.1\n`, /^line 2, column "day": "2026-02-30" is not a date/);
    bad(`${head}m,2026-02-01,1,1,0.1\n`, /^line 2, column "day": 2026-02-01 is not in 2026-01/);
    bad(`${head}m,2026-01-02,1.5,1,0.1\n`, /^line 2, column "input_tokens"/);
    bad(`${head}m,2026-01-02,1,1\n`, /^line 2: 4 fields where the header has 5/);
    bad(`${head},2026-01-02,1,1,0.1\n`, /^line 2, column "model": is empty/);
    bad('model,when,cost\nm,2026-01-02,1\n', /^line 1: no day column/);
    bad('', /^line 1: the file is empty/);
    bad(`${head}"m,2026-01-02,1,1,0.1\n`, /^line 2: a quoted field is not closed/);
    expect(() => parseInvoiceCsv('model,date,cost\nm,2026-01-02,1\n', '2026-01', 'generic')).toThrow(/generic format's header/);
  });

  it('takes UTC days of dates and date-times only', () => {
    expect(utcDay('2026-01-31')).toBe('2026-01-31');
    expect(utcDay('2026-01-31T23:59:59-01:00')).toBe('2026-02-01');
    expect(utcDay('31/01/2026')).toBeNull();
  });
});

describe('reconciliation', () => {
  const recorded = [
    { model: 'openai/gpt-oss-20b', day: '2026-01-05', calls: 3, inputTokens: 150, outputTokens: 30, costUsd: '0.00001800' },
    { model: 'openai/gpt-oss-20b', day: '2026-01-06', calls: 1, inputTokens: 10, outputTokens: 3, costUsd: '0.25000000' },
    { model: 'local-qwen', day: '2026-01-05', calls: 2, inputTokens: 5, outputTokens: 5, costUsd: '0.40000000' },
  ];

  it('answers the variance per model × day, matched by catalog id or provider model name', () => {
    const csv =
      'model,day,input_tokens,output_tokens,cost\nopenai/gpt-oss-20b,2026-01-05,150,30,0.000018\nqwen/qwen3-32b,2026-01-05,5,5,0.5\nunknown/x,2026-01-07,1,1,0.01\n';
    const r = reconcile('2026-01', parseInvoiceCsv(csv, '2026-01'), recorded, catalog, 0.001);
    const by = Object.fromEntries(r.rows.map((x) => [`${x.model} ${x.day}`, x]));
    expect(by['openai/gpt-oss-20b 2026-01-05']).toMatchObject({ status: 'match', varianceUsd: 0, variancePct: 0 });
    expect(by['local-qwen 2026-01-05']).toMatchObject({ status: 'over', varianceUsd: 0.1, variancePct: 25, invoiceModels: ['qwen/qwen3-32b'] });
    expect(by['openai/gpt-oss-20b 2026-01-06']).toMatchObject({ status: 'not_invoiced', varianceUsd: -0.25, variancePct: -100 });
    expect(by['unknown/x 2026-01-07']).toMatchObject({ status: 'not_recorded', varianceUsd: 0.01, variancePct: null });
    expect(by['local-qwen 2026-01-05'].traces).toEqual({ filter: { modelUsed: 'local-qwen', day: '2026-01-05' }, count: 2 });
    expect(r.unmatchedModels).toEqual(['unknown/x']);
    expect(r.totals).toMatchObject({ recordedUsd: 0.650018, invoiceUsd: 0.510018, varianceUsd: -0.14, mismatched: 3, cells: 4, lines: 3 });
    expect(r.byDay.map((d) => d.day)).toEqual(['2026-01-05', '2026-01-06', '2026-01-07']);
  });
});
