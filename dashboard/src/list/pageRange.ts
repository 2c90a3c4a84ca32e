// The pagination's "1-25 of 319" label, and "1-25 of 10,000+" when the API capped the
// count (withCappedTotal in providers/dataProvider.ts puts the cap in meta.totalAtLeast).
type Translate = (key: string, options?: Record<string, unknown>) => string;

export function pageRangeLabel(
  { from, to, count }: { from: number; to: number; count: number },
  totalAtLeast: number | undefined,
  translate: Translate,
  locale: string,
): string {
  if (count === -1 && totalAtLeast !== undefined) {
    const total = `${new Intl.NumberFormat(locale).format(totalAtLeast)}+`;
    return translate('ra.navigation.page_range_info', { offsetBegin: from, offsetEnd: to, total, _: `${from}-${to} of ${total}` });
  }
  return translate('ra.navigation.page_range_info', { offsetBegin: from, offsetEnd: to, total: count === -1 ? to : count, _: `${from}-${to} of ${count}` });
}
