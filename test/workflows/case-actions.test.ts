// Every gate kind and every coordinator action on the real dev server, with second-scale policies.
import { describe, expect, it } from 'vitest';
import { PathwayTemplate } from '../../domain/pathway.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { act, document, startCase, view, waitForCase, textRef } from '../support/cases.js';
import { createOrganisation, createParties, withTimePolicy } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { waitForMail } from '../support/mail.js';
import { useDevServer } from '../support/stack.js';

const SLOW = { dueIn: '10 minutes', remindAt: ['5 minutes'], escalateEvery: '5 minutes' };
const template = withTimePolicy(builtInTemplates['community-sponsorship']!, SLOW);

describe('gates and coordinator actions', () => {
  const h = useDevServer('actions');

  async function openCase(t = template) {
    const { parties, members } = await createParties(h.sql, t);
    const started = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: t, parties });
    const m = members as Required<typeof members>;
    return { ...started, parties, m };
  }

  /** Approves eligibility, plan and consent: the case reaches housing. */
  async function toHousing(handle: Awaited<ReturnType<typeof openCase>>['handle'], m: Awaited<ReturnType<typeof openCase>>['m']) {
    await act(handle, 'decide', { gateId: 'eligibility', actor: m.coordinator!.actor, outcome: 'approve' });
    await act(handle, 'decide', { gateId: 'sponsor-plan', actor: m.coordinator!.actor, outcome: 'approve' });
    return act(handle, 'decide', { gateId: 'municipal-consent', actor: m.municipality!.actor, outcome: 'approve' });
  }

  it('refuses an invalid action before it enters history, with the reason', async () => {
    const { handle, m } = await openCase();
    await expect(act(handle, 'decide', { gateId: 'eligibility', actor: m.sponsor!.actor, outcome: 'approve' })).rejects.toThrow(/your organisation does not act at gate "eligibility"/);
    await expect(act(handle, 'decide', { gateId: 'municipal-consent', actor: m.municipality!.actor, outcome: 'approve' })).rejects.toThrow(/not open: the case is in stage "eligibility"/);
    // A refusal quoting text that is not Unicode (half a surrogate pair) still goes back, mended:
    // the raw text in a failure message would make the SDK stop the worker.
    await expect(act(handle, 'nudge', { gateId: '\ud800', actor: m.coordinator!.actor })).rejects.toThrow('this pathway has no gate "\ufffd"');
    const history = await handle.fetchHistory();
    expect(history.events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    expect((await act(handle, 'decide', { gateId: 'eligibility', actor: m.coordinator!.actor, outcome: 'approve' })).stage!.id).toBe('commitment');
  });

  it('ends the case when a decision rejects it, with the reason', async () => {
    const { handle, m, caseId } = await openCase();
    const reasonRef = textRef();
    const v = await act(handle, 'decide', { gateId: 'eligibility', actor: m.coordinator!.actor, outcome: 'reject', reasonRef });
    expect(v).toMatchObject({ status: 'rejected', outcome: { code: 'rejected', gateId: 'eligibility', textRef: reasonRef, by: m.coordinator!.personId } });
    expect((await handle.result()).status).toBe('rejected');
    // The timeline refers to the reason (kept in PostgreSQL); the workflow never saw its words.
    await expect
      .poll(async () => (await h.sql`SELECT actor, data FROM case_events WHERE case_id = ${caseId} AND kind = 'case_rejected'`)[0])
      .toMatchObject({ actor: m.coordinator!.personId, data: { textRef: reasonRef, code: 'rejected', gateId: 'eligibility' } });
  });

  it('asks for more information without closing the decision', async () => {
    const { handle, m, reference } = await openCase();
    const v = await act(handle, 'decide', { gateId: 'eligibility', actor: m.coordinator!.actor, outcome: 'request_info', reasonRef: textRef() });
    expect(v.gates[0]).toMatchObject({ status: 'open', detail: { infoRequests: 1 } });
    await waitForMail((mail) => mail.to.includes(m.sponsor!.email) && mail.subject === `Update: case ${reference}`);
  });

  it('housing: capacity decline escalates, the coordinator reassigns, repeated declines escalate, an offer is accepted', async () => {
    const { handle, m, reference, parties } = await openCase();
    await toHousing(handle, m);
    await act(handle, 'decline_housing_request', { gateId: 'housing', actor: m.municipality!.actor, reasonRef: textRef() });
    await waitForMail((mail) => mail.to.includes(m.coordinator!.email) && mail.subject === `Stuck: Housing offer — case ${reference}`);

    const other = await createOrganisation(h.sql, 'municipality', 'en', 'other-municipality');
    const reassigned = await act(handle, 'reassign', { gateId: 'housing', actor: m.coordinator!.actor, organisationId: other.organisationId, reasonRef: textRef() });
    expect(reassigned.waitingOn).toEqual([other.organisationId]);
    expect(reassigned.parties.municipality).toBe(other.organisationId);
    await waitForMail((mail) => mail.to.includes(other.email) && mail.subject === `Action needed: Housing offer — case ${reference}`);

    const offer = (offerId: string) => ({ offerId, rooms: 3, accessible: true, availableFrom: '2027-02-01', validUntil: new Date(Date.now() + 3_600_000).toISOString() });
    await expect(act(handle, 'offer_housing', { gateId: 'housing', actor: m.municipality!.actor, offer: offer('old') })).rejects.toThrow(/does not act/);
    await act(handle, 'offer_housing', { gateId: 'housing', actor: other.actor, offer: offer('o1') });
    await act(handle, 'decline_offer', { gateId: 'housing', actor: m.sponsor!.actor, offerId: 'o1', reasonRef: textRef() });
    await act(handle, 'offer_housing', { gateId: 'housing', actor: other.actor, offer: offer('o2') });
    await act(handle, 'decline_offer', { gateId: 'housing', actor: m.sponsor!.actor, offerId: 'o2', reasonRef: textRef() });
    await waitForMail((mail) => mail.to.includes(m.coordinator!.email) && mail.subject === `Stuck: Housing offer — case ${reference}`, { count: 2 });
    await act(handle, 'offer_housing', { gateId: 'housing', actor: other.actor, offer: offer('o3') });
    const accepted = await act(handle, 'accept_offer', { gateId: 'housing', actor: m.sponsor!.actor, offerId: 'o3' });
    expect(accepted.stage!.id).toBe('agreement');
    // The agreement is signed by the municipality that now takes part.
    expect(accepted.gates[0]!.detail.signatories).toEqual([parties.sponsor, other.organisationId, parties.coordinator]);
  });

  it('agreement: a change request and a new version void earlier signatures; executed when all sign the current version', async () => {
    const { handle, m, parties } = await openCase();
    await toHousing(handle, m);
    await act(handle, 'offer_housing', { gateId: 'housing', actor: m.municipality!.actor, offer: { offerId: 'h', rooms: 2, accessible: false, availableFrom: '2027-01-01', validUntil: new Date(Date.now() + 3_600_000).toISOString() } });
    await act(handle, 'accept_offer', { gateId: 'housing', actor: m.sponsor!.actor, offerId: 'h' });
    const gateId = 'sponsorship-agreement';
    await expect(act(handle, 'sign', { gateId, actor: m.sponsor!.actor, version: 1 })).rejects.toThrow(/no version of the agreement has been published yet/);
    await act(handle, 'publish_agreement', { gateId, actor: m.coordinator!.actor, document: document(1) });
    await act(handle, 'sign', { gateId, actor: m.sponsor!.actor, version: 1 });
    await act(handle, 'request_changes', { gateId, actor: m.municipality!.actor, commentRef: textRef() });
    const v2 = await act(handle, 'publish_agreement', { gateId, actor: m.coordinator!.actor, document: document(2) });
    expect(v2.gates[0]!.detail).toMatchObject({ version: 2, unsigned: [parties.sponsor, parties.municipality, parties.coordinator] });
    await expect(act(handle, 'sign', { gateId, actor: m.sponsor!.actor, version: 1 })).rejects.toThrow(/version 1 is not the current version \(2\)/);
    await act(handle, 'sign', { gateId, actor: m.sponsor!.actor, version: 2 });
    await act(handle, 'sign', { gateId, actor: m.municipality!.actor, version: 2 });
    const executed = await act(handle, 'sign', { gateId, actor: m.coordinator!.actor, version: 2 });
    expect(executed.stage!.id).toBe('visa');
  });

  it('nudge reminds the organisation waited on; hold refuses actions until resume; withdraw ends the case', async () => {
    const { handle, m, reference, caseId } = await openCase();
    await act(handle, 'nudge', { gateId: 'eligibility', actor: m.coordinator!.actor });
    await waitForMail((mail) => mail.to.includes(m.coordinator!.email) && mail.subject === `Reminder: Eligibility decision — case ${reference}`);

    await act(handle, 'hold', { actor: m.coordinator!.actor, reasonRef: textRef() });
    await expect(act(handle, 'decide', { gateId: 'eligibility', actor: m.coordinator!.actor, outcome: 'approve' })).rejects.toThrow(/the case is on hold since/);
    await act(handle, 'resume', { actor: m.coordinator!.actor });
    const approved = await act(handle, 'decide', { gateId: 'eligibility', actor: m.coordinator!.actor, outcome: 'approve' });
    expect(approved.stage!.id).toBe('commitment');

    await expect(act(handle, 'withdraw', { actor: m.sponsor!.actor, reasonRef: textRef() })).rejects.toThrow(/only the case's coordinator can withdraw it/);
    const withdrawn = await act(handle, 'withdraw', { actor: m.coordinator!.actor, reasonRef: textRef() });
    expect(withdrawn.status).toBe('withdrawn');
    await handle.result();
    await recordHistory(handle, 'case-nudge-hold-withdraw');
    const kinds = (await h.sql<{ kind: string }[]>`SELECT kind FROM case_events WHERE case_id = ${caseId} ORDER BY id`).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['gate_nudged', 'case_held', 'case_resumed', 'case_withdrawn']));
  });

  it('a rejection that diverts moves the case on to the stage the template names', async () => {
    const diverting = PathwayTemplate.parse({
      id: 'assessment-or-referral',
      name: 'Assessment, or referral elsewhere',
      version: 1,
      parties: [
        { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
        { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
      ],
      stages: [
        { id: 'assessment', title: 'Assessment', gates: [{ id: 'fit', kind: 'decision', title: 'Fits this pathway', actor: 'coordinator', time: SLOW, onReject: { action: 'divert', toStage: 'referral' } }] },
        { id: 'support', title: 'Support', gates: [{ id: 'support', kind: 'task', title: 'Support arranged', actor: 'sponsor', time: SLOW }] },
        { id: 'referral', title: 'Referral', gates: [{ id: 'referral', kind: 'task', title: 'Referred to another pathway', actor: 'coordinator', time: SLOW }] },
      ],
    });
    const { handle, m, caseId } = await openCase(diverting);
    const diverted = await act(handle, 'decide', { gateId: 'fit', actor: m.coordinator!.actor, outcome: 'reject', reasonRef: textRef() });
    expect(diverted).toMatchObject({ status: 'active', stage: { id: 'referral' }, waitingOn: [m.coordinator!.organisationId] });
    const done = await act(handle, 'complete', { gateId: 'referral', actor: m.coordinator!.actor });
    expect(done.status).toBe('completed');
    await handle.result();
    await recordHistory(handle, 'case-diverted');
    const kinds = (await h.sql<{ kind: string }[]>`SELECT kind FROM case_events WHERE case_id = ${caseId} ORDER BY id`).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['gate_rejected', 'case_diverted', 'case_completed']));
  });

  it('applies an action once when it comes again with the same update id, also after continue-as-new', async () => {
    const { parties, members } = await createParties(h.sql, template);
    const m = members as Required<typeof members>;
    const { handle, caseId } = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties, maxHistoryEvents: 60 });
    const ask = () => act(handle, 'decide', { gateId: 'eligibility', actor: m.coordinator!.actor, outcome: 'request_info', reasonRef: textRef() }, 'req-the-same-key');
    expect((await ask()).gates[0]!.detail.infoRequests).toBe(1);
    expect((await ask()).gates[0]!.detail.infoRequests).toBe(1); // the server's own deduplication, same run
    const firstRun = (await handle.describe()).runId;
    // Enough nudges to pass 60 history events: the workflow continues as new, remembering the id.
    for (let i = 0; i < 15 && (await handle.describe()).runId === firstRun; i++) await act(handle, 'nudge', { gateId: 'eligibility', actor: m.coordinator!.actor });
    expect((await handle.describe()).runId).not.toBe(firstRun);
    expect((await ask()).gates[0]!.detail.infoRequests).toBe(1);
    await expect.poll(async () => (await h.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${caseId} AND kind = 'information_requested'`)[0]!.n).toBe(1);
  });

  it('a gate past due is stuck and escalates every cadence until extended', async () => {
    const quick = withTimePolicy(builtInTemplates['community-sponsorship']!, { dueIn: '3 seconds', remindAt: ['1 second'], escalateEvery: '2 seconds' });
    const { handle, m, reference, caseId } = await openCase(quick);
    await waitForMail((mail) => mail.to.includes(m.coordinator!.email) && mail.subject === `Reminder: Eligibility decision — case ${reference}`);
    await waitForMail((mail) => mail.to.includes(m.coordinator!.email) && mail.subject === `Stuck: Eligibility decision — case ${reference}`, { count: 2 });
    const stuck = await waitForCase(handle, (v) => v.stuck && v.gates[0]!.escalationsSent >= 2);
    expect(stuck.gates[0]!.stuck).toBe(true);
    await expect.poll(async () => (await h.sql`SELECT stuck FROM cases WHERE id = ${caseId}`)[0]!.stuck).toBe(true);

    const extended = await act(handle, 'extend', { gateId: 'eligibility', actor: m.coordinator!.actor, dueAt: new Date(Date.now() + 3_600_000).toISOString(), reasonRef: textRef() });
    expect(extended.stuck).toBe(false);
    await waitForCase(handle, (v) => !v.stuck);
    // The projection follows the workflow within moments.
    await expect.poll(async () => (await h.sql`SELECT stuck FROM cases WHERE id = ${caseId}`)[0]!.stuck).toBe(false);
    expect((await view(handle)).gates[0]!.escalationsSent).toBe(0);
    await recordHistory(handle, 'case-stuck-then-extended');
  });
});
