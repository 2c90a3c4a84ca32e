// Response schemas of stage 6's lessons.
import { z } from 'zod';
import { AnyJson, DateTime, named, Uuid } from '../openapi/common.schemas';

export const LessonSchema = named(
  'Lesson',
  z.object({
    id: Uuid,
    courseId: Uuid,
    sectionNumber: z.number().int(),
    lessonNumber: z.number().int(),
    ordinal: z.number().int(),
    title: z.string(),
    status: z.string(),
    error: z.string().nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
    attempts: z.number().int(),
  }),
);

export const LessonDetailSchema = named(
  'LessonDetail',
  LessonSchema.extend({
    spec: AnyJson.meta({ description: "the lesson's specification from the course structure" }),
    typescriptSource: z.string().nullable().meta({ description: 'the latest generated TSX' }),
    compiledJs: z.string().nullable(),
  }),
);
