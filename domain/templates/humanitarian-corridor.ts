import type { PathwayTemplateInput } from '../pathway.js';
import { checkinGrace, sixWeeks, threeMonths, twoWeeks } from './policies.js';

/** Referral by a partner → eligibility interview → screening ∥ visa ∥ host matching and housing → agreement → travel → arrival → check-ins. */
export const humanitarianCorridor: PathwayTemplateInput = {
  id: 'humanitarian-corridor',
  name: 'Humanitarian corridor',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinating organisation' },
    { id: 'host', kind: 'sponsor_group', title: 'Host community' },
    { id: 'municipality', kind: 'municipality', title: 'Municipality' },
    { id: 'interior', kind: 'national_agency', title: 'Ministry of the Interior' },
    { id: 'foreign-affairs', kind: 'national_agency', title: 'Ministry of Foreign Affairs' },
  ],
  stages: [
    { id: 'eligibility', title: 'Eligibility interview', gates: [{ id: 'eligibility-interview', kind: 'decision', title: 'Eligibility interview', actor: 'coordinator', todo: 'Hold the eligibility interview and decide', time: twoWeeks }] },
    {
      id: 'clearance',
      title: 'Screening, visa and host matching',
      reservesPlace: true,
      gates: [
        { id: 'security-screening', kind: 'decision', title: 'Security screening', actor: 'interior', todo: 'Complete the security screening and decide', time: threeMonths },
        { id: 'humanitarian-visa', kind: 'decision', title: 'Humanitarian visa', actor: 'foreign-affairs', todo: 'Decide on the humanitarian visa', time: threeMonths },
        { id: 'housing', kind: 'housing', title: 'Host matching and housing', actor: 'municipality', respondent: 'host', offerReminderBefore: '3 days', escalateAfterDeclines: 2, time: sixWeeks },
      ],
    },
    { id: 'agreement', title: 'Agreement', gates: [{ id: 'hosting-agreement', kind: 'agreement', title: 'Hosting agreement', signatories: ['host', 'municipality', 'coordinator'], time: twoWeeks }] },
    { id: 'travel', title: 'Travel', gates: [{ id: 'travel', kind: 'task', title: 'Travel in a departure batch', actor: 'coordinator', todo: 'Put the case in a departure batch and travel', doneInBatch: 'departure', time: threeMonths }] },
    { id: 'arrival', title: 'Arrival', arrival: true, gates: [{ id: 'arrival', kind: 'task', title: 'Arrival confirmed', actor: 'host', todo: 'Confirm the arrival', doneInBatch: 'arrival', time: twoWeeks }] },
    {
      id: 'support',
      title: 'Support period',
      gates: [{ id: 'checkins', kind: 'checkins', title: 'Check-in reports', actor: 'host', reportsAt: ['1 month', '3 months', '6 months', '12 months'], supportPeriod: '12 months', time: checkinGrace }],
    },
  ],
};
