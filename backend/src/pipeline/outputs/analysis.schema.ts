// What stage 4's five phases answer, and the analysis_result they assemble
// (seed 004, "Stage 4 (Analyze) -> Stage 5": category, languages, recommended
// structure, pedagogy, content strategy, scope, topics, research flags).
import { z } from 'zod';

const text = (max = 2000) => z.string().min(2).max(max);

export const Phase1ClassifierSchema = z.object({
  category: text(100),
  contextual_language: text(200),
  audience: z.object({ level: z.enum(['beginner', 'intermediate', 'advanced']), description: text() }),
});

export const RecommendedStructureSchema = z.object({
  sections_count: z.number().int().min(4).max(20),
  lessons_per_section: z.number().int().min(1).max(10),
  total_lessons: z.number().int().min(10).max(200),
});

export const Phase2ScopeSchema = z.object({
  recommended_structure: RecommendedStructureSchema,
  scope_instructions: text(),
});

export const Phase3ExpertSchema = z.object({
  pedagogical_strategy: text(),
  difficulty_progression: z.array(text(300)).min(2).max(10),
});

export const Phase4SynthesisSchema = z.object({
  content_strategy: text(),
  topic_analysis: z.object({ key_topics: z.array(text(200)).min(3).max(30), complexity: z.enum(['low', 'medium', 'high']) }),
});

export const AnalysisResultSchema = Phase1ClassifierSchema.extend({
  recommended_structure: RecommendedStructureSchema,
  scope_instructions: text(),
  pedagogical_strategy: text(),
  difficulty_progression: z.array(text(300)).min(2).max(10),
  content_strategy: text(),
  topic_analysis: Phase4SynthesisSchema.shape.topic_analysis,
  research_flags: z.array(text(300)).max(10),
});
export type AnalysisResult = z.infer<typeof AnalysisResultSchema>;

export const ANALYSIS_PHASE_SCHEMAS = {
  phase_1_classifier: Phase1ClassifierSchema,
  phase_2_scope: Phase2ScopeSchema,
  phase_3_expert: Phase3ExpertSchema,
  phase_4_synthesis: Phase4SynthesisSchema,
  phase_5_assembly: AnalysisResultSchema,
} as const;

export const DocumentSummarySchema = z.object({
  summary: text(4000),
  key_points: z.array(text(500)).min(1).max(20),
});
export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;
