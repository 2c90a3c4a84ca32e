// Prompt text shared by the phase handlers. Reviewer rejection reasons are woven into
// the prompts of a rerun stage, so the model sees why the last attempt was refused.
import type { PhaseContext } from '../phase.types';
import { stylePrompt } from '../../pipeline/content-styles';

/** What each rejection reason (RejectSchema's codes) asks of the next attempt. */
export const REASON_GUIDANCE: Record<string, string> = {
  too_shallow: 'go deeper: more lessons per section, higher-order objectives (analyse, evaluate, design), advanced subtopics and edge cases',
  wrong_audience: 'rewrite for the audience the reviewer names (or the other end of the range than before): wording, examples, prerequisites and difficulty',
  off_topic: 'keep strictly to the course subject and the topics its title, description and documents name; drop generic material',
  factual_errors: 'tie every claim to a source (the course documents or official documentation) and flag what must be verified',
  poor_structure: 'order the material as a progression from foundations to advanced, each part building on the one before',
  other: "follow the reviewer's comment",
};

/**
 * The whole input, never cut: a prompt too long for the primary model goes to the
 * large-context one, and one too long for every model is refused by the gateway.
 */
export function messages(ctx: PhaseContext, instruction: string, input: Record<string, unknown>, opts: { style?: boolean } = {}) {
  const lang = ctx.course.language === 'ru' ? 'Russian' : 'English';
  const reasons = ctx.course.rejection?.reasons ?? [];
  const rejection =
    ctx.rerun && ctx.course.rejection
      ? `\nA reviewer rejected the previous attempt. Reasons: ${reasons.join(', ') || 'none given'}. Comment: ${ctx.course.rejection.comment || '-'}. Address them:${reasons.map((r) => `\n- ${r}: ${REASON_GUIDANCE[r] ?? REASON_GUIDANCE.other}`).join('')}`
      : '';
  const style = opts.style === false ? '' : `\n\n${stylePrompt(ctx.course.content_style)}`;
  return [
    { role: 'system' as const, content: `You are a course designer. Write in ${lang}. Answer with one JSON object only.${style}${rejection}` },
    { role: 'user' as const, content: `${instruction}\n\nCourse: ${ctx.course.title}\n${ctx.course.description}\n\nInput:\n${JSON.stringify(input)}` },
  ];
}

export function baseContext(ctx: PhaseContext): Record<string, unknown> {
  return {
    courseTitle: ctx.course.title,
    description: ctx.course.description,
    language: ctx.course.language,
    style: ctx.course.content_style,
    phase: ctx.job.phase,
    ...(ctx.rerun && ctx.course.rejection ? { rejectionReasons: ctx.course.rejection.reasons, rejectionComment: ctx.course.rejection.comment } : {}),
  };
}

export function call(ctx: PhaseContext, seq = 0) {
  return {
    courseId: ctx.course.id,
    organizationId: ctx.course.organization_id,
    run: ctx.job.run,
    stage: ctx.job.stage,
    phase: ctx.job.phase,
    index: ctx.job.index,
    seq,
    rerun: ctx.rerun,
    signal: ctx.signal,
    onProgress: ctx.progress,
  };
}
