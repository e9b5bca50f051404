/** Notification texts in English and Dutch, text and HTML; the recipient's language picks one. */
import type { NotificationTemplate } from '../domain/case-effects.js';
import type { Language } from '../domain/organisation.js';
import { DUTCH_TITLES } from '../domain/templates/dutch-titles.js';

export interface MailContext {
  recipientName: string;
  /** "case CS-1" / "casus CS-1", or the programme's name. */
  subjectKind: 'case' | 'programme';
  reference: string;
  gateTitle?: string;
  dueAt?: number;
  detail?: string;
  /** An alert's measure (template `alert`). */
  measure?: { value: number; threshold: number };
  link: string;
  /** Names of absent colleagues the recipient stands in for: said in the mail, so they know why it reached them. */
  onBehalfOf?: string[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

type Texts = (c: MailContext, about: string, due: string) => { subject: string; lines: string[] };

const DETAIL: Record<Language, Record<string, string>> = {
  en: {
    'information-requested': 'More information has been requested.',
    'offer-accepted': 'The housing offer was accepted.',
    'offer-declined': 'The housing offer was declined; a new offer is needed.',
    'agreement-executed': 'Every party has signed: the agreement is executed.',
    'changes-requested': 'A party asked for changes to the agreement.',
    'no-housing-capacity': 'The municipality has no housing capacity; please reassign.',
    'repeated-declines': 'Housing offers were declined repeatedly; please look into it.',
    'checkin-missed': 'A check-in report is overdue.',
    overdue: 'This step is overdue.',
    nudge: 'The coordinator asks you to look at this step.',
    sign: 'Please read and sign the current version.',
    'place-reserved': 'A place in the programme is reserved for this case.',
    completed: 'The case is completed.',
    rejected: 'The case was rejected.',
    withdrawn: 'The case was withdrawn.',
    'match-accepted': 'The case was accepted by the organisation it was proposed to.',
    'match-shortlist-empty': 'Nobody on the shortlist took the case; please propose it to others.',
    'match-answer': 'Please accept or decline the case proposed to you.',
    'outcome-expired': 'An earlier outcome has expired and is needed again before the case can move on.',
    'group-changed': "Your group's members changed: the requirements on them are no longer met.",
    'group-requirements': 'Not every member has completed the required checks yet.',
  },
  nl: {
    'information-requested': 'Er is om meer informatie gevraagd.',
    'offer-accepted': 'Het woningaanbod is geaccepteerd.',
    'offer-declined': 'Het woningaanbod is geweigerd; er is een nieuw aanbod nodig.',
    'agreement-executed': 'Alle partijen hebben getekend: de overeenkomst is rond.',
    'changes-requested': 'Een partij vraagt om wijzigingen in de overeenkomst.',
    'no-housing-capacity': 'De gemeente heeft geen woonruimte; wijs een andere gemeente toe.',
    'repeated-declines': 'Woningaanbiedingen zijn herhaaldelijk geweigerd; kijkt u ernaar?',
    'checkin-missed': 'Een check-in-rapport is te laat.',
    overdue: 'Deze stap is over tijd.',
    nudge: 'De coördinator vraagt u naar deze stap te kijken.',
    sign: 'Lees en onderteken de huidige versie.',
    'place-reserved': 'Er is een plaats in het programma gereserveerd voor deze casus.',
    completed: 'De casus is afgerond.',
    rejected: 'De casus is afgewezen.',
    withdrawn: 'De casus is ingetrokken.',
    'match-accepted': 'De casus is aangenomen door de organisatie waaraan hij is voorgesteld.',
    'match-shortlist-empty': 'Niemand op de shortlist heeft de casus aangenomen; stel hem aan anderen voor.',
    'match-answer': 'Neem de casus die u is voorgesteld aan, of wijs hem af.',
    'outcome-expired': 'Een eerdere uitkomst is verlopen en is opnieuw nodig voordat de casus verder kan.',
    'group-changed': 'De leden van uw groep zijn veranderd: de eisen aan hen zijn niet meer vervuld.',
    'group-requirements': 'Nog niet alle leden hebben de vereiste controles afgerond.',
  },
};

const TEXTS: Record<NotificationTemplate, Record<Language, Texts>> = {
  'action-required': {
    en: (c, about, due) => ({ subject: `Action needed: ${c.gateTitle} — ${about}`, lines: [`${about} waits on your organisation for: ${c.gateTitle}.`, due && `Please act by ${due}.`] }),
    nl: (c, about, due) => ({ subject: `Actie nodig: ${c.gateTitle} — ${about}`, lines: [`${about} wacht op uw organisatie voor: ${c.gateTitle}.`, due && `Graag vóór ${due}.`] }),
  },
  reminder: {
    en: (c, about, due) => ({ subject: `Reminder: ${c.gateTitle} — ${about}`, lines: [`${about} still waits on your organisation for: ${c.gateTitle}.`, due && `It is due on ${due}.`] }),
    nl: (c, about, due) => ({ subject: `Herinnering: ${c.gateTitle} — ${about}`, lines: [`${about} wacht nog op uw organisatie voor: ${c.gateTitle}.`, due && `De uiterste datum is ${due}.`] }),
  },
  escalation: {
    en: (c, about, due) => ({ subject: `Stuck: ${c.gateTitle} — ${about}`, lines: [`${about} is stuck at: ${c.gateTitle}.`, due && `It was due on ${due}.`] }),
    nl: (c, about, due) => ({ subject: `Vastgelopen: ${c.gateTitle} — ${about}`, lines: [`${about} loopt vast bij: ${c.gateTitle}.`, due && `De uiterste datum was ${due}.`] }),
  },
  'offer-made': {
    en: (_c, about, due) => ({ subject: `Housing offer for ${about}`, lines: [`The municipality made a housing offer for ${about}.`, due && `Please accept or decline it before ${due}.`] }),
    nl: (_c, about, due) => ({ subject: `Woningaanbod voor ${about}`, lines: [`De gemeente heeft een woningaanbod gedaan voor ${about}.`, due && `Accepteer of weiger het vóór ${due}.`] }),
  },
  'offer-expiring': {
    en: (_c, about, due) => ({ subject: `Housing offer for ${about} lapses soon`, lines: [`The housing offer for ${about} lapses on ${due}.`, 'Please answer it before then.'] }),
    nl: (_c, about, due) => ({ subject: `Woningaanbod voor ${about} verloopt binnenkort`, lines: [`Het woningaanbod voor ${about} verloopt op ${due}.`, 'Reageer graag vóór die datum.'] }),
  },
  'match-proposed': {
    en: (c, about, due) => ({ subject: `Proposed to you: ${about}`, lines: [`The coordinator proposes ${about} to your organisation (${c.gateTitle}).`, due && `Please accept or decline it by ${due}.`] }),
    nl: (c, about, due) => ({ subject: `Aan u voorgesteld: ${about}`, lines: [`De coördinator stelt ${about} aan uw organisatie voor (${c.gateTitle}).`, due && `Neem hem aan of wijs hem af vóór ${due}.`] }),
  },
  'offer-lapsed': {
    en: (_c, about) => ({ subject: `Housing offer for ${about} lapsed`, lines: [`The housing offer for ${about} lapsed without an answer. A new offer is needed.`] }),
    nl: (_c, about) => ({ subject: `Woningaanbod voor ${about} verlopen`, lines: [`Het woningaanbod voor ${about} is verlopen zonder antwoord. Er is een nieuw aanbod nodig.`] }),
  },
  alert: {
    en: (c, about) => ({
      subject: `Alert: ${about}`,
      lines: [
        c.detail === 'step-age'
          ? `${c.measure?.value} step${c.measure?.value === 1 ? ' has' : 's have'} been open in ${about} for longer than ${c.measure?.threshold} days (your alert).`
          : `${c.measure?.value} steps of ${about} are overdue (your alert: more than ${c.measure?.threshold}).`,
        'You get this email once, until it clears.',
      ],
    }),
    nl: (c, about) => ({
      subject: `Signaal: ${about}`,
      lines: [
        c.detail === 'step-age'
          ? `${c.measure?.value} ${c.measure?.value === 1 ? 'stap staat' : 'stappen staan'} in ${about} al langer dan ${c.measure?.threshold} dagen open (uw signaal).`
          : `${c.measure?.value} stappen van ${about} zijn over tijd (uw signaal: meer dan ${c.measure?.threshold}).`,
        'U krijgt dit bericht één keer, tot het weer in orde is.',
      ],
    }),
  },
  'case-update': {
    en: (c, about) => ({ subject: `Update: ${about}`, lines: [`There is news about ${about}${c.gateTitle ? ` (${c.gateTitle})` : ''}.`] }),
    nl: (c, about) => ({ subject: `Nieuws: ${about}`, lines: [`Er is nieuws over ${about}${c.gateTitle ? ` (${c.gateTitle})` : ''}.`] }),
  },
};

const DATE_WORDS: Record<Language, Intl.DateTimeFormat> = {
  nl: new Intl.DateTimeFormat('nl-NL', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }),
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }),
};

