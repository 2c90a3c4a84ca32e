// Model calls: which course (by title, linked), stage and phase in words, which model and
// provider answered, tokens, cost, duration, attempt label. Searchable by course title;
// cards on a phone.
import { Chip } from '@mui/material';
import {
  Datagrid,
  DateField,
  FunctionField,
  Link,
  List,
  NumberField,
  SelectInput,
  SimpleList,
  TextField,
  TextInput,
  useLocale,
  useTranslate,
} from 'react-admin';
import { formatUsd, formatDateTime, phaseLabel, stageLabel } from '../i18n/words';
import { CappedPagination } from '../list/CappedPagination';
import { useSmall } from '../list/useSmall';

const LABELS = ['first_try', 'retry', 'fallback', 'repair', 'rerun'];
const COLORS: Record<string, 'default' | 'warning' | 'error' | 'info' | 'secondary'> = {
  first_try: 'default',
  retry: 'warning',
  fallback: 'error',
  repair: 'info',
  rerun: 'secondary',
};

const useFilters = () => {
  const translate = useTranslate();
  return [
    <TextInput key="courseTitle" source="courseTitle" label="resources.traces.fields.courseTitle" alwaysOn />,
    <SelectInput key="stage" source="stage" choices={[2, 3, 4, 5, 6].map((n) => ({ id: `stage_${n}`, name: stageLabel(n, translate) }))} />,
    <TextInput key="phase" source="phase" />,
    <TextInput key="modelUsed" source="modelUsed" />,
    <SelectInput key="label" source="label" choices={LABELS.map((id) => ({ id, name: translate(`app.words.labels.${id}`) }))} />,
    <SelectInput
      key="hasError"
      source="hasError"
      choices={[
        { id: true, name: 'ra.boolean.true' },
        { id: false, name: 'ra.boolean.false' },
      ]}
    />,
  ];
};

export const TraceList = () => {
  const locale = useLocale();
  const translate = useTranslate();
  const small = useSmall();
  const where = (r: { stage: string; phase: string; lessonTitle?: string | null }) =>
    [stageLabel(r.stage, translate), phaseLabel(r.phase, translate), r.lessonTitle].filter(Boolean).join(' · ');
  return (
    <List filters={useFilters()} sort={{ field: 'createdAt', order: 'DESC' }} perPage={50} pagination={<CappedPagination />}>
      {small ? (
        <SimpleList
          primaryText={(r) => r.courseTitle ?? r.courseId}
          secondaryText={(r) => `${where(r)} · ${r.modelUsed}`}
          tertiaryText={(r) => `${formatUsd(Number(r.costUsd ?? 0), locale)} · ${formatDateTime(r.createdAt, locale)}`}
          linkType="show"
        />
      ) : (
        <Datagrid rowClick="show" bulkActionButtons={false}>
          <DateField source="createdAt" showTime locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
          <FunctionField
            source="courseTitle"
            sortable={false}
            render={(r) => (
              <Link to={`/courses/${r.courseId}/show`} onClick={(e: React.MouseEvent) => e.stopPropagation()} data-testid="trace-course">
                {r.courseTitle ?? r.courseId}
              </Link>
            )}
          />
          <FunctionField source="stage" render={(r) => stageLabel(r.stage, translate)} />
          <FunctionField
            source="phase"
            render={(r) => (r.lessonTitle ? `${phaseLabel(r.phase, translate)} · ${r.lessonTitle}` : phaseLabel(r.phase, translate))}
          />
          <TextField source="modelUsed" />
          <TextField source="provider" />
          <FunctionField
            source="label"
            render={(r) => <Chip size="small" color={COLORS[r.label] ?? 'default'} label={translate(`app.words.labels.${r.label}`, { _: r.label })} />}
          />
          <NumberField source="tokensUsed" locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
          <FunctionField source="costUsd" render={(r) => formatUsd(Number(r.costUsd ?? 0), locale)} />
          <NumberField source="durationMs" locales={locale === 'ru' ? 'ru-RU' : 'en-US'} />
          <FunctionField
            source="hasError"
            render={(r) =>
              r.hasError ? (
                <span role="img" aria-label={translate('resources.traces.fields.hasError')}>
                  ⚠
                </span>
              ) : (
                ''
              )
            }
          />
        </Datagrid>
      )}
    </List>
  );
};
