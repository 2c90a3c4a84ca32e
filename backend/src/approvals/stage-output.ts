// What a stage produced, as a reviewer reads it at its gate: the document summaries
// (stages 2 and 3), the analysis (4), the course structure (5), the lessons (6).
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

export async function readStageOutput(q: Queryable, courseId: string, stage: number): Promise<unknown> {
  switch (stage) {
    case 4:
      return (await q.query(`SELECT analysis_result AS o FROM courses WHERE id = $1`, [courseId]))[0]?.o ?? null;
    case 5:
      return (await q.query(`SELECT course_structure AS o FROM courses WHERE id = $1`, [courseId]))[0]?.o ?? null;
    case 6:
      return (await q.query(`SELECT ordinal, title, status FROM lessons WHERE course_id = $1 ORDER BY ordinal`, [courseId]));
    default:
      return q.query(
        `SELECT filename, jsonb_array_length(coalesce(chunks, '[]'::jsonb)) AS chunks, summary
           FROM course_documents WHERE course_id = $1 ORDER BY ordinal`,
        [courseId],
      );
  }
}

/** Keeps the output a reviewer rejected, before a rerun overwrites it. */
export async function keepRejectedOutput(q: Queryable, courseId: string, stage: number, userId: string, reasons: string[], comment: string): Promise<void> {
  const output = await readStageOutput(q, courseId, stage);
  await q.query(
    `INSERT INTO stage_output_attempts (course_id, organization_id, stage, run, output, rejected_by, reasons, comment)
     SELECT id, organization_id, $2, generation_run, $3::jsonb, $4, $5, $6 FROM courses WHERE id = $1`,
    [courseId, stage, JSON.stringify(output), userId, reasons, comment],
  );
}
