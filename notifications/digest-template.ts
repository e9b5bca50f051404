/**
 * The daily digest's text, in the recipient's language: what waits on their organisation, what
 * became overdue, which cases changed, and the messages they chose to read here. Dates in words,
 * step titles in the reader's language, as in every other email (templates.ts).
 */
import type { NotificationTemplate } from '../domain/case-effects.js';
import type { Language } from '../domain/organisation.js';
import { DUTCH_TITLES } from '../domain/templates/dutch-titles.js';
import type { DigestPayload, DigestStep } from './payload.js';
import { dateInWords, escapeHtml, renderMail, type RenderedMail } from './templates.js';

const WORDS = {
  en: {
    subject: (day: string) => `Your daily overview — ${day}`,
    greeting: (name: string) => `Dear ${name},`,
    intro: 'This is your overview of SafeRoutes for today.',
    waiting: (n: number) => `Waiting on your organisation (${n}):`,
    more: (n: number) => `…and ${n} more: see "Waiting on us" in SafeRoutes.`,
    overdue: 'Overdue since the previous overview:',
    changes: 'Changes on your cases:',
    changeCount: (n: number) => (n === 1 ? '1 change' : `${n} changes`),
    held: 'Messages you chose to receive in this overview:',
    due: (d: string) => `due ${d}`,
    settings: 'Choose which messages come here, and when, under "My settings":',
  },
  nl: {
    subject: (day: string) => `Uw overzicht van vandaag — ${day}`,
    greeting: (name: string) => `Beste ${name},`,
    intro: 'Dit is uw overzicht van SafeRoutes voor vandaag.',
    waiting: (n: number) => `Wacht op uw organisatie (${n}):`,
    more: (n: number) => `…en nog ${n}: zie "Wacht op ons" in SafeRoutes.`,
    overdue: 'Over tijd sinds het vorige overzicht:',
    changes: 'Wijzigingen in uw casussen:',
    changeCount: (n: number) => (n === 1 ? '1 wijziging' : `${n} wijzigingen`),
    held: 'Berichten die u in dit overzicht wilt krijgen:',
    due: (d: string) => `uiterlijk ${d}`,
    settings: 'Kies onder "Mijn instellingen" welke berichten hier komen, en wanneer:',
  },
} satisfies Record<Language, unknown>;

type Line = { text: string; link?: string };

export function renderDigest(language: Language, recipientName: string, d: DigestPayload, publicUrl: string): RenderedMail {
  const w = WORDS[language];
  const title = (t: string) => (language === 'nl' ? (DUTCH_TITLES[t] ?? t) : t);
  const caseLink = (id: string) => `${publicUrl}/cases/${id}`;
  const step = (s: DigestStep): Line => ({ text: `${s.reference}: ${title(s.title)}, ${w.due(dateInWords(language, s.dueAt))}`, link: caseLink(s.caseId) });
  const sections: { heading: string; lines: Line[] }[] = [];
  if (d.waiting.length) {
    const more = d.waitingTotal - d.waiting.length;
    sections.push({ heading: w.waiting(d.waitingTotal), lines: [...d.waiting.map(step), ...(more > 0 ? [{ text: w.more(more) }] : [])] });
  }
  if (d.overdue.length) sections.push({ heading: w.overdue, lines: d.overdue.map(step) });
  if (d.changes.length) sections.push({ heading: w.changes, lines: d.changes.map((c) => ({ text: `${c.reference}: ${w.changeCount(c.count)}`, link: caseLink(c.caseId) })) });
  if (d.held.length) {
    sections.push({
      heading: w.held,
      lines: d.held.map((m) => {
        const link = `${publicUrl}/${m.subject.kind === 'case' ? 'cases' : 'programmes'}/${m.subject.id}`;
        // The message's own subject line says what it was about, in the reader's language.
        const { subject } = renderMail(m.template as NotificationTemplate, language, { recipientName, subjectKind: m.subject.kind, reference: m.subject.reference, gateTitle: m.gateTitle, dueAt: m.dueAt, detail: m.detail, link });
        return { text: subject, link };
      }),
    });
  }
  const day = dateInWords(language, Date.parse(`${d.day}T12:00:00Z`));
  const settings = `${publicUrl}/me`;
  const text = [
    w.greeting(recipientName),
    w.intro,
    ...sections.flatMap((s) => ['', s.heading, ...s.lines.map((l) => `- ${l.text}${l.link ? `\n  ${l.link}` : ''}`)]),
    '',
    w.settings,
    settings,
    '',
    '— SafeRoutes',
  ].join('\n');
  const html =
    `<!doctype html><html lang="${language}"><body><p>${escapeHtml(w.greeting(recipientName))}</p><p>${escapeHtml(w.intro)}</p>` +
    sections
      .map((s) => `<h2>${escapeHtml(s.heading)}</h2><ul>${s.lines.map((l) => `<li>${l.link ? `<a href="${escapeHtml(l.link)}">${escapeHtml(l.text)}</a>` : escapeHtml(l.text)}</li>`).join('')}</ul>`)
      .join('') +
    `<p>${escapeHtml(w.settings)} <a href="${escapeHtml(settings)}">${escapeHtml(settings)}</a></p><p>— SafeRoutes</p></body></html>`;
  return { subject: w.subject(day), text, html };
}
