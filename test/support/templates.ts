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
