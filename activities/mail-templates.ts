/** Notification texts in English and Dutch; the recipient's language picks one. */
export type Language = 'en' | 'nl';
export type NotificationEvent = 'case-opened' | 'referral-reminder';

export interface MailContext {
  recipientName: string;
  caseReference: string;
  caseUrl: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Template = (c: MailContext) => { subject: string; lines: string[] };

const templates: Record<NotificationEvent, Record<Language, Template>> = {
  'case-opened': {
    en: (c) => ({
      subject: `Case ${c.caseReference} has been opened`,
      lines: [`Dear ${c.recipientName},`, `Case ${c.caseReference} is open and now in referral.`, 'You can follow it here:'],
    }),
    nl: (c) => ({
      subject: `Casus ${c.caseReference} is geopend`,
      lines: [`Beste ${c.recipientName},`, `Casus ${c.caseReference} is geopend en staat nu in de verwijzingsfase.`, 'U kunt de casus hier volgen:'],
    }),
  },
  'referral-reminder': {
    en: (c) => ({
      subject: `Reminder: case ${c.caseReference} is waiting for you`,
      lines: [`Dear ${c.recipientName},`, `Case ${c.caseReference} is still waiting in referral.`, 'Please take the next step here:'],
    }),
    nl: (c) => ({
      subject: `Herinnering: casus ${c.caseReference} wacht op u`,
      lines: [`Beste ${c.recipientName},`, `Casus ${c.caseReference} wacht nog in de verwijzingsfase.`, 'Zet hier de volgende stap:'],
    }),
  },
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

export function renderMail(event: NotificationEvent, language: Language, context: MailContext): RenderedMail {
  const { subject, lines } = templates[event][language](context);
  const text = [...lines, context.caseUrl, '', '— SafeRoutes'].join('\n');
  const html =
    `<!doctype html><html lang="${language}"><body>` +
    lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('') +
    `<p><a href="${escapeHtml(context.caseUrl)}">${escapeHtml(context.caseUrl)}</a></p><p>— SafeRoutes</p></body></html>`;
  return { subject, text, html };
}
