// The model price table (per 1M tokens) under the cost report: everyone who sees costs
// reads it; admins and finance edit a row and save it (PUT /api/models/:id). A new
// price applies to later calls only: traces keep what they were charged.
import { Button, Table, TableBody, TableCell, TableHead, TableRow, TextField, Typography } from '@mui/material';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNotify, usePermissions, useTranslate } from 'react-admin';
import { i18nProvider } from '../i18n';
import { createHttpClient } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';
import { can } from '../providers/permissions';

const http = createHttpClient(() => i18nProvider.getLocale());

interface ModelPrice { id: string; displayName: string; providerModel: string; inputPricePer1m: number; outputPricePer1m: number; active: boolean }

const PriceRow = ({ model, editable }: { model: ModelPrice; editable: boolean }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const qc = useQueryClient();
  const [input, setInput] = useState(String(model.inputPricePer1m));
  const [output, setOutput] = useState(String(model.outputPricePer1m));
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
  const changed = input !== String(model.inputPricePer1m) || output !== String(model.outputPricePer1m);
  const field = (value: string, set: (v: string) => void, name: string) =>
    editable ? (
      <TextField size="small" type="number" value={value} onChange={(e) => set(e.target.value)} slotProps={{ htmlInput: { min: 0, step: 0.01, 'data-testid': `price-${name}-${model.id}` } }} sx={{ width: 120 }} />
    ) : (
      value
    );
  return (
    <TableRow data-testid="price-row">
      <TableCell>{model.id}</TableCell>
      <TableCell align="right">{field(input, setInput, 'input')}</TableCell>
      <TableCell align="right">{field(output, setOutput, 'output')}</TableCell>
      {editable && (
        <TableCell>
          <Button size="small" disabled={!changed || save.isPending} onClick={() => save.mutate()} data-testid={`price-save-${model.id}`}>
            {translate('ra.action.save')}
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
          {data.map((m) => <PriceRow key={`${m.id}-${m.inputPricePer1m}-${m.outputPricePer1m}`} model={m} editable={editable} />)}
        </TableBody>
      </Table>
    </>
  );
};
