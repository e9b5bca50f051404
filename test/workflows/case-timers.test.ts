// Month-scale time on the time-skipping server: reminders, escalation, stuck, extension, offer lapses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathwayTemplate } from '../../domain/pathway.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import type { Sql } from '../../infra/db.js';
import { recordHistory } from '../support/histories.js';
import { act, startCase, view, waitForCase, textRef } from '../support/cases.js';
import { createParties } from '../support/fixtures.js';
import { receivedMail, waitForMail } from '../support/mail.js';
import { testDb } from '../support/stack.js';
import { DAY_MS, startTimeSkipping, type TimeSkipping } from '../support/time-skipping.js';
import { searchAttributes } from '../../workflows/contract.js';

const housingOnly = PathwayTemplate.parse({
  id: 'housing-only',
  name: 'Housing only',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
    { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
    { id: 'municipality', kind: 'municipality', title: 'Municipality' },
  ],
  stages: [
    {
      id: 'housing',
      title: 'Housing',
      gates: [{ id: 'housing', kind: 'housing', title: 'Housing offer', actor: 'municipality', respondent: 'sponsor', offerReminderBefore: '3 days', escalateAfterDeclines: 2, time: { dueIn: '6 weeks', remindAt: ['4 weeks'], escalateEvery: '1 week' } }],
    },
  ],
});

describe('case timers on the time-skipping server', () => {
  let sql: Sql;
  let ts: TimeSkipping;

  beforeAll(async () => {
    sql = testDb();
    ts = await startTimeSkipping(sql, 'timers');
  });
  afterAll(async () => {
    await ts?.stop();
    await sql?.end();
  });

  it('reminds at 7 and 12 days, escalates at 14 and 21, shows stuck, and calms down when extended', async () => {
    const template = builtInTemplates['community-sponsorship']!;
    const { parties, members } = await createParties(sql, template);
    const coordinator = members.coordinator!;
    const { caseId, reference, handle } = await startCase(ts.env.client, sql, { taskQueue: ts.taskQueue, template, parties });
    const mine = async (prefix: string) => (await receivedMail()).filter((m) => m.to.includes(coordinator.email) && m.subject.startsWith(prefix));
    await waitForMail((m) => m.to.includes(coordinator.email) && m.subject === `Action needed: Eligibility decision — case ${reference}`);
    const wallStart = Date.now();

    await ts.env.sleep('6 days');
    expect(await mine('Reminder:')).toHaveLength(0);
    await ts.env.sleep('1 day');
    await waitForMail((m) => m.to.includes(coordinator.email) && m.subject.startsWith('Reminder:'));
    await ts.env.sleep('5 days');
    await waitForMail((m) => m.to.includes(coordinator.email) && m.subject.startsWith('Reminder:'), { count: 2 });
    expect((await view(handle)).stuck).toBe(false);

    await ts.env.sleep('2 days');
    const [escalation] = await waitForMail((m) => m.to.includes(coordinator.email) && m.subject.startsWith('Stuck:'));
    expect(escalation!.subject).toBe(`Stuck: Eligibility decision — case ${reference}`);
    const stuck = await waitForCase(handle, (v) => v.stuck);
    expect(stuck.gates[0]).toMatchObject({ id: 'eligibility', remindersSent: 2, escalationsSent: 1, stuck: true });
    await expect.poll(async () => (await sql`SELECT stuck FROM cases WHERE id = ${caseId}`)[0]!.stuck).toBe(true);
    const described = await handle.describe();
    expect(described.typedSearchAttributes.get({ name: 'Stuck', type: 'BOOL' } as never)).toBe(true);

    await ts.env.sleep('7 days');
    await waitForMail((m) => m.to.includes(coordinator.email) && m.subject.startsWith('Stuck:'), { count: 2 });

    const now = await ts.env.currentTimeMs();
    const extended = await act(handle, 'extend', { gateId: 'eligibility', actor: coordinator.actor, dueAt: new Date(now + 10 * DAY_MS).toISOString(), reasonRef: textRef() });
    expect(extended.stuck).toBe(false);
    await ts.env.sleep('9 days');
    expect(await mine('Stuck:')).toHaveLength(2);
    await ts.env.sleep('2 days');
    await waitForMail((m) => m.to.includes(coordinator.email) && m.subject.startsWith('Stuck:'), { count: 3 });

    // Five weeks of workflow time took seconds.
    expect(Date.now() - wallStart).toBeLessThan(60_000);
  });

  it('reminds the sponsor before an offer lapses, lapses it, and takes a new offer', async () => {
    const { parties, members } = await createParties(sql, housingOnly);
    const { sponsor, municipality, coordinator } = members as Required<typeof members>;
    const { reference, handle } = await startCase(ts.env.client, sql, { taskQueue: ts.taskQueue, template: housingOnly, parties });
    const now = await ts.env.currentTimeMs();
    const offer = { offerId: 'offer-1', rooms: 3, accessible: true, availableFrom: '2027-03-01', validUntil: new Date(now + 10 * DAY_MS).toISOString() };
    const offered = await act(handle, 'offer_housing', { gateId: 'housing', actor: municipality!.actor, offer });
    expect(offered.waitingOn).toEqual([parties.sponsor]);
    await waitForMail((m) => m.to.includes(sponsor!.email) && m.subject === `Housing offer for case ${reference}`);

    await ts.env.sleep('7 days');
    await waitForMail((m) => m.to.includes(sponsor!.email) && m.subject === `Housing offer for case ${reference} lapses soon`);
    await ts.env.sleep('3 days');
    await waitForMail((m) => m.subject === `Housing offer for case ${reference} lapsed`, { count: 2 });
    const lapsed = await waitForCase(handle, (v) => v.waitingOn[0] === parties.municipality);
    expect(lapsed.gates[0]!.detail).toMatchObject({ offers: [{ offerId: 'offer-1', status: 'lapsed' }] });
    await expect(act(handle, 'accept_offer', { gateId: 'housing', actor: sponsor!.actor, offerId: 'offer-1' })).rejects.toThrow(/offer offer-1 lapsed/);

    // No capacity: coordinators are told at once, and the step is theirs: choose another municipality.
    const declined = await act(handle, 'decline_housing_request', { gateId: 'housing', actor: municipality!.actor, reasonRef: textRef() });
    expect(declined.waitingOn).toEqual([parties.coordinator]);
    expect(declined.gates[0]!.turn).toMatchObject({ todo: 'choose-another', declinedBy: parties.municipality, organisations: [parties.coordinator] });
    await waitForMail((m) => m.to.includes(coordinator!.email) && m.subject === `Stuck: Housing offer — case ${reference}`);
    // The case's search attribute says so too (this run began with the patch).
    await expect.poll(async () => (await handle.describe()).typedSearchAttributes.get(searchAttributes.waitingOn), { timeout: 10_000 }).toEqual([parties.coordinator]);

    const second = { ...offer, offerId: 'offer-2', validUntil: new Date(now + 20 * DAY_MS).toISOString() };
    await act(handle, 'offer_housing', { gateId: 'housing', actor: municipality!.actor, offer: second });
    const accepted = await act(handle, 'accept_offer', { gateId: 'housing', actor: sponsor!.actor, offerId: 'offer-2' });
    expect(accepted.status).toBe('completed');
    await handle.result();
    // Recorded once as it ran before turns were named, and again since (a run with the patch).
    await recordHistory(handle, process.env.RECORD_LEGACY ? 'case-offer-lapsed' : 'case-housing-declined-turn');
  });
});
