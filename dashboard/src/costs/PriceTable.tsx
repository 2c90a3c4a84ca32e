// The organization's model price table (per 1M tokens) under the cost report: every model
// of the shared catalog with the organization's price, or none (its calls are refused
// until one is added). Everyone who sees costs reads it; admins and finance change a
// price in a dialog (PriceDialog: labels, effective date, dry-run preview, confirmation).
// A new price applies to later calls only: traces keep what they were charged.
import { Button, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocale, usePermissions, useTranslate } from 'react-admin';
import { i18nProvider } from '../i18n';
import { formatPrice } from '../i18n/words';
import { createHttpClient } from '../providers/dataProvider';
import { can } from '../providers/permissions';
import { PriceDialog, type ModelPrice } from './PriceDialog';

const http = createHttpClient(() => i18nProvider.getLocale());

const PriceRow = ({ model, editable }: { model: ModelPrice; editable: boolean }) => {
  const translate = useTranslate();
  const locale = useLocale();
  const [open, setOpen] = useState(false);
  const price = (v: number | null) => (model.priced && v !== null ? formatPrice(v, locale) : '—');
  return (
    <TableRow data-testid="price-row" data-priced={model.priced}>
      <TableCell>
        {model.id}
        {!model.priced && (
          <Typography variant="body2" color="warning.dark" data-testid={`price-missing-${model.id}`}>
            {translate('app.prices.none')}
          </Typography>
        )}
      </TableCell>
      <TableCell align="right">{price(model.inputPricePer1m)}</TableCell>
      <TableCell align="right">{price(model.outputPricePer1m)}</TableCell>
      {editable && (
        <TableCell>
          <Button
            size="small"
            onClick={() => setOpen(true)}
            data-testid={`price-edit-${model.id}`}
            aria-label={`${translate(model.priced ? 'app.priceForm.edit' : 'app.prices.add')}: ${model.id}`}
          >
            {translate(model.priced ? 'app.priceForm.edit' : 'app.prices.add')}
          </Button>
          {open && <PriceDialog model={model} open={open} onClose={() => setOpen(false)} />}
        </TableCell>
      )}
    </TableRow>
  );
};

export const PriceTable = () => {
  const translate = useTranslate();
  const { permissions } = usePermissions();
  const editable = can(permissions, 'prices.edit');
  const { data } = useQuery({
    queryKey: ['models'],
    queryFn: async () => (await http(`/api/models?range=${encodeURIComponent('[0,999]')}`)).json as ModelPrice[],
  });
  if (!data) return null;
  return (
    <>
      <Typography variant="h6" component="h2" sx={{ mt: 3 }}>
        {translate('app.prices.title')}
      </Typography>
      <Table size="small" data-testid="price-table" sx={{ overflowX: 'auto', display: { xs: 'block', sm: 'table' }, overflowWrap: 'anywhere' }}>
        <TableHead>
          <TableRow>
            <TableCell>{translate('app.costs.groups.model')}</TableCell>
            <TableCell align="right">{translate('app.prices.input')}</TableCell>
            <TableCell align="right">{translate('app.prices.output')}</TableCell>
            {editable && (
              <TableCell>
                <span className="sr-only" style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }}>
                  {translate('ra.action.edit')}
                </span>
              </TableCell>
            )}
          </TableRow>
        </TableHead>
        <TableBody>
          {data.map((m) => (
            <PriceRow key={`${m.id}-${m.priced}-${m.inputPricePer1m}-${m.outputPricePer1m}`} model={m} editable={editable} />
          ))}
        </TableBody>
      </Table>
    </>
  );
};
