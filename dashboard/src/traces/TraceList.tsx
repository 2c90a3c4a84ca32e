// Model calls: which model and provider answered, tokens, cost, duration, attempt label.
import { Chip } from '@mui/material';
import { Datagrid, DateField, FunctionField, List, NumberField, SelectInput, TextField, TextInput, useLocale } from 'react-admin';
import { formatMoney } from '../courses/format';
import { CappedPagination } from '../list/CappedPagination';

const LABELS = ['first_try', 'retry', 'fallback', 'repair', 'rerun'];
const COLORS: Record<string, 'default' | 'warning' | 'error' | 'info' | 'secondary'> = { first_try: 'default', retry: 'warning', fallback: 'error', repair: 'info', rerun: 'secondary' };

const filters = [
  <TextInput key="courseId" source="courseId" />,
  <SelectInput key="stage" source="stage" choices={[2, 3, 4, 5, 6].map((n) => ({ id: `stage_${n}`, name: `stage_${n}` }))} />,
  <TextInput key="phase" source="phase" />,
  <TextInput key="modelUsed" source="modelUsed" />,
  <SelectInput key="label" source="label" choices={LABELS.map((id) => ({ id, name: id }))} />,
  <SelectInput key="hasError" source="hasError" choices={[{ id: true, name: 'yes' }, { id: false, name: 'no' }]} />,
];

export const TraceList = () => {
  const locale = useLocale();
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={50} pagination={<CappedPagination />}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <DateField source="createdAt" showTime />
        <TextField source="stage" />
        <TextField source="phase" />
        <TextField source="modelUsed" />
        <TextField source="provider" />
        <FunctionField source="label" render={(r) => <Chip size="small" color={COLORS[r.label] ?? 'default'} label={r.label} />} />
        <NumberField source="tokensUsed" />
        <FunctionField source="costUsd" render={(r) => formatMoney(Number(r.costUsd ?? 0), locale)} />
        <NumberField source="durationMs" />
        <FunctionField source="hasError" render={(r) => (r.hasError ? '⚠' : '')} />
      </Datagrid>
    </List>
  );
};
