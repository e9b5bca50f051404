import type { PathwayTemplateInput } from '../pathway.js';
import { sixWeeks, threeMonths, twoWeeks } from './policies.js';

/** UNHCR referral → selection → entry decision → orientation ∥ travel → arrival in a reception centre → municipal housing. */
export const resettlement: PathwayTemplateInput = {
  id: 'resettlement',
  name: 'Resettlement',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinating organisation' },
    { id: 'immigration', kind: 'national_agency', title: 'Immigration service' },
    { id: 'reception', kind: 'national_agency', title: 'Reception agency' },
    { id: 'iom', kind: 'national_agency', title: 'IOM' },
    { id: 'municipality', kind: 'municipality', title: 'Municipality' },
  ],
  stages: [
    { id: 'selection', title: 'Selection', reservesPlace: true, gates: [{ id: 'selection', kind: 'decision', title: 'Selection (dossier or interview mission)', actor: 'immigration', todo: 'Select or decline the case', time: threeMonths }] },
    { id: 'entry', title: 'Entry decision', gates: [{ id: 'entry-decision', kind: 'decision', title: 'Entry decision', actor: 'immigration', todo: 'Decide on entry', time: sixWeeks }] },
    {
      id: 'pre-departure',
      title: 'Pre-departure',
      gates: [
        { id: 'orientation', kind: 'task', title: 'Cultural orientation completed', actor: 'reception', todo: 'Give the cultural orientation', time: sixWeeks },
        { id: 'travel', kind: 'task', title: 'Travel arranged', actor: 'iom', todo: 'Arrange the travel', doneInBatch: 'departure', time: sixWeeks },
      ],
    },
    { id: 'arrival', title: 'Arrival', arrival: true, gates: [{ id: 'arrival', kind: 'task', title: 'Arrival at the reception centre', actor: 'reception', todo: 'Confirm the arrival at the reception centre', doneInBatch: 'arrival', time: twoWeeks }] },
    {
      id: 'housing',
      title: 'Municipal housing',
      gates: [{ id: 'housing', kind: 'housing', title: 'Municipal housing allocation', actor: 'municipality', respondent: 'reception', offerReminderBefore: '3 days', escalateAfterDeclines: 2, time: threeMonths }],
    },
  ],
};
