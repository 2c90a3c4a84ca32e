// The list's filters: free-text search over title and description, and status.
import { SearchInput, SelectInput } from 'react-admin';
import { COURSE_STATUSES } from './status';

export const courseFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput
    key="status"
    source="status"
    alwaysOn
    choices={COURSE_STATUSES.map((id) => ({ id, name: `resources.courses.status.${id}` }))}
  />,
];
