// Builds courses.generation_metadata in exactly the shape of seed 001 from the traces
// of stage 5 (tokens, cost, durations and retries per phase) and the validation scores.
import { GenerationMetadataSchema, type GenerationMetadata, type ValidationResult } from '../../pipeline/outputs';
import type { PhaseContext } from '../phase.types';
import type { QualityScores } from './structure.jobs';
import type { StageItemTotals } from '../../repositories/system/phases.system-repository';

type Row = StageItemTotals;

export async function buildGenerationMetadata(
  ctx: PhaseContext,
  validation: (ValidationResult & { quality?: QualityScores }) | null,
  sectionsCount: number,
): Promise<GenerationMetadata> {
  const rows = await ctx.phases.stageItemTotals(ctx.course.id, 'stage_5');
  const of = (phase: string) => rows.filter((r) => r.phase === phase);
  const sum = (rs: Row[], k: 'tokens' | 'cost' | 'duration') => rs.reduce((s, r) => s + Number(r[k] ?? 0), 0);
  const sectionRows = of('sections');
  const q = validation?.quality;
  const scores = q ? q.sections_similarity : validation ? extractScores(validation, sectionsCount) : new Array(sectionsCount).fill(0);
  const overall = q ? q.overall : scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0;
  const meta = {
    model_used: {
      metadata: of('metadata')[0]?.model ?? 'unknown',
      sections: sectionRows[0]?.model ?? 'unknown',
      validation: of('validation')[0]?.model ?? undefined,
    },
    total_tokens: {
      metadata: sum(of('metadata'), 'tokens'),
      sections: sum(sectionRows, 'tokens'),
      validation: sum(of('validation'), 'tokens'),
      total: sum(rows, 'tokens'),
    },
    cost_usd: Number(sum(rows, 'cost').toFixed(8)),
    duration_ms: {
      metadata: sum(of('metadata'), 'duration'),
      sections: sum(sectionRows, 'duration'),
      validation: sum(of('validation'), 'duration'),
      total: sum(rows, 'duration'),
    },
    quality_scores: { metadata_similarity: q ? q.metadata_similarity : overall, sections_similarity: scores, overall },
    batch_count: sectionsCount,
    retry_count: {
      metadata: Math.max(0, Number(of('metadata')[0]?.attempts ?? 1) - 1),
      sections: Array.from({ length: sectionsCount }, (_, i) => {
        const r = sectionRows.find((x) => x.idx.endsWith(`-sections-${i}`));
        return Math.max(0, Number(r?.attempts ?? 1) - 1);
      }),
    },
    created_at: new Date().toISOString(),
  };
  return GenerationMetadataSchema.parse(meta);
}

function extractScores(validation: ValidationResult, n: number): number[] {
  const v = validation as unknown as { sections?: { score?: number; quality_score?: number }[] };
  const list = Array.isArray(v.sections) ? v.sections.map((s) => Number(s.score ?? s.quality_score ?? 0)) : [];
  return Array.from({ length: n }, (_, i) => Math.min(1, Math.max(0, list[i] ?? 0)));
}
