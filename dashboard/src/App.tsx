// Mission Control's dashboard: react-admin over the API, in English and Russian. The
// shell (sign-in, layout, menu, data and auth providers) is the first screen; every
// page is its own chunk, loaded when it is opened (the layout's Suspense shows a spinner).
import { lazy } from 'react';
import { Admin, CustomRoutes, defaultTheme, Resource } from 'react-admin';
import { Route } from 'react-router-dom';
import courses from './courses';
import jobs from './jobs';
import lessons from './lessons';
import traces from './traces';
import { i18nProvider } from './i18n';
import { Layout } from './layout/Layout';
import { authProvider } from './providers/authProvider';
import { dataProvider } from './providers/dataProvider';
import { can } from './providers/permissions';

const OverviewPage = lazy(() => import('./overview/OverviewPage').then((m) => ({ default: m.OverviewPage })));
const ApprovalsPage = lazy(() => import('./approvals/ApprovalsPage').then((m) => ({ default: m.ApprovalsPage })));
const CostsPage = lazy(() => import('./costs/CostsPage').then((m) => ({ default: m.CostsPage })));
const ReconciliationPage = lazy(() => import('./costs/ReconciliationPage').then((m) => ({ default: m.ReconciliationPage })));
const BudgetsPage = lazy(() => import('./budgets/BudgetsPage'));
const NotFound = lazy(() => import('./layout/NotFound'));
const CatchAll = () => <NotFound />;

// react-admin's default theme with blues dark enough for WCAG AA (4.5:1; MUI's default
// #1976d2 fails axe-core's color-contrast rule): white text on the app bar, primary
// buttons on the page background.
const blue = { light: '#5e92f3', main: '#1565c0', dark: '#003c8f', contrastText: '#fff' };
// MUI's warning (#ed6c02) and info (#0288d1) carry white chip labels below 4.5:1 too.
const warning = { light: '#ed6c02', main: '#a84b00', dark: '#7a3600', contrastText: '#fff' };
const info = { light: '#03a9f4', main: '#01579b', dark: '#002f6c', contrastText: '#fff' };
const theme = { ...defaultTheme, palette: { ...defaultTheme.palette, primary: blue, secondary: blue, warning, info } };

export const App = () => (
  <Admin
    title="Mission Control"
    layout={Layout}
    dashboard={OverviewPage}
    catchAll={CatchAll}
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
            <Route path="/budgets" element={<BudgetsPage />} />
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
