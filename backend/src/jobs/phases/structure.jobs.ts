// Stage 5 (seed 004): metadata, then one job per section (SECTIONS_PER_BATCH = 1, two
// at a time), then validation, then saving the course structure and its
// generation_metadata (seed 001 shape) and creating the lessons of stage 6.
import { z } from 'zod';
import {
  CourseMetadataSchema,
  CourseStructureSchema,
  SectionSchema,
  ValidationResultSchema,
  type CourseMetadata,
  type Section,
  type ValidationResult,
} from '../../pipeline/outputs';
import type { PhaseContext, PhaseHandler, PhaseOutcome } from '../phase.types';
import { PhaseError } from '../phase.types';
import { baseContext, call, messages } from './prompts';
import { buildGenerationMetadata } from './generation-metadata';
import type { QualityVerdict } from '../../pipeline/course.types';

async function analysis(ctx: PhaseContext): Promise<unknown> {
  return ctx.phases.analysisResult(ctx.course.id);
}

async function metadataOf(ctx: PhaseContext): Promise<CourseMetadata> {
  const m = await ctx.savedOutput<CourseMetadata>(5, 'metadata-0');
  if (!m) throw new PhaseError('stage 5 metadata is missing', true);
  return m;
}

export class StructureMetadataJob implements PhaseHandler {
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    const analysisResult = await analysis(ctx);
    const res = await ctx.gateway.call({
      ...call(ctx),
      stepName: 'Generate course metadata',
      task: 'structure_metadata',
      messages: messages(ctx, 'Design the course metadata and the outline of its sections.', { analysis: analysisResult }),
      context: { ...baseContext(ctx), analysis: analysisResult },
      schema: CourseMetadataSchema,
    });
    return { output: res.value, result: { sectionsTotal: res.value.sections_outline.length } };
  }
}

export class StructureSectionJob implements PhaseHandler {
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    const metadata = await metadataOf(ctx);
    const outline = metadata.sections_outline[ctx.job.index];
    if (!outline) throw new PhaseError(`section #${ctx.job.index} is not in the outline`, false);
    const res = await ctx.gateway.call({
      ...call(ctx),
      stepName: `Generate section ${outline.section_number}: ${outline.title}`,
      task: 'structure_section',
      messages: messages(ctx, 'Write this section with its lessons.', {
        section: outline,
        course: { title: metadata.course_title, outcomes: metadata.learning_outcomes },
      }),
      context: { ...baseContext(ctx), sectionNumber: outline.section_number, sectionOutline: outline, metadata },
      schema: SectionSchema,
    });
    return { output: res.value };
  }
}

async function sectionsOf(ctx: PhaseContext, metadata: CourseMetadata): Promise<Section[]> {
  const sections: Section[] = [];
  for (let i = 0; i < metadata.sections_outline.length; i++) {
    const s = await ctx.savedOutput<Section>(5, `sections-${i}`);
    if (!s) throw new PhaseError(`section #${i} output is missing`, true);
    sections.push(s);
  }
  return sections;
}

export class StructureValidationJob implements PhaseHandler {
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    const metadata = await metadataOf(ctx);
    const sections = await sectionsOf(ctx, metadata);
    const res = await ctx.gateway.call({
      ...call(ctx),
      stepName: 'Validate course structure quality',
      task: 'structure_validation',
      messages: messages(ctx, 'Rate how well each section serves the course outcomes.', {
        outcomes: metadata.learning_outcomes,
        sections: sections.map((s) => ({ n: s.section_number, title: s.section_title, objectives: s.learning_objectives })),
      }),
      context: { ...baseContext(ctx), sectionsCount: sections.length, sections, metadata },
      schema: ValidationResultSchema,
    });
    return { output: { ...res.value, quality: await qualityScores(ctx, await analysis(ctx), metadata, sections) } };
  }
}

/**
 * Stage 5's quality scores (seed 001 quality_scores): how close the metadata and each
 * section stay to the analysis they were built from — semantic similarity through the
 * provider's embeddings endpoint when it has one, else lexical similarity (see
 * quality/lexical-similarity.ts); overall weighs the sections 0.7 and the metadata 0.3.
 */
