/** What a queued notification needs to be rendered later, in its recipient's language: no personal data. */
export interface NotificationPayload {
  subject: { kind: 'case' | 'programme'; id: string; reference: string };
  gateTitle?: string;
  dueAt?: number;
  detail?: string;
}
