import { CourseEntity } from './course.entity';
import { ApprovalEntity, StatusHistoryEntity } from './history.entity';
import { LessonContentEntity, LessonEntity } from './lesson.entity';
import { OrganizationEntity, UserEntity } from './organization.entity';
import { GenerationTraceEntity } from './trace.entity';

export { CourseEntity, ApprovalEntity, StatusHistoryEntity, LessonContentEntity, LessonEntity, OrganizationEntity, UserEntity, GenerationTraceEntity };

export const entities = [
  OrganizationEntity,
  UserEntity,
  CourseEntity,
  GenerationTraceEntity,
  StatusHistoryEntity,
  ApprovalEntity,
  LessonEntity,
  LessonContentEntity,
];
