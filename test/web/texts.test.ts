// Texts the pages take from elsewhere — refusal reasons from the rules, titles from the built-in
// pathways — made readable for each reader.
import { describe, expect, it } from 'vitest';
import { refuseAction } from '../../domain/case-actions.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { localTitle, MESSAGES } from '../../web/i18n/index.js';
import { actor, makeCase, T0 } from '../domain/helpers.js';
import { refusalText } from '../../web/refusals.js';

describe('refusal reasons on the pages', () => {
  it('keeps the reason in English for English readers, with dates in their format', () => {
    expect(refusalText(MESSAGES.en, 'en', 'the case is on hold since 2027-01-05T10:00:00.000Z: waiting for a passport')).toBe(
      'the case is on hold since 5 Jan 2027, 11:00: waiting for a passport',
    );
  });

  it('gives Dutch readers the common reasons in Dutch', () => {
    expect(refusalText(MESSAGES.nl, 'nl', 'your organisation does not act at gate "housing" now')).toBe('uw organisatie is nu niet aan zet bij stap "housing"');
    expect(refusalText(MESSAGES.nl, 'nl', 'offer 4f0c was already accepted')).toBe('dit woningaanbod is al geaccepteerd');
    expect(refusalText(MESSAGES.nl, 'nl', 'the new due date must be later than the current one (2027-03-01T12:00:00.000Z)')).toBe('de nieuwe uiterste datum moet later zijn dan de huidige (1 mrt 2027, 13:00)');
  });

  it('translates what the rules actually say, not a copy of it', () => {
    // A reason produced by the domain rules themselves, so a change of wording there shows here.
    const { s } = makeCase({ now: T0 });
    const reason = refuseAction(s, { type: 'decide', gateId: 'eligibility', outcome: 'approve', actor: actor('sponsor') }, T0);
    expect(refusalText(MESSAGES.nl, 'nl', reason!)).toBe('uw organisatie is nu niet aan zet bij stap "eligibility"');
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
