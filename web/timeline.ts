/**
 * A case's timeline in plain words: each recorded event as one sentence in the reader's language,
 * naming organisations and steps rather than ids. What people did (decisions above all) is the
 * story; the steps SafeRoutes takes by itself (reminders, escalations, opening steps, reserving a
 * place) are grouped, so a year of reminders does not bury the one decision that matters.
 */
import type { Language } from '../domain/organisation.js';

export interface TimelineEvent {
  kind: string;
  actor: string;
  reason: string | null;
  /** When the reason was erased with the case's personal data (usecases/erasure.ts). */
  reasonErasedAt?: Date;
  data: Record<string, unknown>;
  at: Date;
  /** Who acted, by name, and for whom, when they stood in for absent colleagues (and the reader may see names). */
  actedFor?: { who: string; forWhom: string[] };
}

export interface TimelineNames {
  /** Person id (the actor of an event) → their organisation's name. */
  actor(personId: string): string;
  organisation(id: string): string;
  /** Gate id → its title in the pathway. */
  title(id: string): string;
  /** Stage id → its title in the pathway (stage and gate ids may be the same word). */
  stage(id: string): string;
  /** A date in the reader's language. */
  date(iso: string): string;
}

type Sentence = (who: string, step: string, d: Record<string, any>, n: TimelineNames) => string;

const EN: Record<string, Sentence> = {
  case_opened: () => 'The case was opened.',
  stage_entered: (_w, _s, d, n) => `Stage “${n.stage(d.stage)}” began.`,
  stage_completed: (_w, _s, d, n) => `Stage “${n.stage(d.stage)}” was completed.`,
  gate_opened: (_w, step) => `Step “${step}” is open.`,
  gate_approved: (who, step) => `${who} approved “${step}”.`,
  gate_rejected: (who, step) => `${who} rejected “${step}”.`,
  information_requested: (who, step) => `${who} asked for more information for “${step}”.`,
  task_completed: (who, step) => `${who} completed “${step}”.`,
  housing_offered: (who, _s, d, n) => `${who} made a housing offer: ${d.rooms} room${d.rooms === 1 ? '' : 's'}${d.accessible ? ', step-free' : ''}, available from ${n.date(d.availableFrom)}.`,
  housing_request_declined: (who) => `${who} has no housing available.`,
  housing_offer_accepted: (who) => `${who} accepted the housing offer.`,
  housing_offer_declined: (who) => `${who} declined the housing offer.`,
  housing_offer_lapsed: () => 'The housing offer lapsed without an answer.',
  offer_expiry_reminder: () => 'A reminder was sent: the housing offer lapses soon.',
  agreement_published: (who, _s, d) => `${who} published version ${d.version} of the agreement.`,
  agreement_signed: (who, _s, d) => `${who} signed version ${d.version} of the agreement.`,
  agreement_executed: () => 'Every party has signed: the agreement is in force.',
  agreement_changes_requested: (who) => `${who} asked for changes to the agreement.`,
  checkin_due: (_w, _s, d) => `Check-in report ${d.report} is due.`,
  checkin_submitted: (who, _s, d) => `${who} submitted check-in report ${d.report}.`,
  checkin_missed: (_w, _s, d) => `Check-in report ${d.report} is overdue; the coordinator was told.`,
  support_period_ended: () => 'The support period has ended.',
  reminder_sent: (_w, step) => `A reminder was sent for “${step}”.`,
  escalated: (_w, step) => `“${step}” is overdue; the coordinator was alerted.`,
  gate_nudged: (who, step) => `${who} sent a reminder for “${step}”.`,
  match_shortlisted: (who, _s, d) => `${who} proposed the case to a shortlist of ${d.candidates} organisation${d.candidates === 1 ? '' : 's'}.`,
  match_proposed: (_w, _s, d, n) => `The case was proposed to ${n.organisation(d.organisationId)}, to answer by ${n.date(d.answerBy)}.`,
  match_accepted: (who) => `${who} took the case.`,
  match_declined: (who) => `${who} declined the case.`,
  match_lapsed: (_w, _s, d, n) => `${n.organisation(d.organisationId)} did not answer in time; the proposal lapsed.`,
  match_reminder: (_w, _s, d, n) => `A reminder was sent to ${n.organisation(d.organisationId)}: its answer is due soon.`,
  match_shortlist_empty: () => 'Nobody on the shortlist took the case; the coordinator was alerted.',
  deadline_extended: (who, step, d, n) => `${who} moved the due date of “${step}” to ${n.date(d.to)}.`,
  gate_reassigned: (who, step, d, n) => `${who} gave “${step}” to ${n.organisation(d.to)}.`,
  case_held: (who) => `${who} put the case on hold.`,
  case_resumed: (who, _s, d) => `${who} resumed the case after ${d.heldDays} day${d.heldDays === 1 ? '' : 's'} on hold.`,
  // On a case's timeline the programme's pause is the system's; on the programme's, someone's act.
  programme_paused: (who, _s, _d) => (who === SYSTEM.en ? 'The programme was paused; the case waits.' : `${who} paused the programme.`),
  programme_resumed: (who) => (who === SYSTEM.en ? 'The programme was resumed; the case goes on.' : `${who} resumed the programme.`),
  mou_published: (who, _s, d) => `${who} published version ${d.version} of the MoU.`,
  mou_signed: (who, _s, d) => `${who} signed version ${d.version} of the MoU.`,
  mou_executed: () => 'Every party has signed the MoU: the programme runs.',
  mou_changes_requested: (who) => `${who} asked for changes to the MoU.`,
  mou_reminder_sent: () => 'A reminder to sign the MoU was sent.',
  mou_escalated: () => 'The MoU is not signed in time; the coordinator was alerted.',
  quota_changed: (who, _s, d) => `${who} changed the number of places from ${d.from} to ${d.to}.`,
  programme_closed: (who) => `${who} closed the programme.`,
  case_waitlisted: () => 'The programme is full: the case is on the waiting list.',
  place_requested: () => 'A place in the programme was requested.',
  place_granted: () => 'A place in the programme was granted.',
  place_reserved: () => 'A place in the programme is reserved.',
  place_used: () => 'The household arrived: the place is used.',
  place_released: () => 'The place in the programme was released.',
  case_diverted: (_w, _s, d, n) => `The case moved on to “${n.stage(d.to)}”.`,
  case_completed: () => 'The case is completed.',
  case_rejected: (who) => `${who} closed the case: rejected.`,
  case_withdrawn: (who) => `${who} withdrew the case.`,
};

