// A course and its generation state (schema: migrations/1763800001000-CreateCourses).
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface GenerationProgress {
  percentage: number;
  message: string;
  current_step: number;
  current_stage: string | null;
  steps: unknown[];
  has_documents: boolean;
  document_size: number;
  lessons_completed: number;
  lessons_total: number;
  started_at: string | null;
  estimated_completion: string | null;
  phase?: string | null;
}

@Entity('courses')
export class CourseEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'created_by', type: 'uuid', nullable: true }) createdBy!: string | null;
  @Column() title!: string;
  @Column() description!: string;
  @Column() language!: 'en' | 'ru';
  @Column({ name: 'content_style' }) contentStyle!: string;
  @Column() status!: 'idle' | 'queued' | 'generating' | 'completed' | 'failed' | 'cancelled';
  @Column({ name: 'generation_status' }) generationStatus!: string;
  @Column({ name: 'generation_progress', type: 'jsonb' }) generationProgress!: GenerationProgress;
  @Column({ type: 'int', insert: false, update: false }) percentage!: number;
  @Column({ name: 'generation_metadata', type: 'jsonb', nullable: true }) generationMetadata!: Record<string, unknown> | null;
  @Column({ name: 'course_structure', type: 'jsonb', nullable: true }) courseStructure!: Record<string, unknown> | null;
  @Column({ name: 'analysis_result', type: 'jsonb', nullable: true }) analysisResult!: Record<string, unknown> | null;
  @Column({ name: 'approval_gates', type: 'int', array: true }) approvalGates!: number[];
  @Column({ name: 'machine_snapshot', type: 'jsonb', nullable: true, select: false }) machineSnapshot!: unknown;
  @Column({ type: 'int' }) version!: number;
  @Column({ name: 'generation_run', type: 'int' }) generationRun!: number;
  @Column({ name: 'error_message', type: 'text', nullable: true }) errorMessage!: string | null;
  @Column({ name: 'error_details', type: 'jsonb', nullable: true }) errorDetails!: Record<string, unknown> | null;
  @Column({ name: 'webhook_url', type: 'text', nullable: true }) webhookUrl!: string | null;
  @Column({ name: 'generation_started_at', type: 'timestamptz', nullable: true }) generationStartedAt!: Date | null;
  @Column({ name: 'generation_completed_at', type: 'timestamptz', nullable: true }) generationCompletedAt!: Date | null;
  @Column({ name: 'last_progress_update', type: 'timestamptz', nullable: true }) lastProgressUpdate!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
