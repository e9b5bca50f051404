// Departure batches against the real servers: three humanitarian-corridor cases of a programme
// driven to their travel stage and put in a batch, one of them held before departure; the
// departure is confirmed once (the same key again applies nothing), the two others travel and the
// held one is dropped with the case's own refusal; the arrival moves the two to their support
// stage. A case not ready is refused with a 409 and why; the cases' parties see their own case's batch.
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDepartureBatchActivities } from '../../activities/departure-batches.js';
import { startForgottenBatches } from '../../usecases/departure-batches.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import { departureBatchWorkflowId } from '../../workflows/departure-batch.js';
import { useApi } from '../support/api.js';
import { act, textRef, view, waitForCase } from '../support/cases.js';
import type { Member } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { corridorProgramme } from '../support/travel.js';

type Batch = {
  id: string;
  status: string;
  counts: Record<string, number>;
  pending: number;
  cases: { caseId: string; reference: string; status: string; code: string | null; departure: string | null; arrival: string | null }[];
};

describe('departure batches', () => {
  const h = useApi('departure-batches');
  const tag = randomUUID().slice(0, 6).toUpperCase();
  let m: Record<string, Member>;
  let programmeId: string;
  const travelling: string[] = [];
  let notReady: string;

  const handle = (caseId: string) => h.client.workflow.getHandle(caseWorkflowId(caseId));

  async function ok(who: Member, method: string, path: string, body?: unknown, key: string = randomUUID()) {
    const response = await h.call(who, method, path, body, { 'idempotency-key': key });
    const json = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(json)).toBeLessThan(300);
    return json;
  }

  const batchOf = async (id: string, who: Member = m.coordinator!) => (await (await h.call(who, 'GET', `/v1/departure-batches/${id}`)).json()) as Batch;

  beforeAll(async () => {
    const corridor = await corridorProgramme(h, `Corridor ${tag}`);
    ({ members: m, programmeId } = corridor);
    for (const i of [1, 2, 3]) travelling.push(await corridor.openCase(`HC-${tag}-${i}`));
    notReady = await corridor.openCase(`HC-${tag}-4`);
    await Promise.all(travelling.map(corridor.toTravel));
    await waitForCase(handle(notReady), (v) => v.stage?.id === 'eligibility');
  });

  it('plans a batch, refuses a case not ready, departs without the held case and arrives, each case once', async () => {
    // Planned once per key: the retry gets the same batch.
    const key = `batch-${tag}`;
    const created = await h.call(m.coordinator!, 'POST', `/v1/programmes/${programmeId}/departure-batches`, { name: 'March flight', departureDate: '2099-03-12' }, { 'idempotency-key': key });
    expect(created.status).toBe(201);
    const batch = (await created.json()) as Batch;
    expect(created.headers.get('location')).toBe(`/v1/departure-batches/${batch.id}`);
    expect(batch).toMatchObject({ status: 'planned', counts: { in: 0, dropped: 0, travelled: 0, arrived: 0 }, cases: [] });
    const again = await h.call(m.coordinator!, 'POST', `/v1/programmes/${programmeId}/departure-batches`, { name: 'March flight', departureDate: '2099-03-12' }, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(((await again.json()) as Batch).id).toBe(batch.id);
    expect((await h.sql`SELECT count(*)::int AS n FROM departure_batches WHERE programme_id = ${programmeId}`)[0]!.n).toBe(1);
    // Bad input: a 400, never a 500.
    expect((await h.call(m.coordinator!, 'POST', `/v1/programmes/${programmeId}/departure-batches`, { name: '', departureDate: 'soon' }, { 'idempotency-key': randomUUID() })).status).toBe(400);
    expect((await h.call(m.coordinator!, 'POST', `/v1/programmes/${programmeId}/departure-batches`, { name: 'Past', departureDate: '2020-01-01' }, { 'idempotency-key': randomUUID() })).status).toBe(400);

    // The ready cases: the three at their travel stage (once projected), not the one at eligibility.
    const ready = async () => ((await (await h.call(m.coordinator!, 'GET', `/v1/programmes/${programmeId}/departure-batches/ready`)).json()) as { items: { caseId: string }[] }).items.map((i) => i.caseId).sort();
    await expect.poll(ready, { timeout: 30_000 }).toEqual([...travelling].sort());

    const notReadyAnswer = await h.call(m.coordinator!, 'POST', `/v1/departure-batches/${batch.id}/cases`, { caseIds: [travelling[0], notReady] }, { 'idempotency-key': randomUUID() });
    expect(notReadyAnswer.status).toBe(409);
    expect(await notReadyAnswer.json()).toMatchObject({ code: 'not-ready-to-travel', params: { reference: `HC-${tag}-4` }, cases: [{ caseId: notReady, code: 'not-ready-to-travel' }] });
    expect((await batchOf(batch.id)).cases, 'nothing added').toEqual([]);

    const added = await ok(m.coordinator!, 'POST', `/v1/departure-batches/${batch.id}/cases`, { caseIds: travelling });
    expect(added.counts).toEqual({ in: 3, dropped: 0, travelled: 0, arrived: 0 });
    // A case is in one planned batch at a time.
    const other = await ok(m.coordinator!, 'POST', `/v1/programmes/${programmeId}/departure-batches`, { name: 'April flight', departureDate: '2099-04-12' });
    const twice = await h.call(m.coordinator!, 'POST', `/v1/departure-batches/${other.id as string}/cases`, { caseIds: [travelling[1]] }, { 'idempotency-key': randomUUID() });
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ code: 'in-another-batch' });
    expect((await ready()).length, 'none is ready for another batch').toBe(0);

    // The case's parties see their case is in the batch; outsiders and the parties see no batch itself.
    const detail = (await (await h.call(m.host!, 'GET', `/v1/cases/${travelling[0]}`)).json()) as { departureBatch: unknown };
    expect(detail.departureBatch).toEqual({ id: batch.id, name: 'March flight', departureDate: '2099-03-12', status: 'planned', caseStatus: 'in' });
    expect((await h.call(m.host!, 'GET', `/v1/departure-batches/${batch.id}`)).status).toBe(404);
    expect((await h.call(m.host!, 'GET', `/v1/programmes/${programmeId}/departure-batches`)).status).toBe(403);
    expect((await h.call(m.municipality!, 'GET', `/v1/programmes/${programmeId}/departure-batches`)).status).toBe(404);
    expect((await h.call(m.host!, 'POST', `/v1/departure-batches/${batch.id}/confirm-departure`, undefined, { 'idempotency-key': randomUUID() })).status).toBe(404);

    // The third case is held before departure: it reads as dropped, and holds nobody up.
    const held = travelling[2]!;
    await act(handle(held), 'hold', { actor: m.coordinator!.actor, reasonRef: textRef() });
    await expect.poll(async () => (await batchOf(batch.id)).cases.find((c) => c.caseId === held), { timeout: 30_000 }).toMatchObject({ status: 'dropped', code: 'case-on-hold' });
    expect((await batchOf(batch.id)).counts).toEqual({ in: 2, dropped: 1, travelled: 0, arrived: 0 });
    expect(((await (await h.call(m.host!, 'GET', `/v1/cases/${held}`)).json()) as { departureBatch: unknown }).departureBatch, 'held: out of the batch for its parties too').toBeNull();

    const versions = await Promise.all(travelling.map(async (id) => (await view(handle(id))).version));
    const confirmKey = `depart-${tag}`;
    const departed = await h.call(m.coordinator!, 'POST', `/v1/departure-batches/${batch.id}/confirm-departure`, undefined, { 'idempotency-key': confirmKey });
    expect(departed.status).toBe(200);
    const departedBody = await departed.json();
    expect(departedBody).toMatchObject({ status: 'departed' });
    // The same request again: the same answer, applied once.
    const repeated = await h.call(m.coordinator!, 'POST', `/v1/departure-batches/${batch.id}/confirm-departure`, undefined, { 'idempotency-key': confirmKey });
    expect(repeated.status).toBe(200);
    expect(await repeated.json()).toEqual(departedBody);
    // A new request to depart again is refused: the batch is no longer planned.
    const late = await h.call(m.coordinator!, 'POST', `/v1/departure-batches/${batch.id}/confirm-departure`, undefined, { 'idempotency-key': randomUUID() });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ code: 'batch-not-planned' });

    await expect.poll(async () => (await batchOf(batch.id)).pending, { timeout: 60_000 }).toBe(0);
    const afterDeparture = await batchOf(batch.id);
    expect(afterDeparture.counts).toEqual({ in: 0, dropped: 1, travelled: 2, arrived: 0 });
    expect(afterDeparture.cases.find((c) => c.caseId === held)).toMatchObject({ status: 'dropped', code: 'case-on-hold', departure: 'dropped' });
    for (const id of travelling.slice(0, 2)) {
      expect(afterDeparture.cases.find((c) => c.caseId === id)).toMatchObject({ status: 'travelled', departure: 'done', code: null });
      expect((await view(handle(id))).stage?.id).toBe('arrival');
    }
    // The fan-out runs again over cases whose results it had not recorded (a worker died after the
    // cases applied them): each case answers from the update id it remembers, and applies nothing.
    const activities = createDepartureBatchActivities({ sql: h.sql, temporal: h.client });
    await h.sql`UPDATE departure_batch_members SET departure = 'pending', status = 'in' WHERE batch_id = ${batch.id} AND status = 'travelled'`;
    for (let after = ''; ; ) {
      const page: { last: string | null } = await new MockActivityEnvironment().run(activities.runBatchPage, { batchId: batch.id, event: 'departure' as const, after });
      if (page.last === null) break;
      after = page.last;
    }
    expect((await batchOf(batch.id)).counts).toEqual({ in: 0, dropped: 1, travelled: 2, arrived: 0 });
    const afterVersions = await Promise.all(travelling.map(async (id) => (await view(handle(id))).version));
    expect(afterVersions.slice(0, 2)).toEqual(versions.slice(0, 2).map((v) => v + 1));
    expect(afterVersions[2], 'the held case unchanged').toBe(versions[2]);
    await expect
      .poll(async () => (await h.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ANY(${travelling}::uuid[]) AND kind = 'task_completed' AND data->>'batchId' = ${batch.id}`)[0]!.n)
      .toBe(2);
    // The held case is not ready for another batch while it is held.
    expect((await ready()).length).toBe(0);

    // Arrival: both travelled cases move to their support stage; the dropped one is not asked.
    const arrived = await ok(m.coordinator!, 'POST', `/v1/departure-batches/${batch.id}/confirm-arrival`);
    expect(arrived.status).toBe('arrived');
    await expect.poll(async () => (await batchOf(batch.id)).pending, { timeout: 60_000 }).toBe(0);
    const final = await batchOf(batch.id);
    expect(final.counts).toEqual({ in: 0, dropped: 1, travelled: 0, arrived: 2 });
    for (const id of travelling.slice(0, 2)) expect((await view(handle(id))).stage?.id).toBe('support');
    const seen = (await (await h.call(m.host!, 'GET', `/v1/cases/${travelling[0]}`)).json()) as { departureBatch: unknown };
    expect(seen.departureBatch).toMatchObject({ id: batch.id, status: 'arrived', caseStatus: 'arrived' });
    expect(JSON.stringify(seen)).not.toContain(travelling[1]!);
    const heldSeen = (await (await h.call(m.host!, 'GET', `/v1/cases/${held}`)).json()) as { departureBatch: unknown };
    expect(heldSeen.departureBatch, 'a dropped case is in no batch').toBeNull();

    // The other batch's departure date came unconfirmed: its coordinator's people are emailed, once.
    const env = new MockActivityEnvironment();
    expect(await env.run(activities.remindDeparture, { batchId: other.id as string })).toBe(1);
    expect(await env.run(activities.remindDeparture, { batchId: other.id as string })).toBe(0);
    const reminders = await h.sql<{ personId: string; template: string; payload: { subject: { reference: string } } }[]>`
      SELECT person_id AS "personId", template, payload FROM notifications WHERE key LIKE ${`departure-batch:${other.id as string}:%`}`;
    expect(reminders).toEqual([{ personId: m.coordinator!.personId, template: 'reminder', payload: expect.objectContaining({ subject: expect.objectContaining({ reference: `Corridor ${tag} — April flight` }) }) }]);

    // Cancelling the other (empty) batch; then it refuses to be cancelled again.
    expect((await ok(m.coordinator!, 'POST', `/v1/departure-batches/${other.id as string}/cancel`)).status).toBe('cancelled');
    const cancelledAgain = await h.call(m.coordinator!, 'POST', `/v1/departure-batches/${other.id as string}/cancel`, undefined, { 'idempotency-key': randomUUID() });
    expect(cancelledAgain.status).toBe(409);
    expect(await env.run(activities.remindDeparture, { batchId: other.id as string }), 'no reminder for a cancelled batch').toBe(0);
    const list = (await (await h.call(m.coordinator!, 'GET', `/v1/programmes/${programmeId}/departure-batches`)).json()) as { items: { id: string; status: string }[] };
    expect(list.items.map((b) => [b.id, b.status])).toEqual([
      [batch.id, 'arrived'],
      [other.id, 'cancelled'],
    ]);

    const batchHandle = h.client.workflow.getHandle(departureBatchWorkflowId(batch.id));
    expect(await batchHandle.result()).toMatchObject({ phase: 'arrived', inProgress: [] });
    await recordHistory(batchHandle, 'departure-batch');
  });

  it("starts the workflow of a planned batch whose start never reached Temporal, so its reminder is set", async () => {
    const id = randomUUID();
    await h.sql`
      INSERT INTO departure_batches (id, programme_id, organisation_id, name, departure_date, created_by, created_at)
      VALUES (${id}, ${programmeId}, ${m.coordinator!.organisationId}, 'Forgotten', '2099-06-01', ${m.coordinator!.personId}, now() - interval '5 minutes')`;
    const started = await startForgottenBatches({ sql: h.sql, temporal: h.client, taskQueue: h.taskQueue }, 60_000);
    expect(started).toContain(id);
    expect((await h.client.workflow.getHandle(departureBatchWorkflowId(id)).describe()).status.name).toBe('RUNNING');
    expect((await h.sql`SELECT workflow_started FROM departure_batches WHERE id = ${id}`)[0]!.workflow_started).toBe(true);
    expect(await startForgottenBatches({ sql: h.sql, temporal: h.client, taskQueue: h.taskQueue }, 60_000)).not.toContain(id);
    expect((await ok(m.coordinator!, 'POST', `/v1/departure-batches/${id}/cancel`)).status).toBe('cancelled');
  });
});
