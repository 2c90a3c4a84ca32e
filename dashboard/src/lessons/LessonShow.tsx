// One lesson: its place in the course, status and attempts, the TSX source highlighted
// and, for those who review it, the compiled lesson running on real React in a sandboxed
// iframe (scripts only, opaque origin: it cannot reach the dashboard's origin; the
// frame's React is loaded with this page, not the first screen).
import { Box, Typography } from '@mui/material';
import { lazy, Suspense, useEffect, useState } from 'react';
import { FunctionField, NumberField, ReferenceField, Show, SimpleShowLayout, TextField, useRecordContext, useTranslate } from 'react-admin';
import { lessonSrcdoc, type LessonRuntime } from './sandbox';

/** The frame's React bundle, fetched with the first lesson preview. */
function useLessonRuntime(): LessonRuntime | null {
  const [runtime, setRuntime] = useState<LessonRuntime | null>(null);
  useEffect(() => {
    let live = true;
    void import('virtual:lesson-runtime').then((m) => {
      if (live) setRuntime({ code: m.code, reactExports: m.reactExports });
    });
    return () => {
      live = false;
    };
  }, []);
  return runtime;
}

const LessonSource = lazy(() => import('./LessonSource'));

const Source = () => {
  const record = useRecordContext<{ typescriptSource?: string | null }>();
  const translate = useTranslate();
  if (!record?.typescriptSource) return <Typography color="text.secondary">{translate('resources.lessons.noSource')}</Typography>;
  return (
    <Suspense fallback={<Box sx={{ height: 200 }} />}>
      <LessonSource source={record.typescriptSource} />
    </Suspense>
  );
};

const Preview = () => {
  const record = useRecordContext<{ compiledJs?: string | null; title?: string }>();
  const runtime = useLessonRuntime();
  if (!record?.compiledJs || !runtime) return null;
  return (
    <Box
      component="iframe"
      title={record.title ?? 'lesson'}
      sandbox="allow-scripts"
      srcDoc={lessonSrcdoc(record.compiledJs, runtime)}
      data-testid="lesson-preview"
      sx={{ width: '100%', height: 480, border: 1, borderColor: 'divider', borderRadius: 1, bgcolor: 'background.paper' }}
    />
  );
};

/** The page title is the lesson's own title ("Lesson 1.1"), not "Lesson Lesson 1.1". */
const LessonTitle = () => {
  const record = useRecordContext<{ title?: string }>();
  return <span>{record?.title ?? ''}</span>;
};

const Status = () => {
  const translate = useTranslate();
  return <FunctionField source="status" render={(r) => translate(`resources.lessons.statuses.${r.status}`, { _: r.status })} />;
};

export const LessonShow = () => (
  <Show title={<LessonTitle />}>
    <SimpleShowLayout>
      <TextField source="title" />
      <ReferenceField source="courseId" reference="courses" link="show" />
      <FunctionField source="ordinal" render={(r) => r.ordinal + 1} />
      <Status />
      <NumberField source="attempts" />
      <TextField source="error" emptyText="—" />
      <Source />
      <Preview />
    </SimpleShowLayout>
  </Show>
);
