// The case workflow's own logic on the time-skipping server, with activities that only record their
// calls (test/support/stub-activities.ts): when its timers fire to the minute, what a hold does to
// them, what a refused or repeated action writes (nothing), what continue-as-new carries over, and
// what a programme's refusal does. The same flows against PostgreSQL and SMTP are in
// case-timers.test.ts, case-actions.test.ts and long-running.test.ts.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActorRef } from '../../domain/case-actions.js';
import type { TimelineEvent } from '../../domain/case-effects.js';
import { PathwayTemplate } from '../../domain/pathway.js';
import type { caseWorkflow } from '../../workflows/case.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import { act, textRef, view } from '../support/cases.js';
import { startStubbedEnv, type CallLog, type StubbedEnv } from '../support/stub-activities.js';

const COORDINATOR_ORG = randomUUID();
const SPONSOR_ORG = randomUUID();
const coordinator: ActorRef = { personId: randomUUID(), organisationId: COORDINATOR_ORG, role: 'coordinator' };
const sponsor: ActorRef = { personId: randomUUID(), organisationId: SPONSOR_ORG, role: 'sponsor' };

/** One report for the sponsor group: reminders 3 and 8 days after it opens, due after 10, escalated every 2 after that. */
const timed = PathwayTemplate.parse({
  id: 'timed-report',
  name: 'A report on a clock',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
    { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
  ],
  stages: [{ id: 'report', title: 'Report', gates: [{ id: 'report', kind: 'task', title: 'Situation report', actor: 'sponsor', time: { dueIn: '10 days', remindAt: ['3 days', '8 days'], escalateEvery: '2 days' } }] }],
});

/** Every timeline event the workflow handed to the projection, in order. */
const timeline = (log: CallLog): TimelineEvent[] => log.of('projectCase').flatMap((c) => c.input.events);
const kinds = (log: CallLog) => timeline(log).map((e) => e.kind);
/** Whole minutes after `since`, in days: 3 means "3 days after, within the minute". */
const daysAfter = (since: number, at: number) => Math.floor((at - since) / 60_000) / 1_440;