const NL: Record<string, Sentence> = {
  case_opened: () => 'De casus is geopend.',
  stage_entered: (_w, _s, d, n) => `Fase “${n.stage(d.stage)}” is begonnen.`,
  stage_completed: (_w, _s, d, n) => `Fase “${n.stage(d.stage)}” is afgerond.`,
  gate_opened: (_w, step) => `Stap “${step}” staat open.`,
  gate_approved: (who, step) => `${who} keurde “${step}” goed.`,
  gate_rejected: (who, step) => `${who} wees “${step}” af.`,
  information_requested: (who, step) => `${who} vroeg om meer informatie voor “${step}”.`,
  task_completed: (who, step) => `${who} rondde “${step}” af.`,
  housing_offered: (who, _s, d, n) => `${who} deed een woningaanbod: ${d.rooms} kamer${d.rooms === 1 ? '' : 's'}${d.accessible ? ', traploos' : ''}, beschikbaar vanaf ${n.date(d.availableFrom)}.`,
  housing_request_declined: (who) => `${who} heeft geen woonruimte beschikbaar.`,
  housing_offer_accepted: (who) => `${who} accepteerde het woningaanbod.`,
  housing_offer_declined: (who) => `${who} weigerde het woningaanbod.`,
  housing_offer_lapsed: () => 'Het woningaanbod is verlopen zonder antwoord.',
  offer_expiry_reminder: () => 'Er is een herinnering verstuurd: het woningaanbod verloopt binnenkort.',
  agreement_published: (who, _s, d) => `${who} publiceerde versie ${d.version} van de overeenkomst.`,
  agreement_signed: (who, _s, d) => `${who} tekende versie ${d.version} van de overeenkomst.`,
  agreement_executed: () => 'Alle partijen hebben getekend: de overeenkomst geldt.',
  agreement_changes_requested: (who) => `${who} vroeg om wijzigingen in de overeenkomst.`,
  checkin_due: (_w, _s, d) => `Check-in-rapport ${d.report} moet worden ingestuurd.`,
  checkin_submitted: (who, _s, d) => `${who} stuurde check-in-rapport ${d.report} in.`,
  checkin_missed: (_w, _s, d) => `Check-in-rapport ${d.report} is te laat; de coördinator is ingelicht.`,
  support_period_ended: () => 'De ondersteuningsperiode is voorbij.',
  reminder_sent: (_w, step) => `Er is een herinnering verstuurd voor “${step}”.`,
  escalated: (_w, step) => `“${step}” is over tijd; de coördinator is gewaarschuwd.`,
  gate_nudged: (who, step) => `${who} stuurde een herinnering voor “${step}”.`,
  match_shortlisted: (who, _s, d) => `${who} stelde de casus voor aan een shortlist van ${d.candidates} organisatie${d.candidates === 1 ? '' : 's'}.`,
  match_proposed: (_w, _s, d, n) => `De casus is voorgesteld aan ${n.organisation(d.organisationId)}, met antwoord vóór ${n.date(d.answerBy)}.`,
  match_accepted: (who) => `${who} nam de casus aan.`,
  match_declined: (who) => `${who} wees de casus af.`,
  match_lapsed: (_w, _s, d, n) => `${n.organisation(d.organisationId)} antwoordde niet op tijd; het voorstel is verlopen.`,
  match_reminder: (_w, _s, d, n) => `Er is een herinnering gestuurd aan ${n.organisation(d.organisationId)}: het antwoord moet binnenkort komen.`,
  match_shortlist_empty: () => 'Niemand op de shortlist nam de casus aan; de coördinator is gewaarschuwd.',
  deadline_extended: (who, step, d, n) => `${who} verschoof de uiterste datum van “${step}” naar ${n.date(d.to)}.`,
  gate_reassigned: (who, step, d, n) => `${who} gaf “${step}” aan ${n.organisation(d.to)}.`,
  case_held: (who) => `${who} hield de casus aan.`,
  case_resumed: (who, _s, d) => `${who} hervatte de casus na ${d.heldDays} ${d.heldDays === 1 ? 'dag' : 'dagen'} aanhouden.`,
  programme_paused: (who) => (who === SYSTEM.nl ? 'Het programma is gepauzeerd; de casus wacht.' : `${who} heeft het programma gepauzeerd.`),
  programme_resumed: (who) => (who === SYSTEM.nl ? 'Het programma is hervat; de casus gaat verder.' : `${who} heeft het programma hervat.`),
  mou_published: (who, _s, d) => `${who} heeft versie ${d.version} van de MoU klaargezet om te tekenen.`,
  mou_signed: (who, _s, d) => `${who} heeft versie ${d.version} van de MoU getekend.`,
  mou_executed: () => 'Alle partijen hebben de MoU getekend: het programma loopt.',
  mou_changes_requested: (who) => `${who} vraagt om wijzigingen in de MoU.`,
  mou_reminder_sent: () => 'Er is een herinnering gestuurd om de MoU te tekenen.',
  mou_escalated: () => 'De MoU is niet op tijd getekend; de coördinator is gewaarschuwd.',
  quota_changed: (who, _s, d) => `${who} heeft het aantal plaatsen veranderd van ${d.from} naar ${d.to}.`,
  programme_closed: (who) => `${who} heeft het programma gesloten.`,
  case_waitlisted: () => 'Het programma is vol: de casus staat op de wachtlijst.',
  place_requested: () => 'Er is een plaats in het programma aangevraagd.',
  place_granted: () => 'Er is een plaats in het programma toegekend.',
  place_reserved: () => 'Er is een plaats in het programma gereserveerd.',
  place_used: () => 'Het huishouden is aangekomen: de plaats is in gebruik.',
  place_released: () => 'De plaats in het programma is vrijgegeven.',
  case_diverted: (_w, _s, d, n) => `De casus ging verder naar “${n.stage(d.to)}”.`,
  case_completed: () => 'De casus is afgerond.',
  case_rejected: (who) => `${who} sloot de casus: afgewezen.`,
  case_withdrawn: (who) => `${who} trok de casus in.`,
};

