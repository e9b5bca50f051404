// Texts the pages take from elsewhere — refusals from the rules, titles from the built-in
// pathways — made readable for each reader.
import { describe, expect, it } from 'vitest';
import { refuseAction } from '../../domain/case-actions.js';
import { refusalText as englishDetail } from '../../domain/refusal-text.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { localTitle, MESSAGES } from '../../web/i18n/index.js';
import { ProblemError } from '../../usecases/problem.js';
import { actor, makeCase, T0, template } from '../domain/helpers.js';
import { caseLookups, dateLookups, refusalText, refusedActionOf } from '../../web/refusals.js';
import { countSystemSteps, describeEvent, storyOf, weightOf } from '../../web/timeline.js';
import { dateInWords, renderMail } from '../../notifications/templates.js';

const titles = {
  gateTitles: new Map(template.stages.flatMap((s) => s.gates.map((g) => [g.id, g.title] as const))),
  stageTitles: new Map(template.stages.map((s) => [s.id, s.title] as const)),
};

describe('refusals on the pages', () => {
  it('words a refusal for English readers with dates in their format', () => {
    const refused = { refusal: { code: 'case-on-hold', since: '2027-01-05T10:00:00.000Z' } as const, detail: 'the case is on hold since 2027-01-05T10:00:00.000Z' };
    expect(refusalText(MESSAGES.en, refused, dateLookups(MESSAGES.en))).toBe('the case is on hold since 5 Jan 2027, 11:00');
  });

  it('words a refusal from the rules in Dutch, with the titles of the step and stage, never their ids', () => {
    // A refusal produced by the rules themselves, so a change of its code or parameters shows here.
    const { s } = makeCase({ now: T0 });
    const notYours = refuseAction(s, { type: 'decide', gateId: 'eligibility', outcome: 'approve', actor: actor('sponsor') }, T0)!;
    expect(refusalText(MESSAGES.nl, { refusal: notYours, detail: englishDetail(notYours) }, caseLookups(MESSAGES.nl, titles))).toBe('uw organisatie is nu niet aan zet bij stap "Besluit over geschiktheid"');
    const notOpen = refuseAction(s, { type: 'decide', gateId: 'municipal-consent', outcome: 'approve', actor: actor('municipality') }, T0)!;
    expect(refusalText(MESSAGES.nl, { refusal: notOpen, detail: englishDetail(notOpen) }, caseLookups(MESSAGES.nl, titles))).toBe('stap "Instemming van de gemeente" staat niet open: de casus is in fase "Geschiktheid"');
    expect(refusalText(MESSAGES.en, { refusal: notOpen, detail: englishDetail(notOpen) }, caseLookups(MESSAGES.en, titles))).toBe('step "Municipal consent" is not open: the case is in stage "Eligibility"');
  });

  it('says "this step" where the page has no title for it, rather than an id', () => {
    const refused = { refusal: { code: 'not-your-turn', gateId: 'housing' } as const, detail: 'your organisation does not act at gate "housing" now' };
    expect(refusalText(MESSAGES.nl, refused, dateLookups(MESSAGES.nl))).toBe('uw organisatie is nu niet aan zet bij deze stap');
  });

  it('reads the refusal of a 409 problem, and shows the English detail of one without a code', () => {
    const withCode = new ProblemError(409, 'Action refused', 'offer o1 was already accepted', { code: 'offer-answered', params: { offerId: 'o1', status: 'accepted' } });
    expect(refusalText(MESSAGES.nl, refusedActionOf(withCode), dateLookups(MESSAGES.nl))).toBe('dit woningaanbod is al geaccepteerd');
    // An answer stored before refusals had codes, or a refusal from an older worker: the true reason, as sent.
    const old = new ProblemError(409, 'Action refused', 'the case is not on hold');
    expect(refusedActionOf(old).refusal).toBeUndefined();
    expect(refusalText(MESSAGES.nl, refusedActionOf(old), dateLookups(MESSAGES.nl))).toBe('the case is not on hold');
    const unknown = new ProblemError(409, 'Action refused', 'something new', { code: 'unknown', params: {} });
    expect(refusalText(MESSAGES.en, refusedActionOf(unknown), dateLookups(MESSAGES.en))).toBe('something new');
  });
});

describe('titles of the built-in pathways', () => {
  it('has every pathway, stage and step title in Dutch', () => {
    const titles = Object.values(builtInTemplates).flatMap((p) => [p.name, ...p.stages.flatMap((s) => [s.title, ...s.gates.map((g) => g.title)])]);
    expect(titles.filter((title) => localTitle(MESSAGES.nl, title) === title)).toEqual([]);
    expect(localTitle(MESSAGES.en, 'Housing offer')).toBe('Housing offer');
    expect(localTitle(MESSAGES.nl, 'A step only a custom pathway has')).toBe('A step only a custom pathway has');
  });
});

