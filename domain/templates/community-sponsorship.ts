import type { PathwayTemplateInput } from '../pathway.js';
import { checkinGrace, sixWeeks, threeMonths, twoWeeks } from './policies.js';

/** Referral → eligibility → sponsor commitment ∥ municipal consent → housing → agreement → visa → pre-departure → arrival → 12 months of check-ins. */
export const communitySponsorship: PathwayTemplateInput = {
  id: 'community-sponsorship',
  name: 'Community sponsorship',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinating organisation' },
    { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
    { id: 'municipality', kind: 'municipality', title: 'Municipality' },
    { id: 'immigration', kind: 'national_agency', title: 'Immigration service' },
    { id: 'iom', kind: 'national_agency', title: 'IOM' },
  ],
  stages: [
    { id: 'eligibility', title: 'Eligibility', gates: [{ id: 'eligibility', kind: 'decision', title: 'Eligibility decision', actor: 'coordinator', todo: 'Decide on eligibility', time: twoWeeks }] },
    {
      id: 'commitment',
      title: 'Sponsor commitment and municipal consent',
      reservesPlace: true,
      gates: [
        { id: 'sponsor-plan', kind: 'decision', title: 'Settlement plan and financial pledge approved', actor: 'coordinator', todo: 'Approve the settlement plan and financial pledge', time: twoWeeks },
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
    {
      id: 'pre-departure',
      title: 'Pre-departure',
      gates: [
        { id: 'orientation', kind: 'task', title: 'Pre-departure orientation completed', actor: 'iom', todo: 'Give the pre-departure orientation', time: sixWeeks },
        { id: 'travel', kind: 'task', title: 'Travel booked', actor: 'iom', todo: 'Book the travel', time: sixWeeks },
      ],
    },
    { id: 'arrival', title: 'Arrival', arrival: true, gates: [{ id: 'arrival', kind: 'task', title: 'Arrival confirmed', actor: 'sponsor', todo: 'Confirm the arrival', time: twoWeeks }] },
    {
      id: 'support',
      title: 'Support period',
      gates: [{ id: 'checkins', kind: 'checkins', title: 'Check-in reports', actor: 'sponsor', reportsAt: ['1 month', '3 months', '6 months', '12 months'], supportPeriod: '12 months', time: checkinGrace }],
    },
  ],
};
