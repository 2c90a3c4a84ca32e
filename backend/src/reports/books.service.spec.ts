// The shapes finance may send when re-pricing or closing a month.
import { MonthSchema, RepriceSchema } from './books.service';

const body = { from: '2026-10-01', to: '2026-10-31', prices: [{ model: 'qwen/qwen3-max', inputPerMillion: 1.5, outputPerMillion: 4 }] };
const issue = (v: unknown) => {
  const r = RepriceSchema.safeParse(v);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
};

describe('RepriceSchema', () => {
  it('accepts a period and prices', () => {
    expect(issue(body)).toBeNull();
  });

  it('names the field that is wrong', () => {
    expect(issue({ ...body, from: '2026-11-01' })).toMatch(/^from: must not be after to/);
    expect(issue({ ...body, to: '2026-02-30x' })).toMatch(/^to: must be a date/);
    expect(issue({ ...body, to: '2026-02-30' })).toMatch(/^to: is not a real date/);
    expect(issue({ ...body, from: '0000-01-01' })).toMatch(/^from: is not a real date/);
    expect(issue({ ...body, from: '2020-01-01' })).toMatch(/^to: the range may span at most two years/);
    expect(issue({ ...body, prices: [] })).toMatch(/^prices:/);
    expect(issue({ ...body, prices: [body.prices[0], body.prices[0]] })).toMatch(/^prices: must not name a model twice/);
    expect(issue({ ...body, prices: [{ ...body.prices[0], inputPerMillion: -1 }] })).toMatch(/^prices\.0\.inputPerMillion/);
    expect(issue({ ...body, prices: [{ ...body.prices[0], extra: 1 }] })).toMatch(/^prices\.0/);
    expect(issue({ ...body, apply: true })).toMatch(/apply/);
  });
});

describe('MonthSchema', () => {
  it('takes YYYY-MM only', () => {
    expect(MonthSchema.safeParse('2026-10').success).toBe(true);
    for (const bad of ['2026-13', '2026-1', '2026-10-01', 'October', '', '0000-01']) expect(MonthSchema.safeParse(bad).success).toBe(false);
    expect(MonthSchema.safeParse('0000-01').error?.issues[0].message).toBe('is not a real month');
  });
});
