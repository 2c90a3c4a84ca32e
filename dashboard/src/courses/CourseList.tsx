// All courses of the organization with live progress. Until the socket feed lands the
// list polls: every 3 s while a course on the page is moving, slowly otherwise so a
// generation started elsewhere still shows up. react-query pauses it in hidden tabs.
import { CreateButton, Datagrid, DateField, List, TextField, TopToolbar, useLocale, usePermissions } from 'react-admin';
import { can } from '../providers/permissions';
import type { Course } from '../types';
import { courseFilters } from './courseFilters';
import { MoneyField } from './MoneyField';
import { ProgressField } from './ProgressField';
import { StageField } from './StageField';
import { StatusChip } from './StatusChip';
import { isActive } from './status';

export const ACTIVE_POLL_MS = 3000;
export const IDLE_POLL_MS = 15000;

const ListActions = () => {
  const { permissions } = usePermissions();
  return <TopToolbar>{can(permissions, 'createCourse') && <CreateButton />}</TopToolbar>;
};

export const CourseList = () => {
  const locale = useLocale();
  const { permissions } = usePermissions();
  return (
    <List<Course>
      filters={courseFilters}
      actions={<ListActions />}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      empty={can(permissions, 'createCourse') ? undefined : false}
      queryOptions={{
        refetchInterval: (query) => ((query.state.data?.data ?? []).some((c) => isActive(c.status)) ? ACTIVE_POLL_MS : IDLE_POLL_MS),
      }}
    >
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <TextField source="title" />
        <StatusChip source="status" />
        <ProgressField source="percentage" />
        <StageField source="currentStage" sortable={false} />
        <MoneyField source="costUsd" sortable={false} />
        <DateField source="updatedAt" showTime locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
      </Datagrid>
    </List>
  );
};
