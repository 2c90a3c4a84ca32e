// The list's filters: free-text search over title and description, status, the stage a
// course is in, a creation date range, and low quality. (The list is always the caller's own
// organization: the API scopes it.)
import { BooleanInput, DateInput, SearchInput, SelectInput } from 'react-admin';
import { COURSE_STATUSES, STAGE_NUMBERS } from './status';

export const courseFilters = [
  <SearchInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" alwaysOn choices={COURSE_STATUSES.map((id) => ({ id, name: `resources.courses.status.${id}` }))} />,
  <SelectInput key="stage" source="stage" choices={STAGE_NUMBERS.map((n) => ({ id: n, name: `resources.courses.stages.${n}` }))} />,
  <DateInput key="createdFrom" source="createdFrom" />,
  <DateInput key="createdTo" source="createdTo" />,
  // Stage 5's quality below the organization's threshold.
  <BooleanInput key="qualityLow" source="qualityLow" defaultValue={true} />,
];
