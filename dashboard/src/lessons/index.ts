// The lessons resource: reached from a course's Lessons tab (no menu entry).
import ArticleIcon from '@mui/icons-material/Article';
import { LessonShow } from './LessonShow';

export default { show: LessonShow, icon: ArticleIcon, recordRepresentation: 'title' };
