// Prompt text shared by the phase handlers. Reviewer rejection reasons are woven into
// the prompts of a rerun stage, so the model sees why the last attempt was refused.
import type { PhaseContext } from '../phase.types';

/**
 * The whole input, never cut: a prompt too long for the primary model goes to the
 * large-context one, and one too long for every model is refused by the gateway.
 */
export function messages(ctx: PhaseContext, instruction: string, input: Record<string, unknown>) {
  const lang = ctx.course.language === 'ru' ? 'Russian' : 'English';
  const rejection = ctx.rerun && ctx.course.rejection
    ? `\nA reviewer rejected the previous attempt. Reasons: ${ctx.course.rejection.reasons.join(', ') || 'none given'}. Comment: ${ctx.course.rejection.comment || '-'}. Address them.`
    : '';
  return [
    { role: 'system' as const, content: `You are a course designer. Write in ${lang}, style "${ctx.course.content_style}". Answer with one JSON object only.${rejection}` },
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
    ...(ctx.rerun && ctx.course.rejection ? { rejectionReasons: ctx.course.rejection.reasons } : {}),
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
