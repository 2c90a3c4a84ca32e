// Every lesson of the organization: its course, its place (1-based), status and
// attempts; searchable by title, filtered by status or course; cards on a phone.
import {
  Datagrid,
  FunctionField,
  List,
  ReferenceField,
  ReferenceInput,
  SelectInput,
  SimpleList,
  TextField,
  TextInput,
  useTranslate,
  AutocompleteInput,
} from 'react-admin';
import { CappedPagination } from '../list/CappedPagination';
import { useSmall } from '../list/useSmall';

const STATUSES = ['queued', 'generating', 'generated', 'failed'];

const StatusInput = (props: { source: string; alwaysOn?: boolean }) => {
  const translate = useTranslate();
  return <SelectInput {...props} choices={STATUSES.map((id) => ({ id, name: translate(`resources.lessons.statuses.${id}`) }))} />;
};

const filters = [
  <TextInput key="q" source="q" label="ra.action.search" alwaysOn />,
  <StatusInput key="status" source="status" />,
  <ReferenceInput key="courseId" source="courseId" reference="courses">
    <AutocompleteInput optionText="title" filterToQuery={(q: string) => ({ q })} />
  </ReferenceInput>,
];

export const LessonList = () => {
  const translate = useTranslate();
  const small = useSmall();
  const status = (s: string) => translate(`resources.lessons.statuses.${s}`, { _: s });
  return (
    <List filters={filters} sort={{ field: 'updatedAt', order: 'DESC' }} perPage={25} pagination={<CappedPagination />}>
      {small ? (
        <SimpleList
          primaryText={(r) => r.title}
          secondaryText={(r) => `${translate('app.words.lessonNo', { n: r.ordinal + 1 })} · ${status(r.status)}`}
          linkType="show"
          data-testid="lesson-cards"
        />
      ) : (
        <Datagrid rowClick="show" bulkActionButtons={false} data-testid="lesson-table">
          <TextField source="title" />
          <ReferenceField source="courseId" reference="courses" link="show" />
          <FunctionField source="ordinal" render={(r) => r.ordinal + 1} />
          <FunctionField source="status" render={(r) => status(r.status)} />
          <TextField source="attempts" sortable={false} />
        </Datagrid>
      )}
    </List>
  );
};
