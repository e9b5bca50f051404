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
