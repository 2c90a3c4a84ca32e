// The lessons resource: the list of every lesson, and one lesson's page.
import ArticleIcon from '@mui/icons-material/Article';
import { LessonList } from './LessonList';
import { LessonShow } from './LessonShow';

export default { list: LessonList, show: LessonShow, icon: ArticleIcon, recordRepresentation: 'title' };
