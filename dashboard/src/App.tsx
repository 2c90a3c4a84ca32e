// Mission Control's dashboard: react-admin over the API, in English and Russian.
import { Admin, CustomRoutes, defaultTheme, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import { ApprovalsPage } from './approvals/ApprovalsPage';
import { CostsPage } from './costs/CostsPage';
import { ReconciliationPage } from './costs/ReconciliationPage';
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

// react-admin's default theme with blues dark enough for WCAG AA (4.5:1; MUI's default
// #1976d2 fails axe-core's color-contrast rule): white text on the app bar, primary
// buttons on the page background.
const blue = { light: '#5e92f3', main: '#1565c0', dark: '#003c8f', contrastText: '#fff' };
// The same for amber (a course waiting at a gate, an escalation): MUI's #ed6c02 is 3:1 on white.
const amber = { light: '#ffb74d', main: '#b45309', dark: '#8a3c00', contrastText: '#fff' };
const theme = { ...defaultTheme, palette: { ...defaultTheme.palette, primary: blue, secondary: blue, warning: amber } };

export const App = () => (
  <Admin
    title="Mission Control"
    layout={Layout}
    dashboard={OverviewPage}
    authProvider={authProvider}
    dataProvider={dataProvider}
    i18nProvider={i18nProvider}
    theme={theme}
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
        {can(permissions, 'costs.reconcile') && (
          <CustomRoutes>
            <Route path="/costs/reconciliation" element={<ReconciliationPage />} />
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
