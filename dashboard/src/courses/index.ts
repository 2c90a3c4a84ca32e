// The courses resource, spread into <Resource name="courses"> by App.tsx.
import SchoolIcon from '@mui/icons-material/School';
import { CourseCreate } from './CourseCreate';
import { CourseList } from './CourseList';
import { CourseShow } from './CourseShow';

export default {
  list: CourseList,
  show: CourseShow,
  create: CourseCreate,
  icon: SchoolIcon,
  recordRepresentation: 'title',
};
