// Tenants and their users (schema: migrations/1763800000000-CreateOrganizationsAndUsers).
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('organizations')
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column() name!: string;
  @Column() slug!: string;
  @Column() tier!: string;
  @Column({ name: 'max_concurrent_generations', type: 'int' }) maxConcurrentGenerations!: number;
  @Column({ name: 'default_approval_gates', type: 'int', array: true }) defaultApprovalGates!: number[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @Column() email!: string;
  @Column() name!: string;
  @Column() role!: 'admin' | 'ops' | 'reviewer' | 'finance';
  @Column({ name: 'password_hash', select: false }) passwordHash!: string;
  @Column({ name: 'token_version', type: 'int' }) tokenVersion!: number;
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true }) disabledAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
