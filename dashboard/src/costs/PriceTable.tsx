// The organization's model price table (per 1M tokens) under the cost report: every model
// of the shared catalog with the organization's price, or none (its calls are refused
// until one is added). Everyone who sees costs reads it; admins and finance edit a row
// and save it, or add a price for an unpriced model, starting from the catalog's default
// (PUT /api/models/:id). A new price applies to later calls only: traces keep what they
// were charged.
import { Button, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, usePermissions, useTranslate } from 'react-admin';
import { i18nProvider } from '../i18n';
import { createHttpClient } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import { can } from '../providers/permissions';
import type { ModelPrice } from '../types';

const http = createHttpClient(() => i18nProvider.getLocale());


const PriceRow = ({ model, editable }: { model: ModelPrice; editable: boolean }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const qc = useQueryClient();
  const start = { input: String(model.inputPricePer1m ?? model.defaultInputPricePer1m), output: String(model.outputPricePer1m ?? model.defaultOutputPricePer1m) };
  const [input, setInput] = useState(start.input);
  const [output, setOutput] = useState(start.output);
  const save = useMutation({
    mutationFn: () => http(`/api/models/${encodeURIComponent(model.id)}`, {
      method: 'PUT',
      body: JSON.stringify({ inputPricePer1m: Number(input), outputPricePer1m: Number(output) }),
      headers: { 'Content-Type': 'application/json' },
    }),
    onSuccess: () => {
      notify('app.prices.saved', { type: 'success', messageArgs: { model: model.id } });
      void qc.invalidateQueries({ queryKey: ['models'] });
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  const changed = !model.priced || input !== start.input || output !== start.output;
  const field = (value: string, set: (v: string) => void, name: string) =>
    editable ? (
      <TextField size="small" type="number" value={value} onChange={(e) => set(e.target.value)} slotProps={{ htmlInput: { min: 0, step: 0.01, 'aria-label': `${translate(`app.prices.${name}`)} ${model.id}`, 'data-testid': `price-${name}-${model.id}` } }} sx={{ width: 120 }} />
    ) : model.priced ? (
      value
    ) : (
      '—'
    );
  return (
    <TableRow data-testid="price-row" data-priced={model.priced}>
      <TableCell>
        {model.id}
        {!model.priced && (
          <Typography variant="body2" color="warning.main" data-testid={`price-missing-${model.id}`}>{translate('app.prices.none')}</Typography>
        )}
      </TableCell>
      <TableCell align="right">{field(input, setInput, 'input')}</TableCell>
      <TableCell align="right">{field(output, setOutput, 'output')}</TableCell>
      {editable && (
        <TableCell>
          <Button size="small" disabled={!changed || save.isPending} onClick={() => save.mutate()} data-testid={`price-save-${model.id}`}>
            {translate(model.priced ? 'ra.action.save' : 'app.prices.add')}
          </Button>
        </TableCell>
      )}
    </TableRow>
  );
};

export const PriceTable = () => {
  const translate = useTranslate();
  const { permissions } = usePermissions();
  const editable = can(permissions, 'prices.edit');
  const { data } = useQuery({ queryKey: ['models'], queryFn: async () => (await http(`/api/models?range=${encodeURIComponent('[0,999]')}`)).json as ModelPrice[] });
  if (!data) return null;
  return (
    <>
      <Typography variant="h6" sx={{ mt: 3 }}>{translate('app.prices.title')}</Typography>
      <Table size="small" data-testid="price-table">
        <TableHead>
          <TableRow>
            <TableCell>{translate('app.costs.groups.model')}</TableCell>
            <TableCell align="right">{translate('app.prices.input')}</TableCell>
            <TableCell align="right">{translate('app.prices.output')}</TableCell>
            {editable && <TableCell />}
          </TableRow>
        </TableHead>
        <TableBody>
          {data.map((m) => <PriceRow key={`${m.id}-${m.priced}-${m.inputPricePer1m}-${m.outputPricePer1m}`} model={m} editable={editable} />)}
        </TableBody>
      </Table>
    </>
  );
};
