// A dollar amount from the record, formatted for the page's language.
import { Typography } from '@mui/material';
import { useLocale, useRecordContext } from 'react-admin';
import { formatMoney } from './format';

export const MoneyField = ({ source }: { source: string; label?: string; sortable?: boolean }) => {
  const record = useRecordContext();
  const locale = useLocale();
  if (!record) return null;
  return (
    <Typography
      variant="body2"
      component="span"
      sx={{ fontVariantNumeric: 'tabular-nums' }}
      data-testid={`money-${source}`}
      data-value={Number(record[source] ?? 0)}
    >
      {formatMoney(Number(record[source] ?? 0), locale)}
    </Typography>
  );
};
