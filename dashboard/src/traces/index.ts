// The traces resource (model calls); its pages load lazily.
import MemoryIcon from '@mui/icons-material/Memory';
import { lazyPage } from '../list/lazyPage';

export default {
  list: lazyPage(() => import('./TraceList'), 'TraceList'),
  show: lazyPage(() => import('./TraceShow'), 'TraceShow'),
  icon: MemoryIcon,
  recordRepresentation: 'stepName',
};
