// All courses of the organization with live progress: the socket (live/LiveUpdates)
// patches the cached page as course.updated events arrive; nothing polls. Operators
// select courses for a bulk retry or cancel.
import { CreateButton, Datagrid, DateField, List, SimpleList, TextField, TopToolbar, useLocale, usePermissions, useTranslate } from 'react-admin';
import { formatMoney } from './format';
import { stageLabel, stateLabel } from '../i18n/words';
import { useSmall } from '../list/useSmall';
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
  const translate = useTranslate();
  const small = useSmall();
  return (
    <List<Course>
      filters={courseFilters}
      actions={<ListActions />}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      pagination={<CappedPagination />}
      empty={can(permissions, 'courses.create') ? undefined : false}
    >
      {small ? (
        // A phone: one card per course (react-admin's SimpleList), never a table wider than the screen.
        <SimpleList<Course>
          primaryText={(c) => c.title}
          secondaryText={(c) =>
            `${stateLabel(c.generationStatus, translate) || translate(`resources.courses.status.${c.status}`)} · ${Math.round(c.percentage ?? 0)}%`
          }
          tertiaryText={(c) =>
            [c.currentStage ? stageLabel(c.currentStage, translate, true) : '', formatMoney(Number(c.costUsd ?? 0), locale)].filter(Boolean).join(' · ')
          }
          linkType="show"
          data-testid="course-cards"
        />
      ) : (
        <Datagrid rowClick="show" bulkActionButtons={can(permissions, 'courses.retry') ? <BulkControls /> : false}>
          <TextField source="title" />
          <StatusChip source="status" />
          <QualityChip source="qualityLow" sortable={false} />
          <ProgressField source="percentage" />
          <StageField source="currentStage" sortable={false} />
          <MoneyField source="costUsd" sortable={false} />
          <DateField source="updatedAt" showTime locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
        </Datagrid>
      )}
    </List>
  );
};
