// What phase jobs read and write: the claim an attempt holds on its item, the saved
// outputs a retry reuses, the inputs of each phase (documents, analysis, stage traces),
// the lessons of stage 6 (claimed with claim_next_lesson, their attempts and contents)
// and the results a phase stores with its output. Writes that must commit together
// with the saved output go through a PhaseTransaction, bound to the transaction of the
// orchestrator's PHASE_DONE (or of the fallback save).
import { Injectable } from '@nestjs/common';
import type { Queryable } from '../db';
import { holdOf, projectCourseCost } from '../budget-projection';
import type { BudgetHold, QualityVerdict } from '../../pipeline/course.types';
import { TRACE_ITEM_SQL } from '../trace-item';
import { SystemDb } from './system-db';

/** One attempt's claim on one item of a run's stage. */
export interface PhaseClaim {
  courseId: string;
  run: number;
  stage: number;
  phaseKey: string;
  token: string;
}

export interface SavedOutput {
  value: unknown;
  result: unknown;
}

export interface PhaseCourseRow {
  id: string;
  organization_id: string;
  title: string;
  description: string;
  language: 'en' | 'ru';
  content_style: string;
  rejection: { stage: number; reasons: string[]; comment: string } | null;
  /** the item's saved output, of this or an earlier run */
  saved_output: SavedOutput | null;
}

export interface DocumentSummaryRow {
  filename: string;
  summary: unknown;
}

export interface DocumentToExtract {
  id: string;
  content: string;
  mime_type: string;
  storage_path: string | null;
}

export interface DocumentToSummarize {
  id: string;
  filename: string;
  extracted_text: string | null;
}

/** A stage's traces summed per phase item (numbers as Postgres sends them: text). */
export interface StageItemTotals {
  phase: string;
  idx: string;
  model: string;
  tokens: string;
  cost: string;
  duration: string;
  attempts: string;
}

export interface ClaimedLesson {
  id: string;
  section_number: number;
  lesson_number: number;
  title: string;
  spec: unknown;
}

export interface NewLesson {
  sectionNumber: number;
  lessonNumber: number;
  title: string;
  outline: string;
  spec: unknown;
}

/** Phase writes inside one transaction (the orchestrator's, or the fallback save's). */
export class PhaseTransaction {
  constructor(private readonly db: Queryable) {}

  /** The newest starter of an item owns it. */
  async claim(c: PhaseClaim): Promise<void> {
    await this.db.query(
      `INSERT INTO phase_claims (course_id, run, stage, phase_key, token) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (course_id, run, stage, phase_key) DO UPDATE SET token = EXCLUDED.token, claimed_at = now()`,
      [c.courseId, c.run, c.stage, c.phaseKey, c.token],
    );
  }

  async holdsClaim(c: PhaseClaim): Promise<boolean> {
    const held = await this.db.query(`SELECT 1 FROM phase_claims WHERE course_id = $1 AND run = $2 AND stage = $3 AND phase_key = $4 AND token = $5`, [
      c.courseId,
      c.run,
      c.stage,
      c.phaseKey,
      c.token,
    ]);
    return held.length > 0;
  }

  /** The course's current run, under a share lock of its row (null: the course is gone). */
  async lockRunShared(courseId: string): Promise<number | null> {
    const [current] = await this.db.query<{ generation_run: number }>(`SELECT generation_run FROM courses WHERE id = $1 FOR SHARE`, [courseId]);
    return current ? current.generation_run : null;
  }

  /** Saves an item's output; false when an output of it was saved already (which stands). */
  async saveOutput(o: { courseId: string; stage: number; phaseKey: string; run: number; output: SavedOutput }): Promise<boolean> {
    const inserted = await this.db.query(
      `INSERT INTO phase_outputs (course_id, stage, phase_key, run, output) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (course_id, stage, phase_key) DO NOTHING RETURNING phase_key`,
      [o.courseId, o.stage, o.phaseKey, o.run, o.output],
    );
    return inserted.length > 0;
  }

  // Results phases store with their output.

  async setAnalysisResult(courseId: string, analysisResult: unknown): Promise<void> {
    await this.db.query(`UPDATE courses SET analysis_result = $2 WHERE id = $1`, [courseId, analysisResult]);
  }

  async setExtractedText(documentId: string, text: string, chunks: unknown[]): Promise<void> {
    await this.db.query(`UPDATE course_documents SET extracted_text = $2, chunks = $3 WHERE id = $1`, [documentId, text, JSON.stringify(chunks)]);
  }

  async setDocumentSummary(documentId: string, summary: unknown): Promise<void> {
    await this.db.query(`UPDATE course_documents SET summary = $2 WHERE id = $1`, [documentId, summary]);
  }

