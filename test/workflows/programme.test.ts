// Programme workflow on the real dev server: MoU, quota with waitlist, pause and resume of its cases.
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { act, actOnProgramme, document, programmeView, startCase, startProgramme, waitForCase, textRef } from '../support/cases.js';
import { createOrganisation, createParties, withTimePolicy } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { useDevServer } from '../support/stack.js';

const template = withTimePolicy(builtInTemplates['community-sponsorship']!, { dueIn: '10 minutes', remindAt: ['5 minutes'], escalateEvery: '5 minutes' });

describe('programmes', () => {
  const h = useDevServer('programme');

  /** A programme whose MoU the coordinator, a ministry and a municipality sign. */
  async function activeProgramme(quota: number) {
    const coordinator = await createOrganisation(h.sql, 'coordinator');
    const ministry = await createOrganisation(h.sql, 'national_agency', 'en', 'ministry');
    const municipality = await createOrganisation(h.sql, 'municipality');
    const signatories = [coordinator, ministry, municipality];
    const { programmeId, handle } = await startProgramme(h.client, h.sql, { taskQueue: h.taskQueue, template, coordinatorOrg: coordinator.organisationId, quota, mouSignatories: signatories.map((s) => s.organisationId) });
    expect((await programmeView(handle)).status).toBe('draft');
    const v1 = await actOnProgramme(handle, 'publish_mou', { actor: coordinator.actor, document: document(1) });
    expect(v1.status).toBe('negotiating');
    await actOnProgramme(handle, 'sign_mou', { actor: ministry.actor, version: 1 });
    await actOnProgramme(handle, 'request_mou_changes', { actor: municipality.actor, commentRef: textRef() });
    const v2 = await actOnProgramme(handle, 'publish_mou', { actor: coordinator.actor, document: document(2) });
    expect(v2.mou.unsigned).toHaveLength(3);
    for (const s of signatories) await actOnProgramme(handle, 'sign_mou', { actor: s.actor, version: 2 });
    const active = await programmeView(handle);
    expect(active).toMatchObject({ status: 'active', mou: { version: 2, unsigned: [] } });
    return { programmeId, handle, coordinator };
  }

  async function caseIn(programmeId: string, coordinator: Awaited<ReturnType<typeof createOrganisation>>) {
    const { parties, members } = await createParties(h.sql, template);
    parties.coordinator = coordinator.organisationId;
    members.coordinator = coordinator;
    const started = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties, programmeId });
    const m = members as Required<typeof members>;
    await act(started.handle, 'decide', { gateId: 'eligibility', actor: m.coordinator!.actor, outcome: 'approve' });
    return { ...started, m };
  }

  it('reserves places up to the quota, waitlists the next case and gives it the place that frees', async () => {
    const { programmeId, handle, coordinator } = await activeProgramme(1);
    const first = await caseIn(programmeId, coordinator);
    await waitForCase(first.handle, (v) => v.place === 'reserved' && v.stage?.id === 'commitment' && v.gates.length === 2);
    const second = await caseIn(programmeId, coordinator);
    const waiting = await waitForCase(second.handle, (v) => v.status === 'waitlisted');
    expect(waiting).toMatchObject({ place: 'requested', gates: [], nextStep: 'waiting for a place in the programme' });
    await expect(act(second.handle, 'decide', { gateId: 'sponsor-plan', actor: coordinator.actor, outcome: 'approve' })).rejects.toThrow(/waiting for a place/);
    await expect.poll(async () => (await programmeView(handle)).quota).toEqual({ total: 1, used: 0, reserved: 1, free: 0, waitlisted: 1 });

    await act(first.handle, 'withdraw', { actor: coordinator.actor, reasonRef: textRef() });
    const granted = await waitForCase(second.handle, (v) => v.status === 'active' && v.place === 'reserved');
    expect(granted.gates.map((g) => g.id)).toEqual(['sponsor-plan', 'municipal-consent']);
    await recordHistory(second.handle, 'case-waitlist-granted');
    await expect.poll(async () => (await programmeView(handle)).quota).toEqual({ total: 1, used: 0, reserved: 1, free: 0, waitlisted: 0 });

    // Raising the quota lets a third case straight in.
    await actOnProgramme(handle, 'set_quota', { actor: coordinator.actor, quota: 2 });
    const third = await caseIn(programmeId, coordinator);
    await waitForCase(third.handle, (v) => v.place === 'reserved');
    const [row] = await h.sql`SELECT quota, state->'quota' AS q FROM programmes WHERE id = ${programmeId}`;
    await expect.poll(async () => (await h.sql`SELECT state->'quota'->>'reserved' AS r FROM programmes WHERE id = ${programmeId}`)[0]!.r).toBe('2');
    expect(row!.quota).toBe(2);
    await recordHistory(handle, 'programme-quota-waitlist-grant');
  });

  it('pause holds every open case and refuses their actions until resume', async () => {
    const { programmeId, handle, coordinator } = await activeProgramme(5);
    const a = await caseIn(programmeId, coordinator);
    const b = await caseIn(programmeId, coordinator);
    await waitForCase(b.handle, (v) => v.place === 'reserved');
    await expect(actOnProgramme(handle, 'pause', { actor: a.m.sponsor!.actor, reasonRef: textRef() })).rejects.toThrow(/only the programme's coordinator can pause it/);
    const pauseReason = textRef();
    const paused = await actOnProgramme(handle, 'pause', { actor: coordinator.actor, reasonRef: pauseReason });
    expect(paused).toMatchObject({ status: 'paused', paused: { reasonRef: pauseReason }, casesTold: false });
    // The fan-out reaches every open case, and the programme says when it has.
    await expect.poll(async () => (await programmeView(handle)).casesTold, { timeout: 30_000 }).toBe(true);
    for (const c of [a, b]) {
      const held = await waitForCase(c.handle, (v) => v.programmePaused);
      expect(held.nextStep).toBe('held: the programme is paused');
      await expect(act(c.handle, 'decide', { gateId: 'sponsor-plan', actor: coordinator.actor, outcome: 'approve' })).rejects.toThrow(/the programme is paused since/);
    }
    await actOnProgramme(handle, 'resume', { actor: coordinator.actor });
    await waitForCase(a.handle, (v) => !v.programmePaused);
    const moved = await act(a.handle, 'decide', { gateId: 'sponsor-plan', actor: coordinator.actor, outcome: 'approve' });
    expect(moved.gates.find((g) => g.id === 'sponsor-plan')!.status).toBe('done');
    const kinds = (await h.sql<{ kind: string }[]>`SELECT kind FROM programme_events WHERE programme_id = ${programmeId} ORDER BY id`).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['programme_created', 'mou_published', 'mou_executed', 'programme_paused', 'programme_resumed']));
    await recordHistory(handle, 'programme-mou-pause-resume');
    await recordHistory(a.handle, 'case-in-paused-programme');
  });
});
