// A sponsor group's roster through the API, on the real servers: who reads it and who changes it,
// exactly once per Idempotency-Key; and what a matched-sponsorship case makes of it — its
// `sponsor-checks` step open with the counts of what the group lacks, done once the checks are
// recorded, open again when a member joins, done again with the new member's check. A change whose
// delivery never started reaches the case through the watchdog.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView, GateView } from '../../domain/case-view.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { changeRoster, type GroupMember } from '../../usecases/group-members.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import { rosterDeliveryWorkflowId } from '../../workflows/roster-delivery.js';
import { startWatchdog } from '../../worker/watchdog.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { testDataConverter } from '../support/stack.js';

const template = builtInTemplates['matched-sponsorship']!;

describe('a sponsor group roster, and the case steps that check it', () => {
  const h = useApi('group-members');
  let members: Record<string, Member>;
  let parties: Record<string, string>;
  let group: Member;
  const key = () => ({ 'idempotency-key': randomUUID() });

  beforeAll(async () => {
    const { sponsor: _sponsor, ...others } = (await createParties(h.sql, template)).members;
    members = others;
    parties = Object.fromEntries(Object.entries(members).map(([slot, m]) => [slot, m.organisationId]));
    group = await createOrganisation(h.sql, 'sponsor_group', 'en', 'group');
  });

  const roster = async (who: Member, orgId: string, query = '') => h.call(who, 'GET', `/v1/groups/${orgId}/members${query}`);
  const add = async (who: Member, orgId: string, body: unknown, headers = key()) => h.call(who, 'POST', `/v1/groups/${orgId}/members`, body, headers);
  const record = async (memberId: string, check: string, headers = key()) =>
    (await h.call(group, 'POST', `/v1/groups/${group.organisationId}/members/${memberId}/checks`, { check, completedOn: '2026-11-02' }, headers)).json() as Promise<GroupMember>;
  const gate = async (caseId: string): Promise<GateView | undefined> => {
    const state = ((await (await h.call(members.coordinator!, 'GET', `/v1/cases/${caseId}`)).json()) as { state: CaseView }).state;
    return state.gates.find((g) => g.id === 'sponsor-checks');
  };

  /** A matched-sponsorship case, eligible and matched with `group`, its group checked at the commitment stage. */
  async function matchedCase(reference: string): Promise<string> {
    const c = members.coordinator!;
    const made = await h.call(c, 'POST', '/v1/cases', { reference, pathwayId: template.id, parties, household: { principalName: 'P' } }, key());
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };
    expect((await h.call(c, 'POST', `/v1/cases/${id}/gates/eligibility/decision`, { outcome: 'approve' }, key())).status).toBe(200);
    expect((await h.call(c, 'POST', `/v1/cases/${id}/gates/sponsor-match/propose-match`, { candidates: [group.organisationId] }, key())).status).toBe(200);
    // The group proposed to reads the case once the projection lists it as a candidate.
    await expect.poll(async () => (await h.call(group, 'GET', `/v1/cases/${id}`)).status, { timeout: 20_000 }).toBe(200);
    const accepted = await h.call(group, 'POST', `/v1/cases/${id}/gates/sponsor-match/accept-match`, {}, key());
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as CaseView).stage?.id).toBe('commitment');
    return id;
  }

  it('is kept by the group: added once per key, marked as left, checks recorded; others get 404', async () => {
    const other = await createOrganisation(h.sql, 'sponsor_group', 'en', 'other-group');
    const headers = key();
    const first = await add(other, other.organisationId, { name: 'Bea Jansen', email: 'bea@example.org' }, headers);
    expect(first.status).toBe(201);
    const bea = (await first.json()) as GroupMember;
    expect(bea).toMatchObject({ name: 'Bea Jansen', email: 'bea@example.org', leftAt: null, checks: [] });
    // The same key again: the same answer, one member, one version.
    const again = await add(other, other.organisationId, { name: 'Bea Jansen', email: 'bea@example.org' }, headers);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual(bea);
    expect((await add(other, other.organisationId, { name: 'Someone else' }, headers)).status).toBe(409);
    expect(await h.sql`SELECT roster_version::text AS version FROM organisations WHERE id = ${other.organisationId}`).toEqual([{ version: '1' }]);

    const checked = await h.call(other, 'POST', `/v1/groups/${other.organisationId}/members/${bea.id}/checks`, { check: 'training', completedOn: '2026-10-01', validUntil: '2027-10-01' }, key());
    expect(checked.status).toBe(200);
    expect(((await checked.json()) as GroupMember).checks).toEqual([{ check: 'training', completedOn: '2026-10-01', validUntil: '2027-10-01', current: true }]);
    // Bad input is a 400 naming the field, never a 500.
    const future = await h.call(other, 'POST', `/v1/groups/${other.organisationId}/members/${bea.id}/checks`, { check: 'training', completedOn: '2999-01-01' }, key());
    expect(future.status).toBe(400);
    expect(((await future.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('completedOn');
    expect((await h.call(other, 'POST', `/v1/groups/${other.organisationId}/members/${bea.id}/checks`, { check: 'Not A Slug', completedOn: '2026-10-01' }, key())).status).toBe(400);
    expect((await add(other, other.organisationId, { name: '' })).status).toBe(400);

    const left = await h.call(other, 'POST', `/v1/groups/${other.organisationId}/members/${bea.id}/leave`, undefined, key());
    expect(left.status).toBe(200);
    expect(((await left.json()) as GroupMember).leftAt).not.toBeNull();
    expect((await h.call(other, 'POST', `/v1/groups/${other.organisationId}/members/${bea.id}/checks`, { check: 'good-conduct', completedOn: '2026-10-01' }, key())).status).toBe(409);
    // Every change raised the version once, with its outbox row, in the same transaction; delivered and cleared.
    expect(await h.sql`SELECT roster_version::text AS version FROM organisations WHERE id = ${other.organisationId}`).toEqual([{ version: '3' }]);
    await expect.poll(async () => (await h.sql`SELECT 1 FROM roster_changes WHERE organisation_id = ${other.organisationId}`).length, { timeout: 20_000 }).toBe(0);

    const own = (await (await roster(other, other.organisationId)).json()) as { members: GroupMember[]; rosterVersion: number };
    expect(own).toMatchObject({ rosterVersion: 3, members: [{ id: bea.id, email: 'bea@example.org' }] });
    // Another group, a coordinator without a case of the group, anyone: 404, and nothing changes.
    expect((await roster(group, other.organisationId)).status).toBe(404);
    expect((await roster(members.coordinator!, other.organisationId)).status).toBe(404);
    expect((await add(group, other.organisationId, { name: 'Intruder' })).status).toBe(404);
    expect((await h.call(group, 'POST', `/v1/groups/${other.organisationId}/members/${bea.id}/leave`, undefined, key())).status).toBe(404);
    expect((await h.call(group, 'POST', `/v1/groups/${group.organisationId}/members/${bea.id}/leave`, undefined, key())).status).toBe(404);
  });

  it("holds a matched case's group check open until the members have their checks, and opens it again when a member joins", async () => {
    const anna = (await (await add(group, group.organisationId, { name: 'Anna de Vries' })).json()) as GroupMember;
    const ben = (await (await add(group, group.organisationId, { name: 'Ben Bakker', email: 'ben@example.org' })).json()) as GroupMember;
    await record(anna.id, 'good-conduct');

    const caseId = await matchedCase(`GROUP-${randomUUID().slice(0, 6)}`);
    // Open, with what the group lacks: Ben's certificate, and anyone's training.
    await expect.poll(async () => (await gate(caseId))?.detail.evaluation, { timeout: 20_000 }).toMatchObject({
      members: 2,
      missing: [{ check: 'good-conduct', members: 1 }, { check: 'training', members: 1 }],
    });
    expect((await gate(caseId))?.status).toBe('open');

    // The case's coordinator reads the group's names and checks for this case, recorded; without the case, 404.
    const read = await roster(members.coordinator!, group.organisationId, `?caseId=${caseId}`);
    expect(read.status).toBe(200);
    const seen = (await read.json()) as { members: GroupMember[] };
    expect(seen.members.map((m) => [m.name, m.email])).toEqual([['Anna de Vries', null], ['Ben Bakker', null]]);
    expect(await h.sql`SELECT level, door FROM personal_data_reads WHERE case_id = ${caseId} AND person_id = ${members.coordinator!.personId}`).toEqual([{ level: 'group-roster', door: 'api' }]);
    // A party that does not coordinate the case: 404, nothing recorded.
    expect((await roster(members.municipality!, group.organisationId, `?caseId=${caseId}`)).status).toBe(404);
    expect(await h.sql`SELECT 1 FROM personal_data_reads WHERE case_id = ${caseId} AND person_id = ${members.municipality!.personId}`).toEqual([]);

    await record(ben.id, 'good-conduct');
    await record(anna.id, 'training');
    await expect.poll(async () => (await gate(caseId))?.status, { timeout: 20_000 }).toBe('done');

    // A new member without a certificate: the step opens again, the case waits on it.
    const cleo = (await (await add(group, group.organisationId, { name: 'Cleo Smit' })).json()) as GroupMember;
    await expect.poll(async () => (await gate(caseId))?.status, { timeout: 20_000 }).toBe('open');
    const reopened = (await gate(caseId))!;
    expect(reopened.reopened).toMatchObject({ reason: 'group-changed', times: 1 });
    expect(reopened.detail.evaluation).toMatchObject({ members: 3, missing: [{ check: 'good-conduct', members: 1 }, { check: 'training', members: 0 }] });

    await record(cleo.id, 'good-conduct');
    await expect.poll(async () => (await gate(caseId))?.status, { timeout: 20_000 }).toBe('done');
    await expect.poll(async () => (await h.sql`SELECT 1 FROM roster_changes WHERE organisation_id = ${group.organisationId}`).length, { timeout: 20_000 }).toBe(0);

    await recordHistory(h.client.workflow.getHandle(caseWorkflowId(caseId)), 'case-group-check-reopened');
    // The last change's delivery: it told the case (a delivery that found its change delivered already tells none).
    await recordHistory(h.client.workflow.getHandle(rosterDeliveryWorkflowId(group.organisationId, 7)), 'roster-delivery');
  });

  describe('when the delivery cannot start', () => {
    let unreachable: Client;
    let connection: Connection;
    let watchdog: ReturnType<typeof startWatchdog>;
    beforeAll(async () => {
      // A Temporal that does not answer: nothing listens on this port.
      connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500 });
      unreachable = new Client({ connection, dataConverter: testDataConverter() });
      // Swept by the test itself; it takes only changes older than ten minutes (other files' are fresh).
      watchdog = startWatchdog({ sql: h.sql, temporal: h.client, taskQueue: h.taskQueue, everyMs: 3_600_000, startAfterMs: 600_000, log: () => {} });
    });
    afterAll(async () => {
      await watchdog?.stop();
      await connection?.close();
    });

    it('keeps the change (503, retry with the same key), and the watchdog delivers it', async () => {
      const lone = await createOrganisation(h.sql, 'sponsor_group', 'en', 'lone-group');
      group = lone;
      const first = await changeRoster({ sql: h.sql, temporal: h.client, taskQueue: h.taskQueue }, caller(lone), lone.organisationId, { kind: 'add', member: { name: 'Dirk' } }, randomUUID());
      await record(first.body.id, 'good-conduct');
      await record(first.body.id, 'training');
      const caseId = await matchedCase(`GROUP-LOST-${randomUUID().slice(0, 6)}`);
      await expect.poll(async () => (await gate(caseId))?.status, { timeout: 20_000 }).toBe('done');

      // A member joins while Temporal cannot be reached: committed, answered 503.
      const offline = { sql: h.sql, temporal: unreachable, taskQueue: h.taskQueue };
      const sameKey = randomUUID();
      const failed = await changeRoster(offline, caller(lone), lone.organisationId, { kind: 'add', member: { name: 'Eva' } }, sameKey).catch((e: unknown) => e);
      expect(failed).toMatchObject({ status: 503, retryAfter: 5 });
      // Sent again with the same key, still offline: 503 while the change waits to be told — or the member
      // as added, if a sweep told it meanwhile (another test file's watchdog sweeps this database without
      // delay, as several workers would in production). One member either way.
      const retried = (await changeRoster(offline, caller(lone), lone.organisationId, { kind: 'add', member: { name: 'Eva' } }, sameKey).catch((e: unknown) => e)) as { status: number };
      expect([503, 201]).toContain(retried.status);
      expect(await h.sql`SELECT 1 FROM group_members WHERE organisation_id = ${lone.organisationId} AND name = 'Eva'`).toHaveLength(1);

      // Only a sweep tells the case: this file's watchdog, once the change is older than its delay (another
      // test file's watchdog, sweeping the same database without a delay, may be first: as in production).
      await h.sql`UPDATE roster_changes SET changed_at = now() - interval '11 minutes' WHERE organisation_id = ${lone.organisationId}`;
      await expect
        .poll(async () => {
          await watchdog.sweep();
          return (await gate(caseId))?.status;
        }, { timeout: 20_000 })
        .toBe('open');
      expect((await gate(caseId))?.reopened?.reason).toBe('group-changed');
      await expect.poll(async () => (await h.sql`SELECT 1 FROM roster_changes WHERE organisation_id = ${lone.organisationId}`).length, { timeout: 20_000 }).toBe(0);
    });
  });

  const caller = (m: Member) => ({ personId: m.personId, organisationId: m.organisationId, organisationKind: 'sponsor_group' as const, role: 'sponsor' as const, language: 'en' as const });
});
