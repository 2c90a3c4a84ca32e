// A new course: title, description, language, the stages that end at an approval gate
// and an optional budget (a budget gate holds the course before its lessons when the
// projected cost passes it).
import { CheckboxGroupInput, Create, NumberInput, SelectInput, SimpleForm, TextInput, maxLength, minValue, required, useTranslate } from 'react-admin';
import { stageLabel } from '../i18n/words';
import { STAGE_NUMBERS } from './status';

const languages = [
  { id: 'en', name: 'resources.courses.languages.en' },
  { id: 'ru', name: 'resources.courses.languages.ru' },
];

/** react-admin turns a cleared text input into null; the API wants a string or nothing. */
const withoutEmpty = (data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([, v]) => v !== null && v !== undefined && v !== ''));

export const CourseCreate = () => {
  const translate = useTranslate();
  // "Stage 4 · Analysis": the number the rest of the dashboard uses beside the name.
  const gates = STAGE_NUMBERS.map((n) => ({ id: n, name: stageLabel(n, translate) }));
  return (
    <Create redirect="show" transform={withoutEmpty}>
      <SimpleForm defaultValues={{ language: 'en', approvalGates: [] }}>
        <TextInput source="title" validate={[required(), maxLength(300)]} fullWidth />
        <TextInput source="description" validate={maxLength(5000)} multiline minRows={3} fullWidth />
        <SelectInput source="language" choices={languages} validate={required()} />
        <CheckboxGroupInput source="approvalGates" choices={gates} helperText="resources.courses.gates_help" />
        <NumberInput source="budgetUsd" min={0} step={0.01} validate={minValue(0)} helperText="resources.courses.budget_help" />
      </SimpleForm>
    </Create>
  );
};