export async function qualityScores(ctx: PhaseContext, analysisResult: unknown, metadata: CourseMetadata, sections: Section[]): Promise<QualityScores> {
  const a = (analysisResult ?? {}) as Record<string, any>;
  const reference = [
    metadata.course_title,
    ...(metadata.learning_outcomes ?? []),
    ...(a.topic_analysis?.key_topics ?? []),
    a.content_strategy ?? '',
    a.scope_instructions ?? '',
  ].join(' ');
  const metaText = [metadata.course_title, metadata.course_description, ...metadata.learning_outcomes, ...metadata.sections_outline.map((o) => o.title)].join(
    ' ',
  );
  const analysisText = [
    a.contextual_language ?? '',
    ...(a.topic_analysis?.key_topics ?? []),
    a.content_strategy ?? '',
    a.pedagogical_strategy ?? '',
    metadata.course_title,
  ].join(' ');
  const meta = await ctx.gateway.similarity({ ...call(ctx, 1), stepName: 'Quality: metadata similarity' }, analysisText, [metaText]);
  const secs = await ctx.gateway.similarity(
    { ...call(ctx, 2), stepName: 'Quality: sections similarity' },
    reference,
    sections.map((s) =>
      [
        s.section_title,
        s.section_description,
        ...s.learning_objectives,
        ...s.lessons.flatMap((l) => [l.lesson_title, ...l.key_topics, ...l.lesson_objectives]),
      ].join(' '),
    ),
  );
  const metadataSimilarity = meta.scores[0] ?? 0;
  const sectionsSimilarity = secs.scores;
  const meanSections = sectionsSimilarity.length ? sectionsSimilarity.reduce((x, y) => x + y, 0) / sectionsSimilarity.length : 0;
  return {
    method: secs.method,
    ...(secs.model ? { model: secs.model } : {}),
    metadata_similarity: metadataSimilarity,
    sections_similarity: sectionsSimilarity,
    overall: Math.round((0.3 * metadataSimilarity + 0.7 * meanSections) * 1000) / 1000,
  };
}

export interface QualityScores {
  /** how the similarity was measured: an embeddings model (named) or the lexical fallback */
  method: 'lexical' | 'embedding';
  model?: string;
  metadata_similarity: number;
  sections_similarity: number[];
  overall: number;
}

/**
 * The organization's verdict on stage 5's quality score (seed 004 NR-003): below its
 * threshold (default 0.75) the course is flagged `quality_low` with a `quality_low` event,
 * and, when the organization asks for it (`quality_gate`), waits at a review gate.
 */
async function qualityVerdict(ctx: PhaseContext, q: QualityScores | null): Promise<QualityVerdict | null> {
  if (!q) return null;
  const policy = await ctx.phases.qualityPolicy(ctx.course.organization_id);
  const low = q.overall < policy.threshold;
  return { overall: q.overall, threshold: policy.threshold, method: q.method, ...(q.model ? { model: q.model } : {}), low, gate: low && policy.gate };
}

const LessonRow = z.object({ section: z.number(), lesson: z.number(), title: z.string() });

export class StructureSavingJob implements PhaseHandler {
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    const metadata = await metadataOf(ctx);
    const sections = await sectionsOf(ctx, metadata);
    const validation = await ctx.savedOutput<ValidationResult & { quality?: QualityScores }>(5, 'validation-0');
    const structure = CourseStructureSchema.safeParse({
      course_title: metadata.course_title,
      course_description: metadata.course_description,
      course_overview: metadata.course_description,
      target_audience: metadata.target_audience,
      estimated_duration_hours: metadata.estimated_duration_hours,
      difficulty_level: metadata.difficulty,
      prerequisites: metadata.prerequisites,
      learning_outcomes: metadata.learning_outcomes,
      sections,
      content_style: ctx.course.content_style,
    });
    if (!structure.success)
      throw new PhaseError(`course structure is invalid: ${structure.error.issues[0]?.path.join('.')}: ${structure.error.issues[0]?.message}`, true);
    if (!(await ctx.phases.hasMinimumLessons(structure.data))) throw new PhaseError('course structure has fewer than 10 lessons (FR-015)', true);
    const generationMetadata = await buildGenerationMetadata(ctx, validation, sections.length);
    const quality = await qualityVerdict(ctx, validation?.quality ?? null);
    const lessons = sections.flatMap((s) => s.lessons.map((l) => ({ section: s, lesson: l })));
    LessonRow.array().parse(lessons.map((x) => ({ section: x.section.section_number, lesson: x.lesson.lesson_number, title: x.lesson.lesson_title })));
    // Before stage 6 spends the most: would the rest of the course pass its budget?
    const hold = await ctx.phases.budgetHold(ctx.course.id, lessons.length);
    return {
      output: { lessons: lessons.length, sections: sections.length, ...(hold ? { budgetHold: hold } : {}), ...(quality ? { quality } : {}) },
      result: { lessonsTotal: lessons.length, ...(hold ? { budgetHold: hold } : {}), ...(quality ? { quality } : {}) },
      persist: async (tx) => {
        await tx.setStructure(ctx.course.id, structure.data, generationMetadata);
        if (quality) await tx.recordQuality(ctx.course.id, ctx.course.organization_id, ctx.job.run, quality);
        await tx.replaceLessons(
          ctx.course.id,
          ctx.course.organization_id,
          lessons.map(({ section, lesson }) => ({
            sectionNumber: section.section_number,
            lessonNumber: lesson.lesson_number,
            title: lesson.lesson_title,
            outline: [...lesson.lesson_objectives, ...lesson.key_topics].join('\n'),
            spec: lesson,
          })),
        );
      },
    };
  }
}
