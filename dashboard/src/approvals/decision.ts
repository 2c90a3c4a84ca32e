// The rules of a gate decision as the dialogs apply them (the API applies the same ones:
// backend/src/courses/courses.dto.ts RejectSchema): a rejection says why — a reason or a
// comment — and says what happens next, rerun or cancel; nothing is chosen for the user.
// Also: the inbox's order and filters, and what a compact card counts.
import type { ApprovalItem } from '../types';
import { isStructure } from './StructureTree';

export interface RejectDraft {
  reasons: string[];
  comment: string;
  action: 'rerun' | 'cancel' | null;
  budget: boolean;
}

export type RejectProblem = 'reason' | 'action';

/** What still stops the rejection; empty when it may be sent. A budget gate is only ever declined with cancel. */
export function rejectProblems(d: RejectDraft): RejectProblem[] {
  const out: RejectProblem[] = [];
  if (d.reasons.length === 0 && d.comment.trim() === '') out.push('reason');
  if (!d.budget && d.action === null) out.push('action');
  return out;
}

/** The action a draft sends (a budget gate: cancel). */
export const actionOf = (d: RejectDraft): 'rerun' | 'cancel' => (d.budget ? 'cancel' : (d.action ?? 'cancel'));

/** Overdue and escalated first, then by due time (none last), then the longest waiting. */
export function inboxOrder(items: ApprovalItem[], now = Date.now()): ApprovalItem[] {
  const urgent = (i: ApprovalItem) => (i.escalatedAt || (i.dueAt && Date.parse(i.dueAt) <= now) ? 0 : 1);
  const due = (i: ApprovalItem) => (i.dueAt ? Date.parse(i.dueAt) : Infinity);
  return [...items].sort((a, b) => urgent(a) - urgent(b) || due(a) - due(b) || Date.parse(a.waitingSince) - Date.parse(b.waitingSince));
}

export interface InboxFilter {
  stage: number | 'all';
  kind: ApprovalItem['kind'] | 'all';
}

export const inboxFilter = (items: ApprovalItem[], f: InboxFilter): ApprovalItem[] =>
  items.filter((i) => (f.stage === 'all' || i.stage === f.stage) && (f.kind === 'all' || i.kind === f.kind));

/** Sections and lessons of a stage 5 structure (null for other outputs). */
export function structureCounts(output: unknown): { sections: number; lessons: number } | null {
  if (!isStructure(output)) return null;
  return { sections: output.sections.length, lessons: output.sections.reduce((n, s) => n + (s.lessons?.length ?? 0), 0) };
}
