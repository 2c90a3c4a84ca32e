// react-admin's Pagination, with "of 10,000+" for a list whose count the API capped
// (partial pagination: previous/next, no last page). Every list and reference list uses it.
import { useCallback } from 'react';
import { Pagination, useListContext, useLocaleState, useTranslate, type PaginationProps } from 'react-admin';
import type { CappedListMeta } from '../providers/dataProvider';
import { pageRangeLabel } from './pageRange';

export function CappedPagination(props: PaginationProps) {
  const { meta } = useListContext();
  const totalAtLeast = (meta as CappedListMeta | undefined)?.totalAtLeast;
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const labelDisplayedRows = useCallback(
    (rows: { from: number; to: number; count: number }) => pageRangeLabel(rows, totalAtLeast, translate, locale),
    [totalAtLeast, translate, locale],
  );
  if (totalAtLeast === undefined) return <Pagination {...props} />;
  // Pagination hands the props it does not know to MUI's TablePagination (its
  // labelDisplayedRows among them), after its own: this label replaces its label.
  const label = { labelDisplayedRows } as Partial<PaginationProps>;
  return <Pagination {...props} {...label} />;
}
