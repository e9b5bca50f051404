/** Pathway templates as data: the built-ins parse, broken templates are refused with a reason. */
import { describe, expect, it } from 'vitest';
import { DURATION_HINT, durationMs } from '../../domain/duration.js';
import { PathwayTemplate, TimePolicy, type PathwayTemplateInput } from '../../domain/pathway.js';
import { communitySponsorship } from '../../domain/templates/community-sponsorship.js';
import { educationPathway } from '../../domain/templates/education-pathway.js';
import { humanitarianCorridor } from '../../domain/templates/humanitarian-corridor.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { resettlement } from '../../domain/templates/resettlement.js';
import { matchedSponsorship } from '../../domain/templates/matched-sponsorship.js';

const DAY = 86_400_000;

/** A deep copy of the community-sponsorship template, to break in one place. */
const broken = (edit: (t: any) => void): PathwayTemplateInput => {
  const t = structuredClone(communitySponsorship);
  edit(t);
  return t;
};
/** The messages of a refused template (fails the test if it parses). */
function refusal(input: unknown): string[] {
  const result = PathwayTemplate.safeParse(input);
  expect(result.success).toBe(false);
  return result.error!.issues.map((i) => i.message);
}

describe('durations', () => {
  it('reads plain-word durations, a month being 30 days', () => {
    expect(durationMs('14 days')).toBe(14 * DAY);
    expect(durationMs('1 day')).toBe(DAY);
    expect(durationMs('2 weeks')).toBe(14 * DAY);
    expect(durationMs('6 months')).toBe(180 * DAY);
    expect(durationMs('30 seconds')).toBe(30_000);
    expect(durationMs('5 minutes')).toBe(300_000);
    expect(durationMs('3 hours')).toBe(3 * 3_600_000);
  });

  it('throws on anything else', () => {
    for (const bad of ['14days', 'fourteen days', '14 fortnights', '-1 days', '1.5 days', ' 14 days', '']) {
      expect(() => durationMs(bad), bad).toThrow(/not a duration/);
    }
  });
});

describe('built-in templates', () => {
  it('all five parse and are the ones offered', () => {
    expect(Object.keys(builtInTemplates).sort()).toEqual(['community-sponsorship', 'education-pathway', 'humanitarian-corridor', 'matched-sponsorship', 'resettlement']);
    for (const t of [communitySponsorship, educationPathway, humanitarianCorridor, resettlement, matchedSponsorship]) {
      const result = PathwayTemplate.safeParse(t);
      expect(result.success, `${t.id}: ${result.error?.message}`).toBe(true);
    }
  });

  it('fills in the defaults', () => {
    const t = builtInTemplates['community-sponsorship']!;
    const eligibility = t.stages[0]!.gates[0]!;
    expect(eligibility.kind === 'decision' && eligibility.onReject).toEqual({ action: 'end' });
    expect(t.stages[0]!.reservesPlace).toBe(false);
    expect(t.stages.find((s) => s.id === 'arrival')!.arrival).toBe(true);
  });
});

describe('refused templates', () => {
  it('without a coordinator party', () => {
    const t = broken((x) => {
      x.parties[0].kind = 'sponsor_group';
    });
    expect(refusal(t)).toContain('a pathway needs a coordinator party');
  });

  it('with a gate id used twice', () => {
    const t = broken((x) => {
      x.stages[5].gates[1].id = 'orientation';
    });
    expect(refusal(t)).toContain('gate id "orientation" is used twice');
    const issue = PathwayTemplate.safeParse(t).error!.issues.find((i) => i.message.includes('used twice'))!;
    expect(issue.path).toEqual(['stages', 5, 'gates', 1, 'id']);
  });

  it('with duplicate party or stage ids', () => {
    expect(refusal(broken((x) => (x.parties[1].id = 'municipality')))).toContain('party ids must be unique');
    expect(refusal(broken((x) => (x.stages[1].id = 'eligibility')))).toContain('stage ids must be unique');
  });

  it('with an actor, respondent or signatory that is not a party', () => {
    expect(refusal(broken((x) => (x.stages[0].gates[0].actor = 'ngo')))).toContain(`"ngo" is not one of the pathway's parties`);
    expect(refusal(broken((x) => (x.stages[2].gates[0].respondent = 'landlord')))).toContain(`"landlord" is not one of the pathway's parties`);
    expect(refusal(broken((x) => x.stages[3].gates[0].signatories.push('notary')))).toContain(`"notary" is not one of the pathway's parties`);
  });

  it('with a rejection diverting to an unknown stage', () => {
    const t = broken((x) => {
      x.stages[1].gates[1].onReject = { action: 'divert', toStage: 'other-municipality' };
    });
    expect(refusal(t)).toContain('onReject diverts to unknown stage "other-municipality"');
  });

  it('accepts a rejection diverting to a known stage', () => {
    const t = broken((x) => {
      x.stages[1].gates[1].onReject = { action: 'divert', toStage: 'eligibility' };
    });
    expect(PathwayTemplate.safeParse(t).success).toBe(true);
  });

  it('with a reminder at or after the due date', () => {
    expect(refusal(broken((x) => (x.stages[0].gates[0].time = { dueIn: '14 days', remindAt: ['7 days', '15 days'], escalateEvery: '7 days' })))).toContain(
      'every reminder must come before the due date',
    );
    expect(refusal(broken((x) => (x.stages[0].gates[0].time = { dueIn: '2 weeks', remindAt: ['14 days'], escalateEvery: '7 days' })))).toContain(
      'every reminder must come before the due date',
    );
  });

  it('with a bad duration outside the time policy', () => {
    expect(refusal(broken((x) => (x.stages[2].gates[0].offerReminderBefore = '3 dayz')))).toContain(DURATION_HINT);
    expect(refusal(broken((x) => (x.stages[7].gates[0].supportPeriod = 'a year')))).toContain(DURATION_HINT);
    expect(refusal(broken((x) => (x.stages[0].gates[0].time.escalateEvery = 'weekly')))).toContain(DURATION_HINT);
  });

  // Once a crash: the reminder-before-due check must not parse a duration its regex refused.
  it('with a bad duration in a due date or reminder', () => {
    expect(refusal(broken((x) => (x.stages[0].gates[0].time = { dueIn: 'two weeks', remindAt: ['7 days'], escalateEvery: '7 days' })))).toContain(DURATION_HINT);
    expect(refusal(broken((x) => (x.stages[0].gates[0].time = { dueIn: '14 days', remindAt: ['7 dayz'], escalateEvery: '7 days' })))).toContain(DURATION_HINT);
    expect(TimePolicy.safeParse({ dueIn: '14 dayz', escalateEvery: '7 days' }).success).toBe(false);
  });

  it('with a gate of an unknown kind, or a stage without gates', () => {
    expect(PathwayTemplate.safeParse(broken((x) => (x.stages[0].gates[0].kind = 'vote'))).success).toBe(false);
    expect(PathwayTemplate.safeParse(broken((x) => (x.stages[0].gates = []))).success).toBe(false);
    expect(refusal(broken((x) => (x.id = 'Community Sponsorship')))).toContain('expected a lowercase slug like "municipal-consent"');
  });
});

describe('durations', () => {
  it('refuses a zero duration, which would make a timer fire for ever', () => {
    expect(TimePolicy.safeParse({ dueIn: '14 days', remindAt: [], escalateEvery: '0 days' }).success).toBe(false);
  });
});
