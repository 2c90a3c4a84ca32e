// Applied machine events and gate decisions
// (schema: migrations/1763800003000-CreateStatusHistoryAndApprovals).
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('generation_status_history')
export class StatusHistoryEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ name: 'from_status' }) fromStatus!: string;
  @Column({ name: 'to_status' }) toStatus!: string;
  @Column() event!: string;
  @Column({ name: 'actor_type' }) actorType!: string;
  @Column({ name: 'actor_id' }) actorId!: string;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'text', nullable: true }) stage!: string | null;
  @Column({ type: 'text', nullable: true }) phase!: string | null;
  @Column({ type: 'int' }) percentage!: number;
  @Column({ type: 'int' }) run!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('approvals')
export class ApprovalEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'course_id', type: 'uuid' }) courseId!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column({ type: 'int' }) stage!: number;
  @Column({ name: 'gate_key' }) gateKey!: string;
  @Column() decision!: string;
  @Column() action!: string;
  @Column({ name: 'decided_by', type: 'uuid', nullable: true }) decidedBy!: string | null;
  @Column({ name: 'decided_role' }) decidedRole!: string;
  @Column() comment!: string;
  @Column({ type: 'text', array: true }) reasons!: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
