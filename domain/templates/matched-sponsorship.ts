import type { PathwayTemplateInput } from '../pathway.js';
import { checkinGrace, sixWeeks, threeMonths, twoWeeks } from './policies.js';

/**
 * A referred refugee matched with a sponsor group (as Canada's blended BVOR cases): referral →
 * eligibility → match with a sponsor group from the coordinator's shortlist → the group's members
 * checked ∥ municipal consent (valid six months, needed until arrival) → housing → agreement →
 * visa → travel and arrival in a departure batch → twelve months of check-ins.
 */
export const matchedSponsorship: PathwayTemplateInput = {
  id: 'matched-sponsorship',
  name: 'Matched sponsorship',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinating organisation' },
    { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
    { id: 'municipality', kind: 'municipality', title: 'Municipality' },
    { id: 'immigration', kind: 'national_agency', title: 'Immigration service' },
  ],
  stages: [
    { id: 'eligibility', title: 'Eligibility', gates: [{ id: 'eligibility', kind: 'decision', title: 'Eligibility decision', actor: 'coordinator', todo: 'Decide on eligibility', time: twoWeeks }] },
    {
      id: 'matching',
      title: 'Matching with a sponsor group',
      gates: [{ id: 'sponsor-match', kind: 'match', title: 'Match with a sponsor group', actor: 'coordinator', fills: 'sponsor', answerWithin: '14 days', answerReminderBefore: '3 days', time: sixWeeks }],
    },
    {
      id: 'commitment',
      title: 'Sponsor checks and municipal consent',
      reservesPlace: true,
      gates: [
        {
          id: 'sponsor-checks',
          kind: 'group-check',
          title: 'Sponsor group members checked',
          group: 'sponsor',
          everyMember: ['good-conduct'],
          someMember: ['training'],
          time: sixWeeks,
        },
        { id: 'municipal-consent', kind: 'decision', title: 'Municipal consent', actor: 'municipality', todo: 'Give or refuse municipal consent', validFor: '6 months', time: sixWeeks },
      ],
    },
    {
      id: 'housing',
      title: 'Housing',
      gates: [{ id: 'housing', kind: 'housing', title: 'Housing offer', actor: 'municipality', respondent: 'sponsor', offerReminderBefore: '3 days', escalateAfterDeclines: 2, time: sixWeeks }],
    },
    {
      id: 'agreement',
      title: 'Sponsorship agreement',
      gates: [{ id: 'sponsorship-agreement', kind: 'agreement', title: 'Sponsorship agreement', signatories: ['sponsor', 'municipality', 'coordinator'], time: twoWeeks }],
    },
    { id: 'visa', title: 'Entry visa', gates: [{ id: 'entry-visa', kind: 'decision', title: 'Entry visa', actor: 'immigration', todo: 'Decide on the entry visa', time: threeMonths }] },
    { id: 'travel', title: 'Travel', gates: [{ id: 'travel', kind: 'task', title: 'Travel in a departure batch', actor: 'coordinator', todo: 'Put the case in a departure batch and travel', doneInBatch: 'departure', time: threeMonths }] },
    { id: 'arrival', title: 'Arrival', arrival: true, gates: [{ id: 'arrival', kind: 'task', title: 'Arrival confirmed', actor: 'sponsor', todo: 'Confirm the arrival', doneInBatch: 'arrival', time: twoWeeks }] },
    {
      id: 'support',
      title: 'Support period',
      gates: [{ id: 'checkins', kind: 'checkins', title: 'Check-in reports', actor: 'sponsor', reportsAt: ['1 month', '3 months', '6 months', '12 months'], supportPeriod: '12 months', time: checkinGrace }],
    },
  ],
};
