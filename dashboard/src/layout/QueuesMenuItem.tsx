// The Queues menu entry (admins, ops): asks the API for a board session — an httpOnly
// cookie scoped to /api/queues-board — then opens Bull Board in a new tab.
import ViewListIcon from '@mui/icons-material/ViewList';
import { ListItemIcon, MenuItem } from '@mui/material';
import { useNotify, useTranslate } from 'react-admin';
import { i18nProvider } from '../i18n';
import { createHttpClient } from '../providers/dataProvider';
import { errorMessage } from '../providers/errors';

const http = createHttpClient(() => i18nProvider.getLocale());

export const QueuesMenuItem = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const open = async () => {
    // Opened before the await so the browser does not treat it as an unsolicited pop-up.
    const tab = window.open('about:blank', '_blank');
    try {
      const { json } = await http('/api/queues-board-session', { method: 'POST', body: '{}', headers: { 'Content-Type': 'application/json' } });
      if (tab) tab.location.href = (json as { url: string }).url;
    } catch (err) {
      tab?.close();
      notify(errorMessage(err), { type: 'error' });
    }
  };
  return (
    <MenuItem onClick={open} data-testid="menu-queues">
      <ListItemIcon>
        <ViewListIcon fontSize="small" />
      </ListItemIcon>
      {translate('app.queues.title')}
    </MenuItem>
  );
};
