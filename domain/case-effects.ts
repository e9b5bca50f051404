/**
 * What a change to a case or programme causes outside its workflow: timeline events and
 * notifications, written by the projection in one transaction, and (for a programme) changes to
 * its waiting list. Pure data; workflows hand them to activities.
 */
import type { TextRef } from './text-ref.js';

export type NotificationTemplate =
  | 'action-required'
  | 'reminder'
  | 'escalation'
  | 'offer-made'
  | 'offer-expiring'
  | 'offer-lapsed'
  /** A case proposed to a sponsor group, university or municipality, to accept or decline by a date. */
  | 'match-proposed'
  | 'case-update'
  /** A coordinator's alert on a programme crossed (activities/alerts.ts). */
  | 'alert';

/** One email per person of each organisation; `key` makes it go out once. */
export interface CaseNotification {
  key: string;
  template: NotificationTemplate;
  organisationIds: string[];
  gateTitle?: string;
  dueAt?: number;
  /** A short, non-personal code of what happened, e.g. "rejected", "stage:housing". */
  detail?: string;
}

export interface TimelineEvent {
  key: string;
  kind: string;
  /** A person id, or "system" for timers. */
  actor: string;
  gateId?: string;
  /** The reason, comment or note the actor wrote (kept in PostgreSQL). */
  textRef?: TextRef;
  data?: Record<string, string | number | boolean>;
  at: number;
}

/** A programme's waiting list lives in PostgreSQL (it may be long); the programme keeps its length. */
export type WaitlistChange = { op: 'add'; caseId: string; position: number } | { op: 'remove'; caseId: string };

export interface Effects {
  events: TimelineEvent[];
  notifications: CaseNotification[];
  waitlist: WaitlistChange[];
}

export const noEffects = (): Effects => ({ events: [], notifications: [], waitlist: [] });
export const hasEffects = (e: Effects) => e.events.length + e.notifications.length + e.waitlist.length > 0;

/** Collects effects with keys unique for their case or programme across all its runs. */
export class Recorder {
  readonly effects: Effects = noEffects();
  constructor(
    /** The state whose `seq` numbers the keys (it is carried across continue-as-new). */
    private readonly owner: { seq: number },
    private readonly keyPrefix: string,
    readonly now: number,
  ) {}

  private nextKey(kind: string): string {
    this.owner.seq += 1;
    return `${this.keyPrefix}:${this.owner.seq}:${kind}`;
  }

  event(kind: string, actor: string, fields: Omit<TimelineEvent, 'key' | 'kind' | 'actor' | 'at'> = {}): void {
    this.effects.events.push({ key: this.nextKey(kind), kind, actor, at: this.now, ...fields });
  }

  notify(template: NotificationTemplate, organisationIds: string[], fields: Omit<CaseNotification, 'key' | 'template' | 'organisationIds'> = {}): void {
    const recipients = [...new Set(organisationIds)];
    if (recipients.length === 0) return;
    this.effects.notifications.push({ key: this.nextKey(`mail-${template}`), template, organisationIds: recipients, ...fields });
  }

  waitlist(change: WaitlistChange): void {
    this.effects.waitlist.push(change);
  }
}

export function mergeEffects(into: Effects, from: Effects): void {
  into.events.push(...from.events);
  into.notifications.push(...from.notifications);
  into.waitlist.push(...from.waitlist);
}

/** Empties `from`, returning what it held. */
export function takeEffects(from: Effects): Effects {
  return { events: from.events.splice(0), notifications: from.notifications.splice(0), waitlist: from.waitlist.splice(0) };
}
