// Months and years on the time-skipping server: 12 months of check-ins, a programme paused for
// three months, and a case escalating weekly for 24 months with bounded history.
import type { WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PathwayTemplate } from '../../domain/pathway.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import type { Sql } from '../../infra/db.js';
import { recordHistory } from '../support/histories.js';
import { act, actOnProgramme, document, startCase, startProgramme, view, waitForCase, textRef } from '../support/cases.js';
import { createParties } from '../support/fixtures.js';
import { receivedMail, waitForMail } from '../support/mail.js';
import { testDb } from '../support/stack.js';
import { DAY_MS, startTimeSkipping, type TimeSkipping } from '../support/time-skipping.js';

const parties = [
  { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
  { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
] as const;

const supportOnly = PathwayTemplate.parse({
  id: 'support-only',
  name: 'Support period',
  version: 1,
  parties,
  stages: [builtInTemplates['community-sponsorship']!.stages.find((s) => s.id === 'support')!],
});

const weeklyForever = PathwayTemplate.parse({
  id: 'weekly-escalation',
  name: 'A step nobody takes',
  version: 1,
  parties,
  stages: [{ id: 'waiting', title: 'Waiting', gates: [{ id: 'report', kind: 'task', title: 'Situation report', actor: 'sponsor', time: { dueIn: '1 day', remindAt: [], escalateEvery: '1 week' } }] }],
});

describe('long-running cases on the time-skipping server', () => {
  let sql: Sql;
  let ts: TimeSkipping;

  beforeAll(async () => {
    sql = testDb();
    ts = await startTimeSkipping(sql, 'long');
  });
  afterAll(async () => {
    await ts?.stop();
    await sql?.end();
  });

  it('collects check-ins for 12 months; a missed report reminds, then escalates; the case closes when support ends', async () => {
    const { parties: p, members } = await createParties(sql, supportOnly);
    const { sponsor, coordinator } = members as Required<typeof members>;
    const { reference, handle } = await startCase(ts.env.client, sql, { taskQueue: ts.taskQueue, template: supportOnly, parties: p });
    const submit = (reportIndex: number) => act(handle, 'submit_checkin', { gateId: 'checkins', actor: sponsor!.actor, reportIndex, reportRef: `r${reportIndex}` });
    const toSponsor = (subject: string, count = 1) => waitForMail((m) => m.to.includes(sponsor!.email) && m.subject === subject, { count });

    await ts.env.sleep('30 days');
    await toSponsor(`Action needed: Check-in reports #1 — case ${reference}`);
    await submit(0);
    await expect(submit(1)).rejects.toThrow(/report 2 is due on .*; it can be submitted from/);

    await ts.env.sleep('60 days');
    await toSponsor(`Action needed: Check-in reports #2 — case ${reference}`);
    await ts.env.sleep('7 days');
    await toSponsor(`Reminder: Check-in reports #2 — case ${reference}`);
    await ts.env.sleep('7 days');
    await waitForMail((m) => m.to.includes(coordinator!.email) && m.subject === `Stuck: Check-in reports #2 — case ${reference}`);
    expect((await waitForCase(handle, (v) => v.stuck)).gates[0]!.escalationsSent).toBe(1);
    await submit(1);
    expect((await view(handle)).stuck).toBe(false);

    await ts.env.sleep('76 days');
    await submit(2);
    await ts.env.sleep('180 days');
    const last = await submit(3);
    expect(last.status).toBe('completed');
    expect((await handle.result()).completedStages.map((s) => s.stageId)).toEqual(['support']);
    await recordHistory(handle, 'case-checkins-12-months');
  });

  it('a programme paused for three months silences its cases, then resumes them with their deadlines moved on', async () => {
    const template = builtInTemplates['community-sponsorship']!;
    const { parties: p, members } = await createParties(sql, template);
    const coordinator = members.coordinator!;
    const { programmeId, handle: programme } = await startProgramme(ts.env.client, sql, { taskQueue: ts.taskQueue, template, coordinatorOrg: p.coordinator!, quota: 10, mouSignatories: [p.coordinator!] });
    await actOnProgramme(programme, 'publish_mou', { actor: coordinator.actor, document: document(1) });
    await actOnProgramme(programme, 'sign_mou', { actor: coordinator.actor, version: 1 });
    const { reference, handle } = await startCase(ts.env.client, sql, { taskQueue: ts.taskQueue, template, parties: p, programmeId });
    const before = await waitForCase(handle, (v) => v.gates.length === 1);
    const reminders = async () => (await receivedMail()).filter((m) => m.to.includes(coordinator.email) && m.subject === `Reminder: Eligibility decision — case ${reference}`);

    await ts.env.sleep('1 day');
    await actOnProgramme(programme, 'pause', { actor: coordinator.actor, reasonRef: textRef() });
    await waitForCase(handle, (v) => v.programmePaused);
    await ts.env.sleep('90 days');
    expect(await reminders()).toHaveLength(0);
    const paused = await view(handle);
    expect(paused).toMatchObject({ stuck: false, nextStep: 'held: the programme is paused' });

    await actOnProgramme(programme, 'resume', { actor: coordinator.actor });
    const resumed = await waitForCase(handle, (v) => !v.programmePaused);
    const shiftDays = (Date.parse(resumed.gates[0]!.dueAt) - Date.parse(before.gates[0]!.dueAt)) / DAY_MS;
    expect(Math.round(shiftDays)).toBe(90);
    await ts.env.sleep('5 days');
    expect(await reminders()).toHaveLength(0);
    await ts.env.sleep('2 days');
    await waitForMail((m) => m.to.includes(coordinator.email) && m.subject === `Reminder: Eligibility decision — case ${reference}`);
  });

  it('escalates weekly for 24 months with every run of its history bounded by continue-as-new', async () => {
    const { parties: p, members } = await createParties(sql, weeklyForever);
    const coordinator = members.coordinator!;
    const { reference, handle } = await startCase(ts.env.client, sql, { taskQueue: ts.taskQueue, template: weeklyForever, parties: p, maxHistoryEvents: 300 });
    for (let quarter = 0; quarter < 8; quarter++) await ts.env.sleep('91 days');
    // 728 days in, due on day 1: escalations on days 1, 8, 15, … 722 → 104 of them.
    const escalations = await waitForMail((m) => m.to.includes(coordinator.email) && m.subject === `Stuck: Situation report — case ${reference}`, { count: 104, timeoutMs: 60_000 });
    expect(escalations).toHaveLength(104);
    expect((await view(handle)).gates[0]!.escalationsSent).toBe(104);

    const runs = await historyLengths(handle, ts);
    console.log(`24-month case: ${runs.length} runs, history events per run: ${runs.map((r) => r.events).join(', ')}`);
    expect(runs.length).toBeGreaterThan(1);
    for (const { events } of runs) expect(events).toBeLessThan(400);
    // A run that ends in continue-as-new, and one that starts from the state it carried.
    await recordHistory(handle, 'case-continued-as-new-first-run', runs[0]!.runId);
    await recordHistory(handle, 'case-continued-as-new-next-run', runs[1]!.runId);
  });

  it('moves to a new run by itself before 2,000 events, however long the case (no threshold given)', async () => {
    const { parties: p } = await createParties(sql, weeklyForever);
    const { handle } = await startCase(ts.env.client, sql, { taskQueue: ts.taskQueue, template: weeklyForever, parties: p });
    // Four years of weekly escalations: some 2,300 events in all.
    for (let quarter = 0; quarter < 16; quarter++) await ts.env.sleep('91 days');
    await waitForCase(handle, (v) => (v.gates[0]?.escalationsSent ?? 0) >= 200);
    const runs = await historyLengths(handle, ts);
    expect(runs.length).toBeGreaterThan(1);
    for (const { events } of runs) expect(events).toBeLessThan(1_600);
  });
});

/** Every run of a workflow with its history length, following its continue-as-new chain. */
async function historyLengths(handle: WorkflowHandle, ts: TimeSkipping): Promise<{ runId: string; events: number }[]> {
  const runs: { runId: string; events: number }[] = [];
  let runId: string | undefined = (await handle.describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
  while (runId) {
    const history = await ts.env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    runs.push({ runId, events: events.length });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}
