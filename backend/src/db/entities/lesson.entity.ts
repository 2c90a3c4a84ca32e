// Stage 6 lessons and their generated TSX (schema: migrations/1763800004000-CreateLessons).
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('lessons')
export class LessonEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'section_number', type: 'int' }) sectionNumber!: number;
  @Column({ name: 'lesson_number', type: 'int' }) lessonNumber!: number;
  @Column({ type: 'int' }) ordinal!: number;
  @Column() title!: string;
  @Column() outline!: string;
  @Column({ type: 'jsonb' }) spec!: Record<string, unknown>;
  @Column() status!: 'queued' | 'generating' | 'generated' | 'failed';
  @Column({ name: 'claimed_by', type: 'text', nullable: true }) claimedBy!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}

@Entity('lesson_contents')
export class LessonContentEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'lesson_id', type: 'uuid' }) lessonId!: string;
  @Column({ name: 'typescript_source' }) typescriptSource!: string;
  @Column({ name: 'compiled_js', type: 'text', nullable: true }) compiledJs!: string | null;
  @Column({ type: 'int' }) version!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