const SENTENCES: Record<Language, Record<string, Sentence>> = { en: EN, nl: NL };
const SYSTEM: Record<Language, string> = { en: 'SafeRoutes', nl: 'SafeRoutes' };

/** "Gemeente Utrecht (Piet for Anna)": the delegate acted while Anna was away. */
const ACTED_FOR: Record<Language, (who: string, forWhom: string[]) => string> = {
  en: (who, forWhom) => `${who} for ${forWhom.join(' and ')}`,
  nl: (who, forWhom) => `${who} namens ${forWhom.join(' en ')}`,
};

/** One sentence for an event; an event kind without a sentence still reads as words. */
export function describeEvent(lang: Language, e: TimelineEvent, names: TimelineNames): string {
  const who = e.actor === 'system' ? SYSTEM[lang] : names.actor(e.actor) + (e.actedFor ? ` (${ACTED_FOR[lang](e.actedFor.who, e.actedFor.forWhom)})` : '');
  const step = typeof e.data.gateId === 'string' ? names.title(e.data.gateId) : '';
  const sentence = SENTENCES[lang][e.kind];
  return sentence ? sentence(who, step, e.data, names) : `${e.kind.replace(/_/g, ' ')}.`;
}

/** How an event reads in the story: a decision someone made, another act or milestone, or a step the system took by itself. */
export type EventWeight = 'decision' | 'story' | 'system';