  async setStructure(courseId: string, structure: unknown, generationMetadata: unknown): Promise<void> {
    await this.db.query(`UPDATE courses SET course_structure = $2, generation_metadata = $3 WHERE id = $1`, [courseId, structure, generationMetadata]);
  }

  /** Stage 5's quality verdict on the course; below the threshold, one `quality_low` event per run. */
  async recordQuality(courseId: string, organizationId: string, run: number, q: QualityVerdict): Promise<void> {
    await this.db.query(`UPDATE courses SET quality_low = $2, quality_check = $3 WHERE id = $1`, [
      courseId,
      q.low,
      { ...q, checkedAt: new Date().toISOString() },
    ]);
    if (!q.low) return;
    await this.db.query(
      `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
       SELECT 'quality_low', 'warn', $1, $2, $3, $4
        WHERE NOT EXISTS (SELECT 1 FROM system_metrics WHERE metric_type = 'quality_low' AND course_id = $2 AND metadata->>'run' = $5::text)`,
      [organizationId, courseId, `quality ${q.overall} below the threshold ${q.threshold} (${q.method}${q.model ? ` ${q.model}` : ''})`, { ...q, run }, run],
    );
  }

  /** The course's lessons become these, in this order (ordinal 0, 1, …). */
  async replaceLessons(courseId: string, organizationId: string, lessons: NewLesson[]): Promise<void> {
    await this.db.query(`DELETE FROM lessons WHERE course_id = $1`, [courseId]);
    for (let i = 0; i < lessons.length; i++) {
      const l = lessons[i];
      await this.db.query(
        `INSERT INTO lessons (course_id, organization_id, section_number, lesson_number, ordinal, title, outline, spec)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [courseId, organizationId, l.sectionNumber, l.lessonNumber, i, l.title, l.outline, l.spec],
      );
    }
  }

  /** A new version of the lesson's content, and the lesson counted as generated. */
  async storeGeneratedLesson(lessonId: string, typescriptSource: string, compiledJs: string): Promise<void> {
    await this.db.query(
      `INSERT INTO lesson_contents (lesson_id, typescript_source, compiled_js, version)
       VALUES ($1, $2, $3, (SELECT coalesce(max(version), 0) + 1 FROM lesson_contents WHERE lesson_id = $1))`,
      [lessonId, typescriptSource, compiledJs],
    );
    await this.db.query(`UPDATE lessons SET status = 'generated', error = NULL, updated_at = now() WHERE id = $1`, [lessonId]);
  }
}

@Injectable()
export class PhasesSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /** Phase writes bound to a transaction the orchestrator opened (SystemApplyOptions' callbacks). */
  within(tx: Queryable): PhaseTransaction {
    return new PhaseTransaction(tx);
  }

  /** Phase writes in a transaction of their own. */
  run<T>(fn: (tx: PhaseTransaction) => Promise<T>): Promise<T> {
    return this.db.run((db) => fn(new PhaseTransaction(db)));
  }

  /** The course and the item's saved output (of this or an earlier run) in one read. */
  async courseWithSavedOutput(courseId: string, stage: number, phaseKey: string): Promise<PhaseCourseRow | null> {
    const [course] = await this.db.autocommit.query<PhaseCourseRow>(
      `SELECT c.id, c.organization_id, c.title, c.description, c.language, c.content_style,
              c.machine_snapshot->'context'->'rejection' AS rejection,
              (SELECT o.output FROM phase_outputs o WHERE o.course_id = c.id AND o.stage = $2 AND o.phase_key = $3) AS saved_output
         FROM courses c WHERE c.id = $1`,
      [courseId, stage, phaseKey],
    );
    return course ?? null;
  }

  /** The saved output's value of a finished item (null: none). */
  async savedOutput(courseId: string, stage: number, phaseKey: string): Promise<unknown> {
    const r = await this.db.autocommit.query<{ output: SavedOutput | null }>(
      `SELECT output FROM phase_outputs WHERE course_id = $1 AND stage = $2 AND phase_key = $3`,
      [courseId, stage, phaseKey],
    );
    return r[0]?.output?.value ?? null;
  }

  /** A stale_result_refused row for the course (nothing when the course is gone). */
  async recordStaleResult(courseId: string, jobId: string, message: string, metadata: Record<string, unknown>): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, job_id, message, metadata)
       SELECT 'stale_result_refused', 'warn', organization_id, id, $2, $3, $4 FROM courses WHERE id = $1`,
      [courseId, jobId, message, metadata],
    );
  }

  // Inputs of the phases.

  documentSummaries(courseId: string): Promise<DocumentSummaryRow[]> {
    return this.db.autocommit.query<DocumentSummaryRow>(
      `SELECT filename, summary FROM course_documents WHERE course_id = $1 AND summary IS NOT NULL ORDER BY ordinal`,
      [courseId],
    );
  }

  async documentToExtract(courseId: string, ordinal: number): Promise<DocumentToExtract | null> {
    const rows = await this.db.autocommit.query<DocumentToExtract>(
      `SELECT id, content, mime_type, storage_path FROM course_documents WHERE course_id = $1 AND ordinal = $2`,
      [courseId, ordinal],
    );
    return rows[0] ?? null;
  }

  async documentToSummarize(courseId: string, ordinal: number): Promise<DocumentToSummarize | null> {
    const rows = await this.db.autocommit.query<DocumentToSummarize>(
      `SELECT id, filename, extracted_text FROM course_documents WHERE course_id = $1 AND ordinal = $2`,
      [courseId, ordinal],
    );
    return rows[0] ?? null;
  }

  async analysisResult(courseId: string): Promise<unknown> {
    const rows = await this.db.autocommit.query<{ analysis_result: unknown }>(`SELECT analysis_result FROM courses WHERE id = $1`, [courseId]);
    return rows[0]?.analysis_result ?? null;
  }

  /** The database's rule of at least 10 lessons (FR-015). */
  async hasMinimumLessons(structure: unknown): Promise<boolean> {
    const [{ ok }] = await this.db.autocommit.query<{ ok: boolean }>(`SELECT validate_minimum_lessons($1::jsonb) AS ok`, [structure]);
    return ok;
  }

  /** A course's traces of one stage (e.g. 'stage_5') summed per phase item. */
  stageItemTotals(courseId: string, stage: string): Promise<StageItemTotals[]> {
    return this.db.autocommit.query<StageItemTotals>(
      `SELECT phase, ${TRACE_ITEM_SQL} AS idx, max(model_used) FILTER (WHERE error_data IS NULL) AS model,
              sum(tokens_used) AS tokens, sum(cost_usd) AS cost, sum(duration_ms) AS duration, count(*) AS attempts
         FROM generation_trace WHERE course_id = $1 AND stage = $2
        GROUP BY phase, ${TRACE_ITEM_SQL}`,
      [courseId, stage],
    );
  }

  /** The organization's quality threshold and whether a course below it waits at a review gate. */
  async qualityPolicy(organizationId: string): Promise<{ threshold: number; gate: boolean }> {
    const [row] = await this.db.autocommit.query<{ threshold: number; gate: boolean }>(
      `SELECT quality_threshold::float8 AS threshold, quality_gate AS gate FROM organizations WHERE id = $1`,
      [organizationId],
    );
    return row ?? { threshold: 0.75, gate: false };
  }

  /** The budget hold of the course when its projected cost with `lessonsToGo` more lessons passes its budget. */
  async budgetHold(courseId: string, lessonsToGo: number): Promise<BudgetHold | null> {
    return holdOf(await projectCourseCost(this.db.autocommit, courseId, lessonsToGo));
  }

  // Stage 6's lessons.

  /** The next queued lesson for this claimer (SKIP LOCKED; a claimer that asks again gets back the lesson it holds). */
  async claimNextLesson(courseId: string, claimer: string): Promise<ClaimedLesson | null> {
    const [lesson] = await this.db.autocommit.query<ClaimedLesson>(`SELECT * FROM claim_next_lesson($1, $2)`, [courseId, claimer]);
    return lesson ?? null;
  }

  async lastAttemptNumber(lessonId: string): Promise<number> {
    const [{ n }] = await this.db.autocommit.query<{ n: number | string }>(
      `SELECT coalesce(max(attempt_number), 0) AS n FROM generation_attempts WHERE lesson_id = $1`,
      [lessonId],
    );
    return Number(n);
  }

  async startAttempt(lessonId: string, attempt: number): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO generation_attempts (lesson_id, attempt_number, status) VALUES ($1, $2, 'in_progress') ON CONFLICT DO NOTHING`,
      [lessonId, attempt],
    );
  }

  async attemptSucceeded(lessonId: string, attempt: number): Promise<void> {
    await this.db.autocommit.query(`UPDATE generation_attempts SET status = 'success', finished_at = now() WHERE lesson_id = $1 AND attempt_number = $2`, [
      lessonId,
      attempt,
    ]);
  }

  async attemptFailed(lessonId: string, attempt: number, error: string): Promise<void> {
    await this.db.autocommit.query(
      `UPDATE generation_attempts SET status = 'failed', finished_at = now(), error = $3 WHERE lesson_id = $1 AND attempt_number = $2`,
      [lessonId, attempt, error],
    );
  }

  async failLesson(lessonId: string, error: string): Promise<void> {
    await this.db.autocommit.query(`UPDATE lessons SET status = 'failed', error = $2, updated_at = now() WHERE id = $1`, [lessonId, error]);
  }
}
