// Moved to repositories/budget-projection.ts; this re-export keeps the worker's stage-5
// job (jobs/phases/structure.jobs.ts) compiling until it imports from there.
export { holdOf, projectCourseCost } from '../repositories/budget-projection';
export type { Projection } from '../repositories/budget-projection';
