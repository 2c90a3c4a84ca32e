import MemoryIcon from '@mui/icons-material/Memory';
import { TraceList } from './TraceList';
import { TraceShow } from './TraceShow';

export default { list: TraceList, show: TraceShow, icon: MemoryIcon, recordRepresentation: 'stepName' };
