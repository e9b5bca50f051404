/** Refusals as codes: what the rules return, the API's English words for each, and reading one back. */
import { describe, expect, it } from 'vitest';
import { refuseAction } from '../../domain/case-actions.js';
import { asRefusal, REFUSAL_CODES, refusalParams } from '../../domain/refusal.js';
import { refusalText } from '../../domain/refusal-text.js';
import { actor, makeCase, T0 } from './helpers.js';
import { allSampleRefusals, SAMPLE_REFUSALS } from './refusal-samples.js';

describe('refusal codes', () => {
  it('are kebab-case, and every one has a sample here', () => {
    for (const code of REFUSAL_CODES) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(Object.keys(SAMPLE_REFUSALS).sort()).toEqual([...REFUSAL_CODES].sort());
  });

  it('each have English words for the API, with nothing left unfilled', () => {
    for (const refusal of allSampleRefusals()) {
      const text = refusalText(refusal);
      expect(text, refusal.code).toMatch(/^[a-z0-9"]/);
      expect(text, refusal.code).not.toMatch(/undefined|NaN|\[object/);
    }
  });

  it('are what the rules return: a code and what it concerns, plain JSON', () => {
    const { s } = makeCase({ now: T0 });
    const refusal = refuseAction(s, { type: 'decide', gateId: 'municipal-consent', outcome: 'approve', actor: actor('municipality') }, T0);
    expect(refusal).toEqual({ code: 'gate-not-open', gateId: 'municipal-consent', stageId: 'eligibility' });
    expect(JSON.parse(JSON.stringify(refusal))).toEqual(refusal);
    expect(refusalText(refusal!)).toBe('gate "municipal-consent" is not open: the case is in stage "eligibility"');
    expect(refusalParams(refusal!)).toEqual({ gateId: 'municipal-consent', stageId: 'eligibility' });
  });
});

describe('reading a refusal back (asRefusal)', () => {
  it('takes a known code with flat values, such as every sample', () => {
    for (const refusal of allSampleRefusals()) expect(asRefusal(JSON.parse(JSON.stringify(refusal)))).toEqual(refusal);
  });

  it('refuses what is not a refusal it knows', () => {
    for (const value of [undefined, null, 'not-your-turn', ['not-your-turn'], {}, { code: 'no-such-code' }, { code: 'toString' }, { code: 'not-your-turn', gateId: { nested: true } }, { code: 'quota-below-taken', taken: Number.NaN }])
      expect(asRefusal(value), JSON.stringify(value)).toBeUndefined();
  });
});
