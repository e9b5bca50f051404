/**
 * Which kinds of message a person may hold for the daily digest or switch off, and where one
 * message to one person goes (at once, held for the digest, not at all), given their preference
 * and absences. Pure: the projection applies it when it queues mail (activities/projection.ts),
 * the settings use case checks input against it.
 */
import type { NotificationTemplate } from './case-effects.js';

export const DELIVERIES = ['immediately', 'digest', 'off'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/** Every kind of case or programme message a person receives (sign-in links are not among them: always at once). */
export const NOTIFICATION_KINDS = ['action-required', 'reminder', 'escalation', 'offer-made', 'offer-expiring', 'offer-lapsed', 'case-update'] as const satisfies readonly NotificationTemplate[];
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Never delayed or dropped: an escalation tells a coordinator a case is stuck now, and an offer
 * about to lapse cannot wait until tomorrow's digest. (Sign-in links do not pass through here.)
 */
export const ESSENTIAL_KINDS: ReadonlySet<string> = new Set<NotificationKind>(['escalation', 'offer-expiring']);

export const isEssential = (kind: string): boolean => ESSENTIAL_KINDS.has(kind);

/** The choices a person has for a kind. */
export const allowedDeliveries = (kind: string): readonly Delivery[] => (isEssential(kind) ? ['immediately'] : DELIVERIES);

export interface Recipient {
  /** Their preference for this kind (none: at once). */
  preference: Delivery | null;
  /** Away now (an absence with a delegate covers this moment). */
  away: boolean;
  /** Colleagues away now who named this person their delegate. */
  standsInFor: readonly string[];
}

/** What becomes of one message to one person: sent now, or withheld (and why). */
export type Route = { send: true; onBehalfOf: readonly string[] } | { send: false; withheld: 'digest' | 'off' | 'away' };

export function routeMessage(kind: string, r: Recipient): Route {
  if (isEssential(kind)) return { send: true, onBehalfOf: r.standsInFor };
  // Their delegate receives it for them (every person of the organisation gets the case's mail, the delegate too).
  if (r.away) return { send: false, withheld: 'away' };
  // Standing in for someone: what they would have received goes at once, whatever this person chose for their own mail.
  if (r.standsInFor.length > 0) return { send: true, onBehalfOf: r.standsInFor };
  if (r.preference === 'digest') return { send: false, withheld: 'digest' };
  if (r.preference === 'off') return { send: false, withheld: 'off' };
  return { send: true, onBehalfOf: [] };
}
