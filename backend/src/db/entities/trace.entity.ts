// One model call (schema: migrations/1763800002000-CreateGenerationTrace).
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

const numeric = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity('generation_trace')
export class GenerationTraceEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'lesson_id', type: 'uuid', nullable: true }) lessonId!: string | null;
  @Column({ type: 'int' }) run!: number;
  @Column() stage!: string;
  @Column() phase!: string;
  @Column({ name: 'step_name' }) stepName!: string;
  @Column({ name: 'model_used' }) modelUsed!: string;
  @Column() provider!: string;
  @Column({ name: 'tokens_used', type: 'int' }) tokensUsed!: number;
  @Column({ name: 'input_tokens', type: 'int' }) inputTokens!: number;
  @Column({ name: 'output_tokens', type: 'int' }) outputTokens!: number;
  @Column({ name: 'cost_usd', type: 'numeric', transformer: numeric }) costUsd!: number;
  @Column({ name: 'duration_ms', type: 'int' }) durationMs!: number;
  @Column({ type: 'int' }) attempt!: number;
  @Column() label!: string;
  @Column({ name: 'input_data', type: 'jsonb', nullable: true }) inputData!: unknown;
  @Column({ name: 'output_data', type: 'jsonb', nullable: true }) outputData!: unknown;
  @Column({ name: 'error_data', type: 'jsonb', nullable: true }) errorData!: unknown;
  @Column({ name: 'idempotency_key' }) idempotencyKey!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

export { numeric };
