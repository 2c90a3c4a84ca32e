// Stage 5's outputs (seed 004): the course metadata with its section outline, each
// section with its lessons' technical specifications, the validation scores, the
// assembled course_structure (at least 10 lessons, FR-015) and generation_metadata in
// exactly the shape of seed 001.
import { z } from 'zod';

const title = z.string().min(3).max(200);
const text = (max = 3000) => z.string().min(2).max(max);

export const CONTENT_STYLES = [
  'academic',
  'conversational',
  'storytelling',
  'practical',
  'socratic',
  'gamified',
  'minimalist',
  'visual',
  'case_based',
  'problem_based',
  'project_based',
  'microlearning',
  'narrative',
  'technical',
  'inspirational',
  'humorous',
  'formal',
  'interactive',
  'exploratory',
  'reflective',
  'coaching',
] as const;
export type ContentStyle = (typeof CONTENT_STYLES)[number];

export const EXERCISE_TYPES = ['self_assessment', 'case_study', 'hands_on', 'discussion', 'quiz', 'simulation', 'reflection'] as const;

export const CourseMetadataSchema = z.object({
  course_title: title,
  course_description: text(),
  learning_outcomes: z.array(text(500)).min(3).max(10),
  target_audience: text(500),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  estimated_duration_hours: z.number().min(0.5).max(500),
  prerequisites: z.array(text(300)).max(10),
  sections_outline: z
    .array(z.object({ section_number: z.number().int().min(1), title, description: text() }))
    .min(4)
    .max(20),
});
export type CourseMetadata = z.infer<typeof CourseMetadataSchema>;

export const LessonSpecSchema = z.object({
  lesson_number: z.number().int().min(1),
  lesson_title: title,
  lesson_objectives: z.array(text(500)).min(1).max(8),
  key_topics: z.array(text(200)).min(1).max(12),
  estimated_duration_minutes: z.number().int().min(5).max(120),
  practical_exercises: z
    .array(
      z.object({
        exercise_type: z.enum(EXERCISE_TYPES),
        exercise_title: title,
        exercise_description: text(1000),
      }),
    )
    .max(5),
});
export type LessonSpec = z.infer<typeof LessonSpecSchema>;

export const SectionSchema = z.object({
  section_number: z.number().int().min(1),
  section_title: title,
  section_description: text(),
  learning_objectives: z.array(text(500)).min(1).max(8),
  estimated_duration_minutes: z.number().int().min(5).max(1200),
  lessons: z.array(LessonSpecSchema).min(1).max(10),
});
export type Section = z.infer<typeof SectionSchema>;

export const CourseStructureSchema = z
  .object({
    course_title: title,
    course_description: text(),
    course_overview: text(),
    target_audience: text(500),
    estimated_duration_hours: z.number().min(0.5).max(500),
    difficulty_level: z.enum(['beginner', 'intermediate', 'advanced']),
    prerequisites: z.array(text(300)).max(10),
    learning_outcomes: z.array(text(500)).min(3).max(10),
    sections: z.array(SectionSchema).min(1).max(20),
    content_style: z.enum(CONTENT_STYLES),
  })
  .refine((s) => s.sections.reduce((n, x) => n + x.lessons.length, 0) >= 10, {
    message: 'a course needs at least 10 lessons (FR-015)',
    path: ['sections'],
  });
export type CourseStructure = z.infer<typeof CourseStructureSchema>;

export const ValidationResultSchema = z.object({
  sections: z
    .array(z.object({ section_number: z.number().int().min(1), score: z.number().min(0).max(1), notes: text(1000) }))
    .min(1)
    .max(20),
  overall_notes: text(2000),
});
export type ValidationResult = z.infer<typeof ValidationResultSchema>;

export const GenerationMetadataSchema = z.object({
  model_used: z.object({ metadata: z.string(), sections: z.string(), validation: z.string().optional() }),
  total_tokens: z.object({ metadata: z.number(), sections: z.number(), validation: z.number(), total: z.number() }),
  cost_usd: z.number().min(0),
  duration_ms: z.object({ metadata: z.number(), sections: z.number(), validation: z.number(), total: z.number() }),
  quality_scores: z.object({
    metadata_similarity: z.number().min(0).max(1),
    sections_similarity: z.array(z.number().min(0).max(1)),
    overall: z.number().min(0).max(1),
  }),
  batch_count: z.number().int().min(0),
  retry_count: z.object({ metadata: z.number().int().min(0), sections: z.array(z.number().int().min(0)) }),
  created_at: z.string(),
});
export type GenerationMetadata = z.infer<typeof GenerationMetadataSchema>;

export const LessonAnswerSchema = z.object({ tsx: z.string().min(20).max(200_000) });
