// The bench's baseline for the dashboard's first screen: the smallest react-admin app
// people start from — one List page over ra-data-simple-rest, no auth, no i18n.
import { createRoot } from 'react-dom/client';
import { Admin, Datagrid, List, Resource, TextField } from 'react-admin';
import simpleRestProvider from 'ra-data-simple-rest';

const CourseList = () => (
  <List>
    <Datagrid>
      <TextField source="id" />
      <TextField source="title" />
    </Datagrid>
  </List>
);

createRoot(document.getElementById('root')).render(
  <Admin dataProvider={simpleRestProvider('/api')}>
    <Resource name="courses" list={CourseList} />
  </Admin>,
);