const DECISIONS = new Set(['mou_signed', 'mou_changes_requested', 'quota_changed', 'programme_closed', 'gate_approved', 'gate_rejected', 'information_requested', 'housing_request_declined', 'housing_offer_accepted', 'housing_offer_declined', 'match_accepted', 'match_declined', 'case_rejected', 'case_withdrawn', 'case_held', 'case_resumed']);
/** Sent by the system: reminders (a check-in report falling due is its first reminder). */
const REMINDERS = new Set(['reminder_sent', 'offer_expiry_reminder', 'checkin_due', 'mou_reminder_sent', 'match_reminder']);
/** Sent by the system: the coordinator alerted to something overdue. */
const ESCALATIONS = new Set(['escalated', 'checkin_missed', 'mou_escalated', 'match_shortlist_empty']);
/** Other steps of the system's own that change nothing anyone waits for. */
const ROUTINE = new Set(['gate_opened', 'stage_completed', 'place_requested', 'place_reserved', 'place_granted', 'place_used', 'place_released']);

export function weightOf(e: Pick<TimelineEvent, 'kind' | 'actor'>): EventWeight {
  if (DECISIONS.has(e.kind)) return 'decision';
  if (e.actor === 'system' && (REMINDERS.has(e.kind) || ESCALATIONS.has(e.kind) || ROUTINE.has(e.kind))) return 'system';
  return 'story';
}

/** A run of system steps, counted the way its summary line says them. */
export function countSystemSteps(events: readonly Pick<TimelineEvent, 'kind'>[]): { reminders: number; escalations: number; other: number } {
  const reminders = events.filter((e) => REMINDERS.has(e.kind)).length;
  const escalations = events.filter((e) => ESCALATIONS.has(e.kind)).length;
  return { reminders, escalations, other: events.length - reminders - escalations };
}

/**
 * The timeline as the page shows it: each event on its own, except runs of system steps, which
 * fold into one group. A stage's beginning also holds the routine steps around it (the stage
 * before it completed, its steps opened), which say nothing the beginning does not.
 */
export type TimelineEntry = { event: TimelineEvent; weight: 'decision' | 'story'; steps?: TimelineEvent[] } | { system: TimelineEvent[] };

export function storyOf(events: readonly TimelineEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const event of events) {
    const weight = weightOf(event);
    const last = entries.at(-1);
    if (weight !== 'system') entries.push({ event, weight });
    else if (last && 'system' in last) last.system.push(event);
    else entries.push({ system: [event] });
  }
  const routineOnly = (e: TimelineEntry | undefined): e is { system: TimelineEvent[] } => !!e && 'system' in e && e.system.every((x) => ROUTINE.has(x.kind));
  const told: TimelineEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if ('system' in entry || entry.event.kind !== 'stage_entered') {
      told.push(entry);
      continue;
    }
    // Newest first: the steps it opened come just before it, the stage that completed just after.
    const newer = told.at(-1);
    const opened = routineOnly(newer) ? (told.pop() as { system: TimelineEvent[] }).system : [];
    const older = entries[i + 1];
    const completed = routineOnly(older) ? older.system : [];
    if (completed.length) i++;
    told.push({ ...entry, steps: [...opened, ...completed] });
  }
  return told;
}
