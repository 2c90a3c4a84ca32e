// The courses resource, spread into <Resource name="courses"> by App.tsx; its pages load lazily.
import SchoolIcon from '@mui/icons-material/School';
import { lazyPage } from '../list/lazyPage';

export default {
  list: lazyPage(() => import('./CourseList'), 'CourseList'),
  show: lazyPage(() => import('./CourseShow'), 'CourseShow'),
  create: lazyPage(() => import('./CourseCreate'), 'CourseCreate'),
  icon: SchoolIcon,
  recordRepresentation: 'title',
};
