// All courses of the organization with live progress: the socket (live/LiveUpdates)
// patches the cached page as course.updated events arrive; nothing polls. Operators
// select courses for a bulk retry or cancel.
import { CreateButton, Datagrid, DateField, List, TextField, TopToolbar, useLocale, usePermissions } from 'react-admin';
import { can } from '../providers/permissions';
import type { Course } from '../types';
import { BulkControls } from './BulkControls';
import { courseFilters } from './courseFilters';
import { MoneyField } from './MoneyField';
import { ProgressField } from './ProgressField';
import { StageField } from './StageField';
import { StatusChip } from './StatusChip';
import { QualityChip } from './QualityChip';
import { CappedPagination } from '../list/CappedPagination';

const ListActions = () => {
  const { permissions } = usePermissions();
  return <TopToolbar>{can(permissions, 'courses.create') && <CreateButton />}</TopToolbar>;
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
      pagination={<CappedPagination />}
      empty={can(permissions, 'courses.create') ? undefined : false}
    >
      <Datagrid rowClick="show" bulkActionButtons={can(permissions, 'courses.retry') ? <BulkControls /> : false}>
        <TextField source="title" />
        <StatusChip source="status" />
        <QualityChip source="qualityLow" sortable={false} />
        <ProgressField source="percentage" />
        <StageField source="currentStage" sortable={false} />
        <MoneyField source="costUsd" sortable={false} />
        <DateField source="updatedAt" showTime locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
      </Datagrid>
    </List>
  );
};
