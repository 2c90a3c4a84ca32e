// Changing a model's price: labelled inputs (USD per 1M input / output tokens), when it
// takes effect (now, or a later moment: the past is re-priced, never edited), a dry-run
// preview of what the last 30 days would have cost at that price
// (POST /api/reports/reprice/preview, which changes nothing), and a confirmation naming
// the price before PUT /api/models/:id adds the new version.
import {
  Alert,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  FormControlLabel,
  Radio,
  RadioGroup,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from '@mui/material';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useLocale, useNotify, useTranslate } from 'react-admin';
import { formatDateTime, formatNumber, formatPrice, formatUsd } from '../i18n/words';
import { i18nProvider } from '../i18n';
import { createHttpClient } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';

const http = createHttpClient(() => i18nProvider.getLocale());

export interface ModelPrice {
  id: string;
  displayName: string;
  providerModel: string;
  active: boolean;
  /** the organization's price in force (null: none) */
  inputPricePer1m: number | null;
  outputPricePer1m: number | null;
  priced: boolean;
  defaultInputPricePer1m: number;
  defaultOutputPricePer1m: number;
}

interface Preview {
  totals: { traces: number; currentUsd: string; repricedUsd: string; differenceUsd: string };
}

const day = (d: Date) => d.toISOString().slice(0, 10);
const validPrice = (v: string) => v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0 && Number(v) <= 10_000;

