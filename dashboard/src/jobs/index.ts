import ViewListIcon from '@mui/icons-material/ViewList';
import { JobList } from './JobList';

export default { list: JobList, icon: ViewListIcon, recordRepresentation: 'id' };
