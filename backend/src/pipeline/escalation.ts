// Who escalated a gate: a person pressing "escalate now" (`POST /api/approvals/:id/escalate`,
// the route's user) or the deadline sweep once the SLA passed. The ESCALATE event's actor
// tells them apart; the course keeps it while it waits (context.awaiting.escalation) and
// every place that describes the escalation says which it was — the status message, the
// alert row, the socket event, the webhook (`data.escalation`) and the inbox — under the
// same event names. Pure.
import type { Actor } from './course.types';

export type EscalationReason = 'manual' | 'deadline';

export interface Escalation {
  reason: EscalationReason;
  /** the person who escalated it (manual only): their id and their name (or email) */
  by: { id: string; name: string } | null;
}

/** A person's ESCALATE is manual; the sweeper's (a system actor) is the deadline's. */
export function escalationOf(actor: Actor, byName?: string): Escalation {
  if (actor.type === 'user') return { reason: 'manual', by: { id: actor.id, name: byName?.trim() || actor.id } };
  return { reason: 'deadline', by: null };
}

type Lang = 'en' | 'ru';

/** "escalated by Olga Ops" / "past its deadline": what follows a gate's name. */
export function escalationPhrase(e: Escalation, lang: Lang): string {
  if (e.reason === 'manual') return lang === 'ru' ? `эскалировано вручную: ${e.by?.name ?? '—'}` : `escalated by ${e.by?.name ?? 'a person'}`;
  return lang === 'ru' ? 'срок утверждения истёк' : 'past its deadline';
}

/** The message of an `approval.escalated` webhook. */
export function escalationWebhookMessage(e: Escalation | undefined, lang: Lang): string {
  if (e?.reason === 'manual')
    return lang === 'ru' ? `Утверждение эскалировано вручную: ${e.by?.name ?? '—'}` : `Approval escalated by ${e.by?.name ?? 'a person'}`;
  return lang === 'ru' ? 'Срок утверждения истёк' : 'Approval is past its deadline';
}

/** The alert row's message (system_metrics approval_escalated), in the alerts' English. */
export function escalationAlertMessage(stage: number, e: Escalation | undefined): string {
  return e?.reason === 'manual'
    ? `stage ${stage} approval escalated by ${e.by?.name ?? 'a person'} (escalate now)`
    : `stage ${stage} approval is past its deadline`;
}

/** The status history row's reason: `manual; <name>` or `deadline`. */
export function escalationHistoryReason(e: Escalation): string {
  return e.reason === 'manual' ? `manual; ${e.by?.name ?? ''}`.trim() : 'deadline';
}
