// A capped count end to end in the dashboard: the API's `…/10000+` becomes partial
// pagination with meta.totalAtLeast, and the pagination (react-admin's, rendered with the
// app's messages) says "1-25 of 10,000+" where the parsed total would have said 10000.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { createTheme, ThemeProvider } from '@mui/material/styles';
import polyglotI18nProvider from 'ra-i18n-polyglot';
import { I18nContext, ListContextProvider, type GetListResult, type ListControllerResult } from 'react-admin';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ru } from '../i18n/ru';
import { withCappedTotal } from '../providers/dataProvider';
import { CappedPagination } from './CappedPagination';
import { pageRangeLabel } from './pageRange';

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i }));
const plain = (s: string) => s.replace(/\s/g, ' ');

function render(list: Partial<ListControllerResult>, locale: 'en' | 'ru' = 'en'): string {
  const i18n = polyglotI18nProvider((l) => (l === 'ru' ? ru : en), locale);
  const value = {
    isPending: false,
    isLoading: false,
    isFetching: false,
    page: 1,
    perPage: 25,
    setPage: () => {},
    setPerPage: () => {},
    resource: 'traces',
    data: rows(25),
    ...list,
  } as ListControllerResult;
  const tree = createElement(I18nContext.Provider, { value: i18n }, createElement(ListContextProvider, { value, children: createElement(CappedPagination) }));
  const html = renderToString(createElement(ThemeProvider, { theme: createTheme() }, tree));
  return plain(html.replace(/<[^>]+>/g, ' ').replace(/&#x27;/g, "'"));
}

describe('capped totals from the API', () => {
  it('turns …/10000+ into partial pagination with the cap in meta', () => {
    const parsed: GetListResult = { data: rows(25), total: 10_000 }; // what ra-data-simple-rest's parseInt reads
    const result = withCappedTotal(parsed, 'traces 0-24/10000+', 1, 25);
    expect(result.total).toBeUndefined();
    expect(result.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
    expect(result.meta).toEqual({ totalAtLeast: 10_000 });
    // A short page past the cap is the last one.
    expect(withCappedTotal<GetListResult>({ data: rows(3), total: 10_000 }, 'traces 12000-12002/10000+', 481, 25).pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: true,
    });
  });

  it('leaves an exact total as it is', () => {
    const parsed = { data: rows(3), total: 3 };
    expect(withCappedTotal(parsed, 'traces 0-2/3', 1, 25)).toBe(parsed);
    expect(withCappedTotal(parsed, null, 1, 25)).toBe(parsed);
  });

  it('labels a capped page "of 10,000+"', () => {
    const t = (key: string, o?: Record<string, unknown>) => `${key}:${o?.offsetBegin}-${o?.offsetEnd}/${o?.total}`;
    expect(pageRangeLabel({ from: 1, to: 25, count: -1 }, 10_000, t, 'en')).toBe('ra.navigation.page_range_info:1-25/10,000+');
    expect(pageRangeLabel({ from: 1, to: 25, count: 319 }, undefined, t, 'en')).toBe('ra.navigation.page_range_info:1-25/319');
  });

  it('shows "1-25 of 10,000+" in the pagination', () => {
    const capped = withCappedTotal<GetListResult>({ data: rows(25), total: 10_000 }, 'traces 0-24/10000+', 1, 25);
    const html = render({ total: capped.total, meta: capped.meta, hasNextPage: true, hasPreviousPage: false });
    expect(html).toContain('1-25 of 10,000+');
    expect(html).not.toMatch(/of 10000\b/);
    expect(render({ total: capped.total, meta: capped.meta, hasNextPage: true }, 'ru')).toContain('1-25 из 10 000+');
  });

  it('shows an exact total as react-admin does', () => {
    expect(render({ total: 319, hasNextPage: true, hasPreviousPage: false })).toContain('1-25 of 319');
  });
});
