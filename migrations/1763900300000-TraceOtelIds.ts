// Each model call's trace row names the OpenTelemetry trace and span it belongs to: the
// trace of the phase job that made the call, the span of the call itself (a child of the
// job's span). The dashboard links a trace row to the operator's tracer (Tempo, Jaeger,
// Langfuse) with them; logs carry the same trace id. Null for rows written before.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class TraceOtelIds1763900300000 implements MigrationInterface {
  name = 'TraceOtelIds1763900300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE generation_trace
      ADD COLUMN otel_trace_id text CONSTRAINT generation_trace_otel_trace_id_check CHECK (otel_trace_id ~ '^[0-9a-f]{32}$'),
      ADD COLUMN otel_span_id text CONSTRAINT generation_trace_otel_span_id_check CHECK (otel_span_id ~ '^[0-9a-f]{16}$')`);
    // "Every call of this trace": the tracer's link back, and the traces list's filter.
    await q.query(`CREATE INDEX generation_trace_otel_trace_id_idx ON generation_trace (otel_trace_id) WHERE otel_trace_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX generation_trace_otel_trace_id_idx`);
    await q.query(`ALTER TABLE generation_trace DROP COLUMN otel_span_id, DROP COLUMN otel_trace_id`);
  }
}