/**
 * "vrijdag 5 december 2026", "Friday 5 December 2026": a date in an email is read, not parsed, and
 * a weekday says at a glance how soon it is. The day is Amsterdam's, as on the pages, so a step due
 * at the end of the 5th is due on the 5th in the email too.
 */
export function dateInWords(language: Language, at: number | Date): string {
  return DATE_WORDS[language].format(at).replace(/,/g, '');
}

const STANDS_IN: Record<Language, (names: string) => string> = {
  en: (names) => `You receive this for ${names}, who is away and named you to stand in.`,
  nl: (names) => `U krijgt dit bericht voor ${names}, die afwezig is en u als vervanger heeft gekozen.`,
};

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

export function renderMail(template: NotificationTemplate, language: Language, c: MailContext): RenderedMail {
  const about = c.subjectKind === 'case' ? `${language === 'nl' ? 'casus' : 'case'} ${c.reference}` : c.reference;
  const due = c.dueAt ? dateInWords(language, c.dueAt) : '';
  const gateTitle = c.gateTitle && language === 'nl' ? (DUTCH_TITLES[c.gateTitle] ?? c.gateTitle) : c.gateTitle;
  const { subject, lines } = TEXTS[template][language]({ ...c, gateTitle }, about, due);
  const detail = c.detail ? DETAIL[language][c.detail] : undefined;
  const greeting = language === 'nl' ? `Beste ${c.recipientName},` : `Dear ${c.recipientName},`;
  const open = language === 'nl' ? 'Bekijken in SafeRoutes:' : 'Open in SafeRoutes:';
  const standIn = c.onBehalfOf?.length ? [STANDS_IN[language](c.onBehalfOf.join(language === 'nl' ? ' en ' : ' and '))] : [];
  const body = [greeting, ...standIn, ...lines.filter((l): l is string => Boolean(l)), ...(detail ? [detail] : []), open];
  return {
    subject,
    text: [...body, c.link, '', '— SafeRoutes'].join('\n'),
    html:
      `<!doctype html><html lang="${language}"><body>` +
      body.map((l) => `<p>${escapeHtml(l)}</p>`).join('') +
      `<p><a href="${escapeHtml(c.link)}">${escapeHtml(c.link)}</a></p><p>— SafeRoutes</p></body></html>`,
  };
}
