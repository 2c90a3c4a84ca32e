// The side menu: the overview, the resources the role may see, the approvals inbox
// (admins, reviewers), the costs page (not reviewers) and Bull Board (admins, ops).
import FactCheckIcon from '@mui/icons-material/FactCheck';
import PaidIcon from '@mui/icons-material/Paid';
import { Menu as RaMenu, usePermissions, useTranslate } from 'react-admin';
import { QueuesMenuItem } from './QueuesMenuItem';

export const Menu = () => {
  const { permissions } = usePermissions();
  const translate = useTranslate();
  return (
    <RaMenu>
      <RaMenu.DashboardItem primaryText={translate('app.overview.title')} />
      <RaMenu.ResourceItems />
      {(permissions === 'admin' || permissions === 'reviewer' || permissions === 'finance') && <RaMenu.Item to="/approvals" primaryText={translate('app.approvals.title')} leftIcon={<FactCheckIcon />} />}
      {permissions && permissions !== 'reviewer' && <RaMenu.Item to="/costs" primaryText={translate('app.costs.title')} leftIcon={<PaidIcon />} />}
      {(permissions === 'admin' || permissions === 'ops') && <QueuesMenuItem />}
    </RaMenu>
  );
};
