// An outcome that expires before the case stops needing it, on the time-skipping server with the
// real activities: a municipal consent valid six months runs out while the visa is still being
// decided; the consent opens again beside the visa, the municipality is told, the board lists it
// as open again, and the case travels only once it is renewed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../infra/db.js';
import { recordHistory } from '../support/histories.js';
import { act, startCase, view, waitForCase } from '../support/cases.js';
import { createParties } from '../support/fixtures.js';
import { waitForMail } from '../support/mail.js';
import { testDb } from '../support/stack.js';
import { consentThenVisa } from '../support/templates.js';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping.js';

// Steps due in a year: only the consent's validity fires while the test skips months.
const consentThenVisaTemplate = consentThenVisa('6 months', { dueIn: '12 months', remindAt: [], escalateEvery: '4 weeks' });

describe('outcomes that expire, on the time-skipping server', () => {
  let sql: Sql;
  let ts: TimeSkipping;

  beforeAll(async () => {
    sql = testDb();
    ts = await startTimeSkipping(sql, 'expiring');
  });
  afterAll(async () => {
    await ts?.stop();
    await sql?.end();
  });

  it('reopens a consent that expires before arrival, tells the municipality, shows it on the board, and holds the case until it is renewed', async () => {
    const { parties, members } = await createParties(sql, consentThenVisaTemplate);
    const { caseId, reference, handle } = await startCase(ts.env.client, sql, { taskQueue: ts.taskQueue, template: consentThenVisaTemplate, parties });
    await waitForCase(handle, (v) => v.gates.some((g) => g.id === 'municipal-consent'));
    const approved = await act(handle, 'decide', { gateId: 'municipal-consent', actor: members.municipality!.actor, outcome: 'approve' });
    expect(approved.stage?.id).toBe('visa');
    const expiresAt = approved.relied[0]!.expiresAt!;
    expect(approved.relied).toEqual([{ gateId: 'municipal-consent', neededUntil: 'arrival', expiresAt }]);
    expect(approved.nextWakeAt).toBe(expiresAt);

    await ts.env.sleep('170 days');
    expect((await view(handle)).gates.map((g) => g.id)).toEqual(['entry-visa']);
    await ts.env.sleep('15 days'); // six months have passed
    const reopened = await waitForCase(handle, (v) => v.gates.some((g) => g.id === 'municipal-consent' && g.status === 'open'));
    expect(reopened.stage?.id).toBe('visa');
    expect(reopened.gates.find((g) => g.id === 'municipal-consent')).toMatchObject({ status: 'open', reopened: { reason: 'expired', times: 1 }, waitingOn: [members.municipality!.organisationId] });
    expect(reopened.relied).toEqual([]);
    await waitForMail((m) => m.to.includes(members.municipality!.email) && m.subject === `Action needed: Municipal consent — case ${reference}` && m.text.includes('expired'));
    // The board's "open again", from the projection.
    await expect
      .poll(async () => (await sql`SELECT reopened FROM open_gates WHERE case_id = ${caseId} AND gate_id = 'municipal-consent' AND first_party`).map((r) => r.reopened))
      .toEqual(['expired']);

    // The visa comes: the case still waits on the consent before it moves on to arrival.
    const visa = await act(handle, 'decide', { gateId: 'entry-visa', actor: members.immigration!.actor, outcome: 'approve' });
    expect(visa.stage?.id).toBe('visa');
    expect(visa.waitingOn).toEqual([members.municipality!.organisationId]);
    const renewed = await act(handle, 'decide', { gateId: 'municipal-consent', actor: members.municipality!.actor, outcome: 'approve' });
    expect(renewed.stage?.id).toBe('arrival');
    // Renewed, and needed until arrival is done.
    expect(renewed.relied).toHaveLength(1);
    const arrived = await act(handle, 'complete', { gateId: 'arrival', actor: members.coordinator!.actor });
    expect(arrived.status).toBe('completed');
    await handle.result();
    await recordHistory(handle, 'case-outcome-expired');
  });
});
