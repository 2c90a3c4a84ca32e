import { Datagrid, DateField, FunctionField, List, SearchInput, SelectInput, TextField, useLocale } from 'react-admin';
import { ProgressField, StatusChip } from './CourseProgress';
import { ACTIVE, formatUsd } from './format';

const STATUSES = ['idle', 'queued', 'generating', 'completed', 'failed', 'cancelled'];

const filters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={STATUSES.map((id) => ({ id, name: `mc.status.${id}` }))} />,
];

/** Polls faster while a course on the page is moving; react-query pauses it in background tabs. */
const refetchInterval = (query: { state: { data?: { data?: { status: string }[] } } }) =>
  (query.state.data?.data ?? []).some((c) => ACTIVE.has(c.status)) ? 1500 : 5000;

export const CourseList = () => {
  const locale = useLocale();
  return (
    <List filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} queryOptions={{ refetchInterval } as never}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="title" />
        <FunctionField source="status" render={() => <StatusChip />} />
        <FunctionField source="percentage" render={() => <ProgressField />} />
        <TextField source="currentStage" emptyText="—" />
        <FunctionField source="costUsd" render={(r) => formatUsd(Number(r.costUsd ?? 0), locale)} />
        <DateField source="updatedAt" showTime />
      </Datagrid>
    </List>
  );
};
