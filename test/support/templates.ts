/** Small pathways for tests and the benchmark, where the pathway itself is not what is measured. */
import { PathwayTemplate } from '../../domain/pathway.js';

/** One step for the sponsor group, due in a month: a case that waits, and nothing fires meanwhile. */
export const oneStepTemplate = PathwayTemplate.parse({
  id: 'one-step',
  name: 'One step',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
    { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
  ],
  stages: [{ id: 'step', title: 'Step', gates: [{ id: 'step', kind: 'task', title: 'Step', actor: 'sponsor', time: { dueIn: '30 days', remindAt: [], escalateEvery: '30 days' } }] }],
});

/**
 * One stage whose steps wait on four kinds of party at once, due after 1, 10 and 40 days: a case
 * opened days ago has some steps overdue and some not, on several parties' turns (the agreement
 * on two signatories at once).
 */
export const manyPartiesTemplate = PathwayTemplate.parse({
  id: 'many-parties',
  name: 'Many parties',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
    { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
    { id: 'municipality', kind: 'municipality', title: 'Municipality' },
    { id: 'immigration', kind: 'national_agency', title: 'Immigration service' },
  ],
  stages: [
    {
      id: 'start',
      title: 'Start',
      gates: [
        { id: 'consent', kind: 'decision', title: 'Municipal consent', actor: 'municipality', time: { dueIn: '1 day', remindAt: [], escalateEvery: '30 days' } },
        { id: 'visa', kind: 'decision', title: 'Visa', actor: 'immigration', time: { dueIn: '10 days', remindAt: [], escalateEvery: '30 days' } },
        { id: 'plan', kind: 'task', title: 'Settlement plan', actor: 'sponsor', time: { dueIn: '40 days', remindAt: [], escalateEvery: '30 days' } },
      ],
    },
  ],
});

/**
 * A municipal consent valid for `validFor`, needed until arrival, then a visa decided while it may
 * run out, then the arrival: where an outcome that expires opens its step again.
 */
export function consentThenVisa(validFor: string, time = { dueIn: '30 days', remindAt: [] as string[], escalateEvery: '7 days' }): PathwayTemplate {
  return PathwayTemplate.parse({
    id: 'consent-then-visa',
    name: 'Consent then visa',
    version: 1,
    parties: [
      { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
      { id: 'municipality', kind: 'municipality', title: 'Municipality' },
      { id: 'immigration', kind: 'national_agency', title: 'Immigration' },
    ],
    stages: [
      { id: 'consent', title: 'Consent', gates: [{ id: 'municipal-consent', kind: 'decision', title: 'Municipal consent', actor: 'municipality', validFor, time }] },
      { id: 'visa', title: 'Visa', gates: [{ id: 'entry-visa', kind: 'decision', title: 'Entry visa', actor: 'immigration', time }] },
      { id: 'arrival', title: 'Arrival', arrival: true, gates: [{ id: 'arrival', kind: 'task', title: 'Arrival confirmed', actor: 'coordinator', time }] },
    ],
  });
}
