// Each built-in pathway, and one defined only as data, from referral to closed on the real dev server.
import { describe, expect, it } from 'vitest';
import { PathwayTemplate } from '../../domain/pathway.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { driveToCompletion, startCase } from '../support/cases.js';
import { createParties, giveEveryCheck, withTimePolicy } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { useDevServer } from '../support/stack.js';

/** Seconds instead of weeks: nothing falls due while the test acts. */
const FAST = { dueIn: '10 minutes', remindAt: ['5 minutes'], escalateEvery: '5 minutes' };

describe('pathways from referral to closed', () => {
  const h = useDevServer('pathways');

  async function runToEnd(template: PathwayTemplate) {
    const { parties, members } = await createParties(h.sql, template);
    await giveEveryCheck(h.sql, template, parties);
    const { caseId, handle } = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties });
    const final = await driveToCompletion(handle, members);
    const result = await handle.result();
    await recordHistory(handle, `case-${template.id}`);
    const timeline = await h.sql<{ kind: string }[]>`SELECT kind FROM case_events WHERE case_id = ${caseId} ORDER BY id`;
    const [row] = await h.sql`SELECT status, stage FROM cases WHERE id = ${caseId}`;
    return { final, result, timeline: timeline.map((e) => e.kind), row };
  }

  for (const id of Object.keys(builtInTemplates)) {
    it(`runs ${id} through every stage`, async () => {
      const template = withTimePolicy(builtInTemplates[id]!, FAST, '1 second');
      const { final, result, timeline, row } = await runToEnd(template);
      expect(final.status).toBe('completed');
      expect(result.completedStages.map((s) => s.stageId)).toEqual(template.stages.map((s) => s.id));
      expect(timeline[0]).toBe('case_opened');
      expect(timeline.at(-1)).toBe('case_completed');
      expect(timeline.filter((k) => k === 'stage_completed')).toHaveLength(template.stages.length);
      expect(row).toMatchObject({ status: 'completed', stage: null });
    });
  }

  it('runs a new pathway defined only as data (family reunification)', async () => {
    const familyReunification = PathwayTemplate.parse({
      id: 'family-reunification',
      name: 'Family reunification',
      version: 1,
      parties: [
        { id: 'coordinator', kind: 'coordinator', title: 'Refugee council' },
        { id: 'family', kind: 'sponsor_group', title: 'Family member in the Netherlands' },
        { id: 'immigration', kind: 'national_agency', title: 'Immigration service' },
        { id: 'municipality', kind: 'municipality', title: 'Municipality' },
      ],
      stages: [
        { id: 'application', title: 'Application', gates: [{ id: 'family-ties', kind: 'decision', title: 'Family ties established', actor: 'immigration', time: FAST }] },
        {
          id: 'preparation',
          title: 'Preparation',
          gates: [
            { id: 'mvv', kind: 'decision', title: 'Entry visa (MVV)', actor: 'immigration', time: FAST },
            { id: 'housing', kind: 'housing', title: 'Larger housing', actor: 'municipality', respondent: 'family', offerReminderBefore: '1 day', time: FAST },
          ],
        },
        { id: 'arrival', title: 'Arrival', arrival: true, gates: [{ id: 'arrival', kind: 'task', title: 'Arrival confirmed', actor: 'family', time: FAST }] },
      ],
    });
    const { final, timeline } = await runToEnd(familyReunification);
    expect(final.status).toBe('completed');
    expect(final.pathway).toEqual({ id: 'family-reunification', name: 'Family reunification', version: 1 });
    expect(timeline).toContain('housing_offer_accepted');
  });
});
