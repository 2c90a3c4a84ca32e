// Fetches one of the course's side resources (stages, status) for the course in the
// record context, again whenever the course record changes (the socket updates the
// record on every course.updated event).
import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useRecordContext } from 'react-admin';
import type { MissionControlDataProvider } from '../providers/dataProvider';
import type { Course } from '../types';

export function useCourseQuery<T>(kind: string, fetch: (dp: MissionControlDataProvider, courseId: string) => Promise<T>) {
  const record = useRecordContext<Course>();
  const dp = useDataProvider<MissionControlDataProvider>();
  const id = record ? String(record.id) : undefined;
  return useQuery({
    queryKey: ['courses', kind, id, record?.updatedAt],
    queryFn: () => fetch(dp, id!),
    enabled: id !== undefined,
    // Keep the last answer on screen while the next one loads, but only for this course.
    placeholderData: (prev, prevQuery) => (prevQuery?.queryKey[2] === id ? prev : undefined),
  });
}
