// No silent stall: the watchdog starts a case whose creation never reached Temporal, and a case
// whose workflow was terminated gives back its place and shows on the board (real servers).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import { startWatchdog } from '../../worker/watchdog.js';
import { useApi } from '../support/api.js';
import { createCaseRow, createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;

describe('the watchdog', () => {
  const h = useApi('watchdog');
  let watchdog: ReturnType<typeof startWatchdog>;
  beforeAll(() => {
    // Swept by the tests themselves (an interval too long to fire on its own meanwhile).
    watchdog = startWatchdog({ sql: h.sql, temporal: h.client, taskQueue: h.taskQueue, everyMs: 3_600_000, startAfterMs: 0, log: () => {} });
  });
  afterAll(() => watchdog?.stop());

  const board = async (coordinator: Member) => (await (await h.call(coordinator, 'GET', '/v1/stuck')).json()) as { notMoving: { caseId: string; reason: string }[] };

  it('starts a case that was recorded but whose workflow never started, and shows it until then', async () => {
    const { parties, members } = await createParties(h.sql, template);
    const { caseId } = await createCaseRow(h.sql, template, parties); // as a creation that got a 503 leaves it
    await h.sql`UPDATE cases SET created_at = now() - interval '5 minutes' WHERE id = ${caseId}`;
    expect((await board(members.coordinator!)).notMoving).toContainEqual(expect.objectContaining({ caseId, reason: 'not-started' }));
    await watchdog.sweep();
    expect((await h.client.workflow.getHandle(caseWorkflowId(caseId)).describe()).status.name).toBe('RUNNING');
    await expect.poll(async () => (await h.sql`SELECT status FROM cases WHERE id = ${caseId}`)[0]!.status, { timeout: 20_000 }).toBe('active');
    expect((await board(members.coordinator!)).notMoving.filter((n) => n.caseId === caseId)).toEqual([]);
  });

  it('marks a case whose workflow was terminated as stopped, gives its place back, and shows it on the board', async () => {
    const { parties, members } = await createParties(h.sql, template);
    const c = members.coordinator!;
    const made = await h.call(c, 'POST', '/v1/programmes', { name: 'Watched', pathway: template.id, quota: 1, coordinatorOrganisationId: parties.coordinator, mouSignatories: [parties.coordinator] });
    const { id: programmeId } = (await made.json()) as { id: string };
    await h.call(c, 'POST', `/v1/programmes/${programmeId}/agreement/publish`, { title: 'MoU', text: 'terms' });
    await h.call(c, 'POST', `/v1/programmes/${programmeId}/agreement/sign`, { version: 1 });
    const open = async (reference: string) => {
      const r = await h.call(c, 'POST', '/v1/cases', { reference, programmeId, parties, household: { principalName: 'P' } });
      const { id } = (await r.json()) as { id: string };
      await h.call(c, 'POST', `/v1/cases/${id}/gates/eligibility/decision`, { outcome: 'approve' });
      return id;
    };
    const holder = await open('WATCH-HOLDER');
    const waiting = await open('WATCH-WAITING');
    const quota = async () => ((await (await h.call(c, 'GET', `/v1/programmes/${programmeId}`)).json()) as { state: { quota: object; openCases: number } }).state;
    await expect.poll(quota, { timeout: 20_000 }).toMatchObject({ quota: { reserved: 1, waitlisted: 1 }, openCases: 2 });
    await expect.poll(async () => (await h.sql`SELECT place FROM cases WHERE id = ${holder}`)[0]!.place).toBe('reserved');

    await h.client.workflow.getHandle(caseWorkflowId(holder)).terminate('test: an operator ended it by mistake');
    // Temporal's list of closed workflows follows within moments (visibility is eventually consistent).
    await expect
      .poll(async () => {
        await watchdog.sweep();
        return (await h.sql`SELECT stopped->>'reason' AS reason FROM cases WHERE id = ${holder}`)[0]!.reason;
      }, { timeout: 20_000 })
      .toBe('terminated');
    expect((await board(c)).notMoving).toContainEqual(expect.objectContaining({ caseId: holder, reason: 'terminated' }));
    // Its place went to the case waiting for one, and the programme no longer counts it as open.
    await expect.poll(async () => (await h.sql`SELECT place FROM cases WHERE id = ${waiting}`)[0]!.place, { timeout: 20_000 }).toBe('reserved');
    await expect.poll(quota, { timeout: 20_000 }).toMatchObject({ quota: { reserved: 1, waitlisted: 0 }, openCases: 1 });
    // A second sweep changes nothing.
    await watchdog.sweep();
    expect((await quota()).openCases).toBe(1);
  });

  it('shows a case that did not wake when due as stalled', async () => {
    const { parties, members } = await createParties(h.sql, template);
    const { caseId } = await createCaseRow(h.sql, template, parties);
    await h.sql`UPDATE cases SET status = 'active', next_wake_at = now() - interval '10 minutes' WHERE id = ${caseId}`;
    expect((await board(members.coordinator!)).notMoving).toContainEqual(expect.objectContaining({ caseId, reason: 'stalled' }));
  });
});
