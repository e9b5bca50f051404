import type { PathwayTemplateInput } from '../pathway.js';
import { checkinGrace, sixWeeks, threeMonths, twoWeeks } from './policies.js';

/** Nomination → eligibility → admission ∥ tuition waiver → housing → agreement → student visa → pre-departure → arrival → semester check-ins. */
export const educationPathway: PathwayTemplateInput = {
  id: 'education-pathway',
  name: 'Education pathway',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinating organisation' },
    { id: 'student-sponsor', kind: 'sponsor_group', title: 'Student sponsor group' },
    { id: 'university', kind: 'university', title: 'University' },
    { id: 'municipality', kind: 'municipality', title: 'Municipality' },
    { id: 'immigration', kind: 'national_agency', title: 'Immigration service' },
  ],
  stages: [
    { id: 'eligibility', title: 'Eligibility', gates: [{ id: 'eligibility', kind: 'decision', title: 'Eligibility decision', actor: 'coordinator', todo: 'Decide on eligibility', time: twoWeeks }] },
    {
      id: 'admission',
      title: 'Admission and funding',
      reservesPlace: true,
      gates: [
        { id: 'admission', kind: 'decision', title: 'University admission', actor: 'university', todo: 'Decide on admission to the university', time: sixWeeks },
        { id: 'tuition-waiver', kind: 'decision', title: 'Tuition waiver or scholarship', actor: 'university', todo: 'Grant a tuition waiver or scholarship', time: sixWeeks },
      ],
    },
    {
      id: 'housing',
      title: 'Housing',
      gates: [{ id: 'housing', kind: 'housing', title: 'Student housing offer', actor: 'municipality', respondent: 'student-sponsor', offerReminderBefore: '3 days', escalateAfterDeclines: 2, time: sixWeeks }],
    },
    {
      id: 'agreement',
      title: 'Agreement',
      gates: [{ id: 'education-agreement', kind: 'agreement', title: 'Education pathway agreement', signatories: ['university', 'student-sponsor', 'municipality'], time: twoWeeks }],
    },
    { id: 'visa', title: 'Student visa', gates: [{ id: 'student-visa', kind: 'decision', title: 'Student visa', actor: 'immigration', todo: 'Decide on the student visa', time: threeMonths }] },
    { id: 'pre-departure', title: 'Pre-departure', gates: [{ id: 'pre-departure', kind: 'task', title: 'Pre-departure preparation completed', actor: 'coordinator', todo: 'Prepare the departure', time: sixWeeks }] },
    { id: 'arrival', title: 'Arrival', arrival: true, gates: [{ id: 'arrival', kind: 'task', title: 'Arrival confirmed', actor: 'student-sponsor', todo: 'Confirm the arrival', time: twoWeeks }] },
    {
      id: 'studies',
      title: 'Studies',
      gates: [{ id: 'semester-checkins', kind: 'checkins', title: 'Semester check-ins', actor: 'student-sponsor', reportsAt: ['6 months', '12 months', '18 months', '24 months'], supportPeriod: '24 months', time: checkinGrace }],
    },
  ],
};
