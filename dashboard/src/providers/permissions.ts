// Which role may press which button: the dashboard's copy of the API's table in
// DESIGN.md. The API still decides; this only hides what would answer 403.
import type { Role } from '../types';

const ALLOWED = {
  createCourse: ['admin', 'ops'],
  startGeneration: ['admin', 'ops'],
  approve: ['admin', 'reviewer'],
  reject: ['admin', 'reviewer'],
  decideBudget: ['admin', 'finance'],
  retry: ['admin', 'ops'],
  cancel: ['admin', 'ops'],
  restart: ['admin', 'ops'],
  viewTraces: ['admin', 'ops', 'reviewer'],
  viewAlerts: ['admin', 'ops'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ALLOWED;

export function can(role: unknown, action: Action): boolean {
  return (ALLOWED[action] as readonly unknown[]).includes(role);
}
