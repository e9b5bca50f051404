/** What a queued notification needs to be rendered later, in its recipient's language: no personal data. */
export interface NotificationPayload {
  subject: { kind: 'case' | 'programme'; id: string; reference: string };
  gateTitle?: string;
  dueAt?: number;
  detail?: string;
  /** For an alert (template `alert`): what was measured, and the threshold it crossed. */
  measure?: { value: number; threshold: number };
  /** The ids of absent colleagues the recipient stands in for (their names are read when it is sent). */
  onBehalfOf?: string[];
}

/** A step in the digest: which case, which step (its pathway title), by when. */
export interface DigestStep {
  caseId: string;
  reference: string;
  title: string;
  dueAt: number;
}

/** A daily digest as queued (activities/digest.ts): ids, references, titles and dates — no names, no texts. */
export interface DigestPayload {
  /** The recipient's local day it is for, `YYYY-MM-DD`. */
  day: string;
  /** Open steps waiting on the recipient's organisation, soonest due first (at most DIGEST_LIST), and how many there are. */
  waiting: DigestStep[];
  waitingTotal: number;
  /** Steps that became overdue since the previous digest. */
  overdue: DigestStep[];
  /** Cases of the recipient's organisation that changed since the previous digest, and how many events each. */
  changes: { caseId: string; reference: string; count: number }[];
  /** Messages the recipient chose to receive in the digest. */
  held: (NotificationPayload & { template: string })[];
}

/** The outbox template of a daily digest (its payload is a DigestPayload). */
export const DIGEST_TEMPLATE = 'digest';
