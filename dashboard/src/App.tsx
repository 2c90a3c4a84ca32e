// The dashboard: react-admin over the Mission Control API, in English and Russian.
import { Admin, Resource } from 'react-admin';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import { i18nProvider } from './i18n';
import courses from './courses';

export const App = () => (
  <Admin title="Mission Control" authProvider={authProvider} dataProvider={dataProvider} i18nProvider={i18nProvider} requireAuth disableTelemetry>
    <Resource name="courses" {...courses} />
  </Admin>
);
