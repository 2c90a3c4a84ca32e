// The course page: status, progress, the stage timeline 2 -> 6, what is happening now
// with its ETA, the buttons the role allows, then tabs: cost by stage and model, the
// flight recorder, model calls, lessons, history. Kept live by the socket.
import { Card, CardContent, Stack, Typography } from '@mui/material';
import { DateField, FunctionField, Show, SimpleShowLayout, TextField, useLocale, useRecordContext, useTranslate } from 'react-admin';
import type { Course } from '../types';
import { NotFound } from '../layout/NotFound';
import { CourseActions } from './CourseActions';
import { MoneyField } from './MoneyField';
import { ProgressField } from './ProgressField';
import { CourseTabs } from './CourseTabs';
import { StageTimeline } from './StageTimeline';
import { StatusChip } from './StatusChip';
import { StatusPanel } from './StatusPanel';
import { QualityChip } from './QualityChip';
import { StyleGuide } from './StyleGuide';

const Overview = () => {
  const record = useRecordContext<Course>();
  if (!record) return null;
  return (
    <Card variant="outlined" sx={{ m: 2 }}>
      <CardContent>
        <Stack spacing={2}>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' } }}>
            <Typography variant="h5" component="h2" sx={{ flex: 1 }}>
              {record.title}
            </Typography>
            <StatusChip />
            <QualityChip />
            <ProgressField />
          </Stack>
          <StageTimeline />
          <StatusPanel />
          <CourseActions />
        </Stack>
      </CardContent>
    </Card>
  );
};

const Details = () => {
  const translate = useTranslate();
  const locale = useLocale();
  const dates = locale === 'ru' ? 'ru-RU' : 'en-US';
  return (
    <SimpleShowLayout>
      <TextField source="description" emptyText="—" />
      <FunctionField<Course> source="language" render={(r) => (r.language ? translate(`resources.courses.languages.${r.language}`, { _: r.language }) : '—')} />
      <FunctionField<Course>
        source="approvalGates"
        render={(r) => (r.approvalGates?.length ? r.approvalGates.map((n) => `${n} · ${translate(`resources.courses.stages.${n}`)}`).join(', ') : '—')}
      />
      <MoneyField source="costUsd" />
      <DateField source="createdAt" showTime locales={dates} />
      <DateField source="updatedAt" showTime locales={dates} />
    </SimpleShowLayout>
  );
};

// A course the API does not have (or a malformed id) is a not-found page, not a
// redirect to the list with "Element does not exist".
const quiet = { onError: () => undefined, retry: false } as const;

export const CourseShow = () => (
  <Show<Course> queryOptions={quiet} error={<NotFound what="course" />}>
    <Overview />
    <CourseTabs />
    <StyleGuide />
    <Details />
  </Show>
);