describe('the case workflow with stubbed activities', () => {
  let t: StubbedEnv;

  beforeAll(async () => {
    t = await startStubbedEnv('case-logic');
  });
  afterEach(() => t.stubs.reset());
  afterAll(async () => {
    await t?.stop();
  });

  async function openCase(options: { maxHistoryEvents?: number; programmeId?: string } = {}) {
    const caseId = randomUUID();
    const handle = await t.env.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      workflowId: caseWorkflowId(caseId),
      taskQueue: t.taskQueue,
      args: [{ case: { caseId, reference: `L-${caseId.slice(0, 6)}`, template: timed, parties: { coordinator: COORDINATOR_ORG, sponsor: SPONSOR_ORG }, programmeId: options.programmeId }, maxHistoryEvents: options.maxHistoryEvents }],
    });
    const log = t.stubs.ofWorkflow(handle.workflowId);
    const first = await log.waitFor('projectCase');
    return { caseId, handle, log, openedAt: Date.parse(first.input.view.gates[0]!.openedAt) };
  }

  /** Waits until the projection has been given `count` events of `kind`. */
  const eventsProjected = (log: CallLog, kind: string, count: number) => log.waitFor('projectCase', () => kinds(log).filter((k) => k === kind).length >= count);

  it('reminds the sponsor 3 and 8 days after the report opens and escalates to the coordinator at 10 and 12 days, and nothing else', async () => {
    const { log, openedAt, handle } = await openCase();
    for (const [skip, kind, count] of [['3 days', 'reminder_sent', 1], ['5 days', 'reminder_sent', 2], ['2 days', 'escalated', 1], ['2 days', 'escalated', 2]] as const) {
      await t.env.sleep(skip);
      await eventsProjected(log, kind, count);
    }
    expect(kinds(log)).toEqual(['case_opened', 'stage_entered', 'gate_opened', 'reminder_sent', 'reminder_sent', 'escalated', 'escalated']);
    const fired = timeline(log).filter((e) => e.kind === 'reminder_sent' || e.kind === 'escalated');
    expect(fired.map((e) => daysAfter(openedAt, e.at))).toEqual([3, 8, 10, 12]);
    const mail = log.of('projectCase').flatMap((c) => c.input.notifications).filter((n) => n.template === 'reminder' || n.template === 'escalation');
    expect(mail.map((n) => [n.template, n.organisationIds])).toEqual([
      ['reminder', [SPONSOR_ORG]],
      ['reminder', [SPONSOR_ORG]],
      ['escalation', [COORDINATOR_ORG]],
      ['escalation', [COORDINATOR_ORG]],
    ]);
    expect((await view(handle)).gates[0]).toMatchObject({ remindersSent: 2, escalationsSent: 2, stuck: true, waitingOn: [SPONSOR_ORG] });
  });

  it('a hold silences reminders and escalations; resuming moves the due date on by the time held, and the reminders with it', async () => {
    const { handle, log, openedAt } = await openCase();
    const dueBefore = Date.parse((await view(handle)).gates[0]!.dueAt);
    await t.env.sleep('1 day');
    const held = await act(handle, 'hold', { actor: coordinator, reasonRef: textRef() });
    // Nothing is scheduled while held: the workflow sleeps until someone acts.
    expect(held).toMatchObject({ nextStep: 'held by the coordinator', nextWakeAt: null, stuck: false });

    await t.env.sleep('20 days'); // past both reminders, the due date and several escalation points
    const resumed = await act(handle, 'resume', { actor: coordinator });
    await eventsProjected(log, 'case_resumed', 1);
    // Projected in order: anything fired during the hold would come before the resume.
    expect(kinds(log)).toEqual(['case_opened', 'stage_entered', 'gate_opened', 'case_held', 'case_resumed']);
    expect(timeline(log).find((e) => e.kind === 'case_resumed')!.data).toEqual({ heldDays: 20 });
    expect(daysAfter(dueBefore, Date.parse(resumed.gates[0]!.dueAt))).toBe(20);
    expect(resumed.gates[0]).toMatchObject({ remindersSent: 0, escalationsSent: 0, stuck: false });

    // The first reminder, due 3 days after opening, now comes 3 + 20 days after it.
    await t.env.sleep('2 days');
    await eventsProjected(log, 'reminder_sent', 1);
    expect(daysAfter(openedAt, timeline(log).find((e) => e.kind === 'reminder_sent')!.at)).toBe(23);
  });

  it('a refused action answers with the reason and writes nothing; an action repeated with its update id is not applied or projected again', async () => {
    const { handle, log } = await openCase();
    const projectedBefore = log.of('projectCase').length;
    await expect(act(handle, 'nudge', { gateId: 'report', actor: sponsor })).rejects.toMatchObject({ type: 'ActionRefused', message: "only the case's coordinator can nudge a gate" });
    await expect(act(handle, 'complete', { gateId: 'report', actor: coordinator })).rejects.toMatchObject({ type: 'ActionRefused', message: 'your organisation does not act at gate "report" now' });
    await expect(act(handle, 'decide', { gateId: 'report', actor: sponsor, outcome: 'approve' })).rejects.toThrow('gate "report" is a task gate; "decide" does not apply to it');

    const nudged = await act(handle, 'nudge', { gateId: 'report', actor: coordinator }, 'nudge-once');
    const written = await log.waitFor('projectCase', (c) => c.input.view.version === nudged.version);
    // The next write after the refusals is the nudge's, and holds only what the nudge caused.
    expect(log.of('projectCase')).toHaveLength(projectedBefore + 1);
    expect(written.input.events.map((e) => e.kind)).toEqual(['gate_nudged']);
    expect(written.input.notifications).toMatchObject([{ template: 'reminder', organisationIds: [SPONSOR_ORG], detail: 'nudge' }]);

    const repeated = await act(handle, 'nudge', { gateId: 'report', actor: coordinator }, 'nudge-once');
    expect(repeated.version).toBe(nudged.version);
    const next = await act(handle, 'nudge', { gateId: 'report', actor: coordinator }, 'nudge-twice');
    expect(next.version).toBe(nudged.version + 1);
    await log.waitFor('projectCase', (c) => c.input.view.version === next.version);
    expect(log.of('projectCase')).toHaveLength(projectedBefore + 2);
    expect(kinds(log).filter((k) => k === 'gate_nudged')).toHaveLength(2);
  });

  it('continue-as-new carries the state over: timers keep their dates, and versions and event keys go on without a restart', async () => {
    const { handle, log, openedAt } = await openCase({ maxHistoryEvents: 40 });
    const firstRun = (await handle.describe()).runId;
    await t.env.sleep('3 days');
    await eventsProjected(log, 'reminder_sent', 1);
    // Busy enough to pass 40 history events: the run continues as new.
    for (let i = 0; i < 20 && (await handle.describe()).runId === firstRun; i++) {
      const v = await act(handle, 'nudge', { gateId: 'report', actor: coordinator });
      await log.waitFor('projectCase', (c) => c.input.view.version >= v.version);
    }
    expect((await handle.describe()).runId).not.toBe(firstRun);
    const lastOfFirst = log.of('projectCase').filter((c) => c.runId === firstRun).at(-1)!.input.view;
    const firstOfNext = (await log.waitFor('projectCase', (c) => c.runId !== firstRun)).input.view;
    expect(firstOfNext.gates[0]).toEqual(lastOfFirst.gates[0]);
    expect(firstOfNext.version).toBeGreaterThanOrEqual(lastOfFirst.version);

    // The second reminder comes from the new run, 8 days after the gate opened in the first.
    await t.env.sleep('5 days');
    await eventsProjected(log, 'reminder_sent', 2);
    const second = log.of('projectCase').find((c) => c.input.events.some((e) => e.kind === 'reminder_sent' && e.data?.reminder === 2))!;
    expect(second.runId).not.toBe(firstRun);
    expect(daysAfter(openedAt, second.input.events.find((e) => e.kind === 'reminder_sent')!.at)).toBe(8);
    expect(second.input.view.gates[0]).toMatchObject({ remindersSent: 2, openedAt: lastOfFirst.gates[0]!.openedAt, dueAt: lastOfFirst.gates[0]!.dueAt });

    // The projection keeps a newer state and writes each event and email once by key: a version
    // that went back, or a key counted again from the start, would lose the new run's writes.
    const versions = log.projectedViews().map((v) => v.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const keys = log.of('projectCase').flatMap((c) => [...c.input.events, ...c.input.notifications].map((x) => x.key));
    const seqs = keys.map((k) => Number(k.split(':')[1]));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a programme that refuses the case ends it as refused, and is told nothing more', async () => {
    t.stubs.behave.tellProgramme = async () => ({ accepted: false, refusal: 'the programme is closed', status: 'closed', epoch: 0, paused: false });
    const programmeId = randomUUID();
    const { caseId, handle, log } = await openCase({ programmeId });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'withdrawn', outcome: { code: 'programme-refused', detail: 'the programme is closed', by: 'system' }, programmeMessagesPending: 0, gates: [{ status: 'rejected' }] });
    // It never counted there: no place to give back, no closing to report.
    expect(log.of('tellProgramme').map((c) => c.input)).toEqual([{ programmeId, caseId, id: `case:${caseId}:opened`, message: { kind: 'opened' } }]);
    expect(log.projectedViews().at(-1)).toMatchObject({ status: 'withdrawn', version: result.version });
    expect(kinds(log)).toContain('case_withdrawn');
  });
});
