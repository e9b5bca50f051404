// A refusal's kind for /metrics: the sentence a workflow gives, with what varies taken out, so that
// counts group by kind and nothing a caller sent becomes a metric label.
import { describe, expect, it } from 'vitest';
import { refusalCode } from '../../usecases/updates.js';

describe('refusalCode', () => {
  it('counts refusals that differ only in ids, dates and numbers as one kind', () => {
    expect(refusalCode('gate "visa" is not open: the case is in stage "housing"')).toBe('gate … is not open: the case is in stage …');
    expect(refusalCode('gate "Qwyzzel <script>" is not open: the case is in stage "arrival"')).toBe('gate … is not open: the case is in stage …');
    expect(refusalCode('offer 1b4e28ba-2fa1-11d2-883f-0016d3cca427 is open until 2027-01-01T10:00:00.000Z; wait for the answer or its lapse')).toBe('offer … is open until …; wait for the answer or its lapse');
    expect(refusalCode('the new due date must be later than the current one (2027-01-01T10:00:00.000Z)')).toBe('the new due date must be later than the current one (…)');
    expect(refusalCode('the case is on hold since 2026-12-03T10:00:00Z')).toBe('the case is on hold since …');
  });

  it('keeps a label short', () => {
    expect(refusalCode('x'.repeat(500))).toHaveLength(100);
  });
});