export const PriceDialog = ({ model, open, onClose }: { model: ModelPrice; open: boolean; onClose: () => void }) => {
  const translate = useTranslate();
  const locale = useLocale();
  const notify = useNotify();
  const qc = useQueryClient();
  const [input, setInput] = useState(String(model.inputPricePer1m ?? model.defaultInputPricePer1m));
  const [output, setOutput] = useState(String(model.outputPricePer1m ?? model.defaultOutputPricePer1m));
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [at, setAt] = useState('');
  const [preview, setPreview] = useState<{ key: string; data: Preview } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const key = `${input}|${output}`;
  const atDate = when === 'later' && at ? new Date(at) : null;
  const atValid = when === 'now' || (atDate !== null && !Number.isNaN(atDate.getTime()) && atDate.getTime() > Date.now());
  const pricesValid = validPrice(input) && validPrice(output);
  const previewed = preview?.key === key;

  const runPreview = useMutation({
    mutationFn: async () => {
      const to = new Date();
      const from = new Date(to.getTime() - 29 * 86_400_000);
      const body = { from: day(from), to: day(to), prices: [{ model: model.id, inputPerMillion: Number(input), outputPerMillion: Number(output) }] };
      return (await http('/api/reports/reprice/preview', { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }))
        .json as Preview;
    },
    onSuccess: (data) => setPreview({ key, data }),
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  const save = useMutation({
    mutationFn: () =>
      http(`/api/models/${encodeURIComponent(model.id)}`, {
        method: 'PUT',
        body: JSON.stringify({ inputPricePer1m: Number(input), outputPricePer1m: Number(output), ...(atDate ? { effectiveFrom: atDate.toISOString() } : {}) }),
        headers: { 'Content-Type': 'application/json' },
      }),
    onSuccess: () => {
      notify('app.prices.saved', { type: 'success', messageArgs: { model: model.id } });
      setConfirming(false);
      onClose();
      void qc.invalidateQueries({ queryKey: ['models'] });
    },
    onError: (err) => notify(errorMessage(err), { type: 'error' }),
  });
  const usd = (v: string | number) => formatUsd(Number(v), locale);
  const whenText = atDate ? formatDateTime(atDate, locale, false) : translate('app.priceForm.now').toLowerCase();

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="price-dialog-title" fullWidth maxWidth="sm">
      <DialogTitle id="price-dialog-title">{translate('app.priceForm.title', { model: model.id })}</DialogTitle>
      <DialogContent>
        {model.priced && (
          <DialogContentText sx={{ mb: 2 }}>
            {translate('app.priceForm.current', { input: formatPrice(model.inputPricePer1m, locale), output: formatPrice(model.outputPricePer1m, locale) })}
          </DialogContentText>
        )}
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mt: 1 }}>
          <TextField
            label={translate('app.priceForm.input')}
            type="number"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            error={!validPrice(input)}
            helperText={validPrice(input) ? ' ' : translate('app.priceForm.invalid')}
            slotProps={{ htmlInput: { min: 0, max: 10000, step: 0.01, 'data-testid': `price-input-${model.id}` } }}
            fullWidth
          />
          <TextField
            label={translate('app.priceForm.output')}
            type="number"
            value={output}
            onChange={(e) => setOutput(e.target.value)}
            error={!validPrice(output)}
            helperText={validPrice(output) ? ' ' : translate('app.priceForm.invalid')}
            slotProps={{ htmlInput: { min: 0, max: 10000, step: 0.01, 'data-testid': `price-output-${model.id}` } }}
            fullWidth
          />
        </Stack>
        <Typography id="price-effective-label" variant="subtitle2" sx={{ mt: 1 }}>
          {translate('app.priceForm.effective')}
        </Typography>
        <RadioGroup row aria-labelledby="price-effective-label" value={when} onChange={(e) => setWhen(e.target.value as 'now' | 'later')}>
          <FormControlLabel value="now" control={<Radio />} label={translate('app.priceForm.now')} />
          <FormControlLabel
            value="later"
            control={<Radio slotProps={{ input: { 'data-testid': 'price-later' } as object }} />}
            label={translate('app.priceForm.later')}
          />
        </RadioGroup>
        {when === 'later' && (
          <TextField
            type="datetime-local"
            label={translate('app.priceForm.effectiveAt')}
            value={at}
            onChange={(e) => setAt(e.target.value)}
            error={!atValid}
            helperText={atValid ? ' ' : translate('app.priceForm.pastDate')}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'price-effective-at' } }}
            sx={{ mt: 1 }}
          />
        )}
        <Typography variant="subtitle2" sx={{ mt: 2 }}>
          {translate('app.priceForm.previewTitle')}
        </Typography>
        <Typography variant="body2" color="text.secondary">
          {translate('app.priceForm.previewNote')}
        </Typography>
        {previewed &&
          preview &&
          (preview.data.totals.traces === 0 ? (
            <Alert severity="info" sx={{ mt: 1 }} data-testid="price-preview">
              {translate('app.priceForm.noPreview')}
            </Alert>
          ) : (
            <Table size="small" data-testid="price-preview" sx={{ mt: 1 }}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate('app.priceForm.calls')}</TableCell>
                  <TableCell align="right">{translate('app.priceForm.before')}</TableCell>
                  <TableCell align="right">{translate('app.priceForm.after')}</TableCell>
                  <TableCell align="right">{translate('app.priceForm.delta')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                <TableRow>
                  <TableCell>{formatNumber(preview.data.totals.traces, locale)}</TableCell>
                  <TableCell align="right">{usd(preview.data.totals.currentUsd)}</TableCell>
                  <TableCell align="right">{usd(preview.data.totals.repricedUsd)}</TableCell>
                  <TableCell align="right" data-testid="price-preview-delta">
                    {usd(preview.data.totals.differenceUsd)}
                  </TableCell>
                </TableRow>
              </TableBody>
            </Table>
          ))}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.close')}</Button>
        <Button onClick={() => runPreview.mutate()} disabled={!pricesValid || runPreview.isPending} data-testid="price-preview-run">
          {translate('app.priceForm.preview')}
        </Button>
        <Button
          variant="contained"
          onClick={() => setConfirming(true)}
          disabled={!pricesValid || !atValid || !previewed}
          data-testid={`price-save-${model.id}`}
        >
          {translate('app.priceForm.confirm')}
        </Button>
      </DialogActions>
      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="price-confirm-title">
        <DialogTitle id="price-confirm-title">{translate('app.priceForm.confirm')}</DialogTitle>
        <DialogContent>
          <DialogContentText data-testid="price-confirm-text">
            {translate('app.priceForm.confirmText', {
              model: model.id,
              input: formatPrice(Number(input), locale),
              output: formatPrice(Number(output), locale),
              when: whenText,
            })}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>{translate('ra.action.close')}</Button>
          <Button variant="contained" onClick={() => save.mutate()} disabled={save.isPending} data-testid="price-confirm">
            {translate('ra.action.confirm')}
          </Button>
        </DialogActions>
      </Dialog>
    </Dialog>
  );
};
