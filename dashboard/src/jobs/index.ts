// The jobs resource (the organization's queues); its page loads lazily.
import ViewListIcon from '@mui/icons-material/ViewList';
import { lazyPage } from '../list/lazyPage';

export default { list: lazyPage(() => import('./JobList'), 'JobList'), icon: ViewListIcon, recordRepresentation: 'id' };
