// The API's shapes as the dashboard reads them: the types generated from the API's
// OpenAPI document (api/schema.d.ts, `npm run openapi`), under the names the
// dashboard's code uses. Nothing here is written by hand.
import type { components } from './api/schema';

type Schemas = components['schemas'];

/** A role's name; what it may do comes from the API (`GET /api/me`, backend/src/auth/permissions.ts). */
export type Role = Schemas['Role'];
export type CourseStatus = Schemas['CourseStatus'];
export type Course = Schemas['Course'];
export type CourseDetail = Schemas['CourseDetail'];
export type StageStatus = Schemas['StageStatus'];
/** StageInfo of seed 000. */
export type StageInfo = Schemas['StageInfo'];
/** seed 003 §5 getStatus. */
export type GenerationStatus = Schemas['GenerationStatus'];
export type StartGenerationResult = Schemas['StartGenerationResult'];
export type ApproveParams = Schemas['CoursesApproveBody'];
export type RejectParams = Schemas['CoursesRejectBody'];
export type RejectionReason = NonNullable<RejectParams['reasons']>[number];
/** GET /api/overview: server aggregates of the caller's organization. */
export type Overview = Schemas['Overview'];
/** GET /api/approvals: one course waiting at a gate. */
export type ApprovalItem = Schemas['ApprovalItem'];
/** GET /api/courses/:id/timeline: the flight recorder. */
export type Timeline = Schemas['Timeline'];
export type TimelineEvent = Schemas['TimelineEvent'];
export type HistoryEntry = Schemas['HistoryEntry'];
export type Job = Schemas['Job'];
export type Alert = Schemas['Alert'];
export type ModelPrice = Schemas['ModelPrice'];
export type CostReport = Schemas['CostReport'];
export type CostRow = Schemas['CostRow'];
export type Me = Schemas['Me'];
