/**
 * Every refusal the rules can give has words in every language of the pages — with titles and
 * dates, never ids or ISO instants, and no English in the Dutch. A code added to domain/refusal.ts
 * without words here fails (and does not compile).
 */
import { describe, expect, it } from 'vitest';
import type { Language } from '../../domain/organisation.js';
import { REFUSAL_CODES, type Refusal } from '../../domain/refusal.js';
import { refusalText as englishDetail } from '../../domain/refusal-text.js';
import { MESSAGES } from '../../web/i18n/index.js';
import type { RefusalLookups } from '../../web/i18n/refusal-words.js';
import { dateLookups, refusalText } from '../../web/refusals.js';
import { allSampleRefusals, SAMPLE_IDS } from '../domain/refusal-samples.js';

const LANGUAGES = Object.keys(MESSAGES) as Language[];
const TITLES: Record<Language, { step: string; stage: string }> = { en: { step: 'Sample step', stage: 'Sample stage' }, nl: { step: 'Voorbeeldstap', stage: 'Voorbeeldfase' } };

/** A case page's lookups: the sample step and stage have titles, as a case's own do. */
function caseLookups(lang: Language): RefusalLookups {
  const { step, stage } = TITLES[lang];
  return { ...dateLookups(MESSAGES[lang]), step: (id) => (id === SAMPLE_IDS.gateId ? step : undefined), stage: (id) => (id === SAMPLE_IDS.stageId ? stage : undefined) };
}

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** Words that give English away in a Dutch sentence (none of them is Dutch). */
const ENGLISH = /\b(the|your|only|gate|step|stage|case|offer|already|must|needs|version|not|this|can|since|until)\b/i;

/** Renders as a page would, failing on a code with no words rather than falling back to English. */
function words(lang: Language, refusal: Refusal, lookups: RefusalLookups): string {
  const render = MESSAGES[lang].refusals[refusal.code] as ((p: object, l: RefusalLookups) => string) | undefined;
  expect(render, `${lang}: no words for "${refusal.code}"`).toBeTypeOf('function');
  const { code: _code, ...params } = refusal;
  return render!(params, lookups);
}

describe('refusal words on the pages', () => {
  it.each(LANGUAGES)('%s has words for every refusal code', (lang) => {
    const missing = REFUSAL_CODES.filter((code) => typeof MESSAGES[lang].refusals[code] !== 'function');
    expect(missing).toEqual([]);
  });

  it.each(LANGUAGES)('%s words every refusal without ids, ISO instants or unfilled parts, on a case page and off it', (lang) => {
    for (const refusal of allSampleRefusals()) {
      for (const lookups of [caseLookups(lang), dateLookups(MESSAGES[lang])]) {
        const text = words(lang, refusal, lookups);
        const where = `${lang} ${JSON.stringify(refusal)}: ${text}`;
        expect(text.trim(), where).not.toBe('');
        for (const id of Object.values(SAMPLE_IDS)) expect(text, where).not.toContain(id);
        expect(text, where).not.toMatch(ISO_INSTANT);
        expect(text, where).not.toMatch(/undefined|NaN|\[object/);
        // What the refusal concerns, by its title on a case page (a step the pathway lacks has none).
        if ('gateId' in refusal && refusal.code !== 'gate-unknown' && lookups.step(SAMPLE_IDS.gateId)) expect(text, where).toContain(TITLES[lang].step);
      }
    }
  });

  it('has no English in the Dutch words', () => {
    for (const refusal of allSampleRefusals()) {
      const text = words('nl', refusal, caseLookups('nl'));
      expect(text.replaceAll(TITLES.nl.step, '').replaceAll(TITLES.nl.stage, ''), text).not.toMatch(ENGLISH);
    }
  });

  it('words each refusal on the page as a reader reads it, not as the API sends it', () => {
    const refusal: Refusal = { code: 'due-date-not-later', currentDueAt: '2027-03-01T12:00:00.000Z' };
    const refused = { refusal, detail: englishDetail(refusal) };
    expect(refusalText(MESSAGES.nl, refused, dateLookups(MESSAGES.nl))).toBe('de nieuwe uiterste datum moet later zijn dan de huidige (1 mrt 2027, 13:00)');
    expect(refusalText(MESSAGES.en, refused, dateLookups(MESSAGES.en))).toBe('the new due date must be later than the current one (1 Mar 2027, 13:00)');
  });
});
