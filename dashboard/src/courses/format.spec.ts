import { describe, expect, it } from 'vitest';
import { formatEta, formatMoney } from './format';

// Intl puts no-break spaces in some locales; compare with plain ones.
const plain = (s: string | null) => s?.replace(/\s/g, ' ');

describe('formatMoney', () => {
  it('shows cents, and four decimals under a cent', () => {
    expect(formatMoney(1.5)).toBe('$1.50');
    expect(formatMoney(1234.567)).toBe('$1,234.57');
    expect(formatMoney(0.0042)).toBe('$0.0042');
    expect(formatMoney(0)).toBe('$0.00');
  });

  it('writes Russian numbers in Russian', () => {
    expect(plain(formatMoney(1234.5, 'ru'))).toBe('1 234,50 $');
  });

  it('shows a dash for no amount', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney(Number.NaN)).toBe('—');
  });
});

describe('formatEta', () => {
  it('uses the units that fit', () => {
    expect(formatEta(0)).toBe('0 s');
    expect(formatEta(45)).toBe('45 s');
    expect(formatEta(125)).toBe('2 min 5 s');
    expect(formatEta(120)).toBe('2 min');
    expect(formatEta(12 * 60 + 40)).toBe('12 min');
    expect(formatEta(3600 + 5 * 60)).toBe('1 h 5 min');
    expect(formatEta(7200)).toBe('2 h');
  });

  it('speaks Russian', () => {
    expect(formatEta(125, 'ru')).toBe('2 мин 5 с');
    expect(formatEta(3900, 'ru')).toBe('1 ч 5 мин');
  });

  it('is null when the API gives no estimate', () => {
    expect(formatEta(null)).toBeNull();
    expect(formatEta(undefined)).toBeNull();
    expect(formatEta(-1)).toBeNull();
    expect(formatEta(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