describe('one word per concept, in plain Dutch', () => {
  /** Every Dutch text of the pages (but the pathways' titles), functions called with sample values. */
  function dutchTexts(): string[] {
    const found: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string') found.push(value);
      else if (typeof value === 'function') {
        try {
          walk((value as (...args: unknown[]) => unknown)('X', 'Y', 'Z'));
          walk((value as (...args: unknown[]) => unknown)(2, 3, 1));
        } catch {
          // A text that needs parameters of another shape (a refusal's, say): its other words are checked elsewhere.
        }
      } else if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    const { titles: _titles, ...rest } = MESSAGES.nl;
    walk(rest);
    return found;
  }

  it('holds a case ("aangehouden") and pauses a programme ("gepauzeerd"), never the other way round', () => {
    const nl = MESSAGES.nl;
    expect(nl.onHold.held).toBe('Aangehouden');
    expect(nl.coordinator.hold).toBe('Casus aanhouden');
    expect(nl.casePage.held('Paspoort')).toMatch(/^Aangehouden door de coördinator: Paspoort\./);
    expect(nl.refusals['case-on-hold']({ since: '2027-01-05T10:00:00.000Z' }, dateLookups(nl))).toBe('de casus is aangehouden sinds 5 jan 2027, 11:00');
    expect(nl.programmes.statusLabel.paused).toBe('Gepauzeerd');
    const caseWords = dutchTexts().filter((text) => /casus (is |al |niet )*(gepauzeerd|pauzeren)|pauzeerde de casus|casus pauzeren/i.test(text));
    expect(caseWords).toEqual([]);
  });

  it('says "casus" for a case and "check-in-rapport" for a report after arrival, as the pathways’ titles do', () => {
    expect(dutchTexts().filter((text) => /\b(zaak|zaken|verslag\w*|voortgangs\w*)\b/i.test(text))).toEqual([]);
  });

  it('has no English or system words left in the Dutch texts', () => {
    expect(dutchTexts().length).toBeGreaterThan(300); // the walk reaches the texts
    const leftovers = dutchTexts().filter((text) => /\b(workflow|worker|escalati\w*|quotum|please|the case|offered)\b/i.test(text));
    expect(leftovers).toEqual([]);
  });
});

describe('the timeline as a story', () => {
  const names = { actor: () => 'Gemeente Utrecht', organisation: (id: string) => id, title: (id: string) => id, stage: (id: string) => id, date: (iso: string) => iso.slice(0, 10) };
  const at = (minute: number) => new Date(Date.UTC(2027, 0, 5, 10, minute));
  const event = (kind: string, minute: number, actor = 'system', data: Record<string, unknown> = { gateId: 'housing' }) => ({ kind, actor, reason: null, data, at: at(minute) });

  it('tells a person’s act as a sentence, in Dutch too', () => {
    const offer = event('housing_offered', 1, 'p1', { gateId: 'housing', rooms: 3, accessible: true, availableFrom: '2027-02-01' });
    expect(describeEvent('nl', offer, names)).toBe('Gemeente Utrecht deed een woningaanbod: 3 kamers, traploos, beschikbaar vanaf 2027-02-01.');
    expect(describeEvent('en', offer, names)).toBe('Gemeente Utrecht made a housing offer: 3 rooms, step-free, available from 2027-02-01.');
  });

  it('folds each run of system steps into one group, and keeps decisions and other acts in view', () => {
    // Newest first, as the page shows them.
    const events = [
      event('escalated', 9),
      event('reminder_sent', 8),
      event('checkin_due', 7),
      event('gate_approved', 6, 'p1'),
      event('reminder_sent', 5),
      event('gate_opened', 4),
      event('stage_entered', 3, 'system', { stage: 'housing' }),
      event('case_opened', 2),
    ];
    const story = storyOf(events);
    expect(story.map((e) => ('system' in e ? `system×${e.system.length}` : `${e.weight}:${e.event.kind}`))).toEqual(['system×3', 'decision:gate_approved', 'system×2', 'story:stage_entered', 'story:case_opened']);
    const first = story[0]!;
    const counts = 'system' in first ? countSystemSteps(first.system) : undefined;
    expect(counts).toEqual({ reminders: 2, escalations: 1, other: 0 });
    expect(MESSAGES.en.casePage.systemSteps(3, 1, 0)).toBe('3 reminders and 1 escalation sent by the system');
    expect(MESSAGES.en.casePage.systemSteps(1, 0, 2)).toBe('1 reminder and 2 other steps by the system');
    expect(MESSAGES.nl.casePage.systemSteps(3, 1, 0)).toBe('3 herinneringen en 1 waarschuwing aan de coördinator verstuurd door het systeem');
    expect(MESSAGES.nl.casePage.systemSteps(2, 1, 1)).toBe('2 herinneringen, 1 waarschuwing aan de coördinator en 1 andere stap door het systeem');
    // A stage's beginning holds the routine steps around it: the stage before completed, its steps opened.
    const stages = storyOf([
      event('gate_opened', 14),
      event('gate_opened', 13),
      event('stage_entered', 12, 'system', { stage: 'commitment' }),
      event('stage_completed', 11, 'system', { stage: 'eligibility' }),
      event('gate_approved', 10, 'p1'),
    ]);
    expect(stages.map((e) => ('system' in e ? `system×${e.system.length}` : `${e.event.kind}+${e.steps?.length ?? 0}`))).toEqual(['stage_entered+3', 'gate_approved+0']);
    // A person's reminder (a coordinator's nudge) is an act, not a system step.
    expect(weightOf({ kind: 'gate_nudged', actor: 'p1' })).toBe('story');
  });
});

describe('dates in emails', () => {
  it('are written in words, in the reader’s language, on the day it is in Amsterdam', () => {
    expect(dateInWords('nl', Date.parse('2026-12-04T12:00:00Z'))).toBe('vrijdag 4 december 2026');
    expect(dateInWords('en', Date.parse('2026-12-04T12:00:00Z'))).toBe('Friday 4 December 2026');
    // Half past midnight in Amsterdam is still the day before in UTC: the email says Amsterdam's day.
    expect(dateInWords('nl', Date.parse('2027-06-30T22:30:00Z'))).toBe('donderdag 1 juli 2027');
    const mail = renderMail('reminder', 'nl', { recipientName: 'Sanne', subjectKind: 'case', reference: 'CS-1', gateTitle: 'Municipal consent', dueAt: Date.parse('2026-12-04T22:59:59Z'), link: 'http://x.test/cases/1' });
    expect(mail.text).toContain('De uiterste datum is vrijdag 4 december 2026.');
    expect(mail.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
