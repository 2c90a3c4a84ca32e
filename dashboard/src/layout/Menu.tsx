// The side menu: the resources the role may see, plus the costs page (not reviewers).
import PaidIcon from '@mui/icons-material/Paid';
import { Menu as RaMenu, usePermissions, useTranslate } from 'react-admin';

export const Menu = () => {
  const { permissions } = usePermissions();
  const translate = useTranslate();
  return (
    <RaMenu>
      <RaMenu.ResourceItems />
      {permissions && permissions !== 'reviewer' && <RaMenu.Item to="/costs" primaryText={translate('app.costs.title')} leftIcon={<PaidIcon />} />}
    </RaMenu>
  );
};
