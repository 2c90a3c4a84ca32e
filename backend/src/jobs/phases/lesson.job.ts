// Stage 6, one job per lesson (seed 002): claim the next queued lesson with
// claim_next_lesson() (SKIP LOCKED; a job that runs again gets back the lesson it
// holds), record each attempt, and count the lesson as generated only when its TSX
// compiles. Three attempts, then the lesson is failed and so is the phase.
import { transform } from 'esbuild';
import { z } from 'zod';
import type { PhaseContext, PhaseHandler, PhaseOutcome } from '../phase.types';
import { PhaseError } from '../phase.types';
import { lessonImportProblem } from './lesson-imports';
import { baseContext, call, messages } from './prompts';

// The import rule is part of the answer's validation, so the gateway's repair levels
// (ask again with the error, then the fallback model) apply to it.
export const LessonAnswerSchema = z.object({ tsx: z.string().min(20).max(200_000) }).superRefine((a, ctx) => {
  const problem = lessonImportProblem(a.tsx);
  if (problem) ctx.addIssue({ code: 'custom', path: ['tsx'], message: problem });
});
const MAX_ATTEMPTS = 3;

export async function compileTsx(source: string): Promise<{ ok: true; js: string } | { ok: false; error: string }> {
  try {
    const out = await transform(source, { loader: 'tsx', jsx: 'automatic', format: 'esm', target: 'es2020', logLevel: 'silent' });
    return { ok: true, js: out.code };
  } catch (err) {
    const e = err as { errors?: { text: string; location?: { line: number; column: number } }[] };
    const first = e.errors?.[0];
    return { ok: false, error: first ? `${first.text} at ${first.location?.line}:${first.location?.column}` : String(err) };
  }
}

export class GenerateLessonJob implements PhaseHandler {
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    const claimer = `${ctx.course.id}-s6-lessons-${ctx.job.index}`;
    const lesson = await ctx.phases.claimNextLesson(ctx.course.id, claimer);
    if (!lesson) throw new PhaseError('no lesson left to claim', false);
    const n = await ctx.phases.lastAttemptNumber(lesson.id);
    let lastError = '';
    for (let attempt = Number(n) + 1, tries = 0; tries < MAX_ATTEMPTS && !ctx.signal.aborted; attempt++, tries++) {
      await ctx.phases.startAttempt(lesson.id, attempt);
      try {
        const res = await ctx.gateway.call({
          ...call(ctx, tries),
          stepName: `Lesson ${lesson.section_number}.${lesson.lesson_number}: ${lesson.title}`,
          task: 'lesson_content',
          lessonId: lesson.id,
          messages: messages(
            ctx,
            'Write this lesson as a single React TSX component (default export); it may import only from "react" (hooks such as useState work). Answer as {"tsx": "..."}.',
            { lesson: lesson.spec, previousError: lastError || undefined },
          ),
          context: {
            ...baseContext(ctx),
            lessonSpec: lesson.spec,
            lessonTitle: lesson.title,
            sectionNumber: lesson.section_number,
            previousError: lastError || undefined,
          },
          schema: LessonAnswerSchema,
        });
        const compiled = await compileTsx(res.value.tsx);
        if (!compiled.ok) throw new PhaseError(`TSX does not compile: ${compiled.error}`, true);
        await ctx.phases.attemptSucceeded(lesson.id, attempt);
        return {
          output: { lessonId: lesson.id, attempts: tries + 1 },
          persist: (tx) => tx.storeGeneratedLesson(lesson.id, res.value.tsx, compiled.js),
        };
      } catch (err) {
        lastError = (err as Error).message.slice(0, 500);
        await ctx.phases.attemptFailed(lesson.id, attempt, lastError);
      }
    }
    await ctx.phases.failLesson(lesson.id, lastError);
    throw new PhaseError(`lesson "${lesson.title}" failed after ${MAX_ATTEMPTS} attempts: ${lastError}`, true);
  }
}
