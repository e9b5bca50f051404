/**
 * What a change to a case or programme causes outside its workflow: timeline events,
 * notifications, and signals between case and programme. Pure data; workflows hand them on.
 */

export type NotificationTemplate =
  | 'action-required'
  | 'reminder'
  | 'escalation'
  | 'offer-made'
  | 'offer-expiring'
  | 'offer-lapsed'
  | 'case-update';

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
  reason?: string;
  data?: Record<string, string | number | boolean>;
  at: number;
}

/** A case asks its programme for a quota place, gives it back, or uses it (arrival). */
export type ProgrammeRequest = 'request_place' | 'release_place' | 'use_place';

/** A programme tells a case. */
export type CaseSignal = 'place_granted' | 'programme_paused' | 'programme_resumed';

export interface Effects {
  events: TimelineEvent[];
  notifications: CaseNotification[];
  programme: ProgrammeRequest[];
  cases: { caseId: string; signal: CaseSignal }[];
}

export const noEffects = (): Effects => ({ events: [], notifications: [], programme: [], cases: [] });
export const hasEffects = (e: Effects) => e.events.length + e.notifications.length + e.programme.length + e.cases.length > 0;

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

  programme(request: ProgrammeRequest): void {
    this.effects.programme.push(request);
  }

  signalCase(caseId: string, signal: CaseSignal): void {
    this.effects.cases.push({ caseId, signal });
  }
}

export function mergeEffects(into: Effects, from: Effects): void {
  into.events.push(...from.events);
  into.notifications.push(...from.notifications);
  into.programme.push(...from.programme);
  into.cases.push(...from.cases);
}

/** Empties `from`, returning what it held. */
export function takeEffects(from: Effects): Effects {
  const taken = { events: from.events.splice(0), notifications: from.notifications.splice(0), programme: from.programme.splice(0), cases: from.cases.splice(0) };
  return taken;
}
