import { CheckboxGroupInput, Create, SelectInput, SimpleForm, TextInput, required } from 'react-admin';

export const CourseCreate = () => (
  <Create redirect="show">
    <SimpleForm>
      <TextInput source="title" validate={required()} fullWidth />
      <TextInput source="description" multiline fullWidth />
      <SelectInput source="language" choices={[{ id: 'en', name: 'English' }, { id: 'ru', name: 'Русский' }]} defaultValue="en" />
      <CheckboxGroupInput source="approvalGates" choices={[2, 3, 4, 5, 6].map((n) => ({ id: n, name: `${n}` }))} />
    </SimpleForm>
  </Create>
);
