// Mission Control's dashboard: react-admin over the API, in English and Russian.
import { Admin, CustomRoutes, defaultTheme, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { ApprovalsPage } from './approvals/ApprovalsPage';
import { CostsPage } from './costs/CostsPage';
import courses from './courses';
import jobs from './jobs';
import lessons from './lessons';
import traces from './traces';
import { i18nProvider } from './i18n';
import { Layout } from './layout/Layout';
import { OverviewPage } from './overview/OverviewPage';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import { can } from './providers/permissions';

// MUI's default primary (#1976d2) is below WCAG AA contrast on react-admin's grey
// backgrounds (axe-core's color-contrast rule, e2e/tests/jobs.test.mjs): a darker blue.
const theme = { ...defaultTheme, palette: { ...defaultTheme.palette, primary: { main: '#1565c0' } } };

export const App = () => (
  <Admin
    title="Mission Control"
    layout={Layout}
    theme={theme}
    dashboard={OverviewPage}
    authProvider={authProvider}
    dataProvider={dataProvider}
    i18nProvider={i18nProvider}
    requireAuth
    disableTelemetry
  >
    <Resource name="courses" {...courses} />
    <Resource name="lessons" {...lessons} />
    {(permissions: unknown) => (
      <>
        {can(permissions, 'traces.readBodies') && <Resource name="traces" {...traces} />}
        {can(permissions, 'jobs.read') && <Resource name="jobs" {...jobs} />}
        {can(permissions, 'reports.costs') && (
          <CustomRoutes>
            <Route path="/costs" element={<CostsPage />} />
          </CustomRoutes>
        )}
        {can(permissions, 'approvals.read') && (
          <CustomRoutes>
            <Route path="/approvals" element={<ApprovalsPage />} />
          </CustomRoutes>
        )}
      </>
    )}
  </Admin>
);
