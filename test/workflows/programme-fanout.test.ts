// A programme reaches every open case of its own through one activity that pages through
// PostgreSQL: its history grows with its own decisions, not with its number of cases, and its state
// holds counts, not case ids (the 10,000-case figures come from `npm run bench`).
import { describe, expect, it } from 'vitest';
import { inParallel } from '../../activities/parallel.js';
import { actOnProgramme, document, programmeView, startCase, startProgramme, textRef, view } from '../support/cases.js';
import { createParties } from '../support/fixtures.js';
import { useDevServer } from '../support/stack.js';
import { oneStepTemplate } from '../support/templates.js';

const oneStep = oneStepTemplate;

describe('a programme pausing and resuming its cases', () => {
  const h = useDevServer('fanout');

  it('reaches every case with a history that does not grow with their number', async () => {
    const { parties, members } = await createParties(h.sql, oneStep);
    const coordinator = members.coordinator!;

    /** Events a fresh programme's history gains while it pauses and resumes `count` open cases. */
    async function pauseAndResume(count: number): Promise<number> {
      const { programmeId, handle } = await startProgramme(h.client, h.sql, { taskQueue: h.taskQueue, template: oneStep, coordinatorOrg: parties.coordinator!, quota: 1_000, mouSignatories: [parties.coordinator!] });
      await actOnProgramme(handle, 'publish_mou', { actor: coordinator.actor, document: document(1) });
      await actOnProgramme(handle, 'sign_mou', { actor: coordinator.actor, version: 1 });
      const cases = await inParallel([...Array(count).keys()], 8, () => startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: oneStep, parties, programmeId }));
      await expect.poll(async () => (await programmeView(handle)).openCases, { timeout: 90_000 }).toBe(count);
      const before = (await handle.describe()).historyLength;
      const held = async (paused: boolean) => (await inParallel(cases, 8, async (c) => (await view(c.handle)).programmePaused === paused)).every(Boolean);
      await actOnProgramme(handle, 'pause', { actor: coordinator.actor, reasonRef: textRef() });
      await expect.poll(async () => (await programmeView(handle)).casesTold, { timeout: 90_000 }).toBe(true);
      expect(await held(true)).toBe(true);
      await actOnProgramme(handle, 'resume', { actor: coordinator.actor });
      await expect.poll(async () => (await programmeView(handle)).casesTold, { timeout: 90_000 }).toBe(true);
      expect(await held(false)).toBe(true);
      const grown = (await handle.describe()).historyLength - before;
      const state = await programmeView(handle);
      expect(state).toMatchObject({ openCases: count, status: 'active' });
      // Its state holds counts, not the cases: as small with many cases as with a few.
      expect(JSON.stringify(state).length).toBeLessThan(4_000);
      return grown;
    }

    const few = await pauseAndResume(10);
    const many = await pauseAndResume(120);
    console.log(`programme history events for a pause and a resume: ${few} with 10 open cases, ${many} with 120`);
    // Twelve times the cases, the same handful of events: one activity per pause or resume.
    expect(many).toBeLessThanOrEqual(few + 6);
  }, 240_000);
});
