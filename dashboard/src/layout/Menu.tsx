// The side menu: the overview, the resources the user may see, and the approvals inbox,
// the costs and invoice reconciliation pages and Bull Board (operators only) when `GET /api/me` allows them.
import FactCheckIcon from '@mui/icons-material/FactCheck';
import PaidIcon from '@mui/icons-material/Paid';
import ReceiptLongIcon from '@mui/icons-material/ReceiptLong';
import SavingsIcon from '@mui/icons-material/Savings';
import { Menu as RaMenu, usePermissions, useTranslate } from 'react-admin';
import { can } from '../providers/permissions';
import { QueuesMenuItem } from './QueuesMenuItem';

export const Menu = () => {
  const { permissions } = usePermissions();
  const translate = useTranslate();
  return (
    <RaMenu>
      <RaMenu.DashboardItem primaryText={translate('app.overview.title')} />
      <RaMenu.ResourceItems />
      {can(permissions, 'approvals.read') && <RaMenu.Item to="/approvals" primaryText={translate('app.approvals.title')} leftIcon={<FactCheckIcon />} />}
      {can(permissions, 'reports.costs') && <RaMenu.Item to="/costs" primaryText={translate('app.costs.title')} leftIcon={<PaidIcon />} />}
      {can(permissions, 'costs.reconcile') && (
        <RaMenu.Item to="/costs/reconciliation" primaryText={translate('app.reconciliation.title')} leftIcon={<ReceiptLongIcon />} />
      )}
      {can(permissions, 'reports.costs') && <RaMenu.Item to="/budgets" primaryText={translate('app.budgets.title')} leftIcon={<SavingsIcon />} />}
      {can(permissions, 'queues.board') && <QueuesMenuItem />}
    </RaMenu>
  );
};
