// The lessons resource: the list of every lesson, and one lesson's page (both lazy).
import ArticleIcon from '@mui/icons-material/Article';
import { lazyPage } from '../list/lazyPage';

export default {
  list: lazyPage(() => import('./LessonList'), 'LessonList'),
  show: lazyPage(() => import('./LessonShow'), 'LessonShow'),
  icon: ArticleIcon,
  recordRepresentation: 'title',
};
