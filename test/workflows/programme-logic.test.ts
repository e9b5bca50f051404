// The programme workflow's own logic on the time-skipping server, with activities that only record
// their calls (test/support/stub-activities.ts): the MoU's reminders and escalations fire when its
// time policy says, to whom it says, and stop once it is signed; a resume that comes while the pause
// is still being told to the cases cancels that fan-out, and only the newest is reported as told.
import { randomUUID } from 'node:crypto';
import { cancelled, heartbeat, sleep } from '@temporalio/activity';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ActorRef } from '../../domain/case-actions.js';
import { programmeWorkflowId } from '../../workflows/contract.js';
import type { programmeWorkflow } from '../../workflows/programme.js';
import { actOnProgramme, document, programmeView, textRef } from '../support/cases.js';
import { startStubbedEnv, type StubbedEnv } from '../support/stub-activities.js';

const COORDINATOR_ORG = randomUUID();
const MINISTRY_ORG = randomUUID();
const coordinator: ActorRef = { personId: randomUUID(), organisationId: COORDINATOR_ORG, role: 'coordinator' };
const ministry: ActorRef = { personId: randomUUID(), organisationId: MINISTRY_ORG, role: 'agency_officer' };
const MOU_TIME = { dueIn: '30 days', remindAt: ['14 days'], escalateEvery: '7 days' };
/** Whole minutes after `since`, in days. */
const daysAfter = (since: number, at: number) => Math.floor((at - since) / 60_000) / 1_440;

describe('the programme workflow with stubbed activities', () => {
  let t: StubbedEnv;

  beforeAll(async () => {
    t = await startStubbedEnv('programme-logic');
  });
  afterEach(() => t.stubs.reset());
  afterAll(async () => {
    await t?.stop();
  });

  async function startProgramme(mouSignatories: string[]) {
    const programmeId = randomUUID();
    const handle = await t.env.client.workflow.start<typeof programmeWorkflow>('programmeWorkflow', {
      workflowId: programmeWorkflowId(programmeId),
      taskQueue: t.taskQueue,
      args: [{ programme: { programmeId, name: `Programme ${programmeId.slice(0, 6)}`, pathwayId: 'community-sponsorship', quota: 5, coordinatorOrg: COORDINATOR_ORG, mouSignatories, mouTime: MOU_TIME } }],
    });
    return { programmeId, handle, log: t.stubs.ofWorkflow(handle.workflowId) };
  }

  /** A programme whose MoU its coordinator alone signs: active after two actions. */
  async function activeProgramme() {
    const started = await startProgramme([COORDINATOR_ORG]);
    await actOnProgramme(started.handle, 'publish_mou', { actor: coordinator, document: document(1) });
    expect((await actOnProgramme(started.handle, 'sign_mou', { actor: coordinator, version: 1 })).status).toBe('active');
    return started;
  }

  it('reminds the unsigned signatory 14 days after the MoU is published, escalates to the coordinator at 30 and 37, and stops once all have signed', async () => {
    const { handle, log } = await startProgramme([COORDINATOR_ORG, MINISTRY_ORG]);
    await actOnProgramme(handle, 'publish_mou', { actor: coordinator, document: document(1) });
    await actOnProgramme(handle, 'sign_mou', { actor: coordinator, version: 1 });
    const published = (await log.waitFor('projectProgramme', (c) => c.input.events.some((e) => e.kind === 'mou_published'))).input.events.find((e) => e.kind === 'mou_published')!.at;
    const events = () => log.of('projectProgramme').flatMap((c) => c.input.events);
    const projected = (kind: string, count: number) => log.waitFor('projectProgramme', () => events().filter((e) => e.kind === kind).length >= count);
    for (const [skip, kind, count] of [['14 days', 'mou_reminder_sent', 1], ['16 days', 'mou_escalated', 1], ['7 days', 'mou_escalated', 2]] as const) {
      await t.env.sleep(skip);
      await projected(kind, count);
    }
    const fired = events().filter((e) => e.kind === 'mou_reminder_sent' || e.kind === 'mou_escalated');
    expect(fired.map((e) => [e.kind, daysAfter(published, e.at)])).toEqual([['mou_reminder_sent', 14], ['mou_escalated', 30], ['mou_escalated', 37]]);
    const mail = log.of('projectProgramme').flatMap((c) => c.input.notifications).filter((n) => n.template !== 'action-required');
    expect(mail.map((n) => [n.template, n.organisationIds])).toEqual([['reminder', [MINISTRY_ORG]], ['escalation', [COORDINATOR_ORG]], ['escalation', [COORDINATOR_ORG]]]);

    expect((await actOnProgramme(handle, 'sign_mou', { actor: ministry, version: 1 })).status).toBe('active');
    await t.env.sleep('30 days');
    // Written in order: an escalation after the signature would come before the pause.
    await actOnProgramme(handle, 'pause', { actor: coordinator, reasonRef: textRef() });
    await projected('programme_paused', 1);
    const timeline = ['programme_created', 'mou_published', 'mou_signed', 'mou_reminder_sent', 'mou_escalated', 'mou_escalated', 'mou_signed', 'mou_executed', 'programme_paused'];
    expect(events().map((e) => e.kind).slice(0, timeline.length)).toEqual(timeline);
  });

  it('a resume while the pause is still being told to the cases cancels that fan-out; only the resume is reported as told', async () => {
    // Telling the cases of the pause takes until it is cancelled (heartbeating, as the real one does); the resume reaches 3 cases.
    t.stubs.behave.tellCases = async ({ paused }) => {
      if (!paused) return 3;
      for (;;) {
        heartbeat();
        await Promise.race([sleep(100), cancelled()]);
      }
    };
    const { programmeId, handle, log } = await activeProgramme();
    const paused = await actOnProgramme(handle, 'pause', { actor: coordinator, reasonRef: textRef() });
    expect(paused).toMatchObject({ status: 'paused', casesTold: false });
    const pauseFanOut = await log.waitFor('tellCases');
    expect(pauseFanOut.input).toEqual({ programmeId, epoch: 1, paused: true });

    const resumed = await actOnProgramme(handle, 'resume', { actor: coordinator });
    expect(resumed).toMatchObject({ status: 'active', casesTold: false });
    const resumeFanOut = await log.waitFor('tellCases', (c) => c.input.epoch === 2);
    expect(resumeFanOut.input).toEqual({ programmeId, epoch: 2, paused: false });
    // The older fan-out learns of its cancellation (through its heartbeat) and stops.
    await expect.poll(() => pauseFanOut.outcome, { timeout: 30_000 }).toEqual({ threw: 'CancelledFailure' });
    await expect.poll(() => resumeFanOut.outcome).toEqual({ returned: 3 });

    await expect.poll(async () => (await programmeView(handle)).casesTold, { timeout: 30_000 }).toBe(true);
    const written = await log.waitFor('projectProgramme', (c) => c.input.events.some((e) => e.kind === 'cases_resumed'));
    expect(written.input.view).toMatchObject({ status: 'active', casesTold: true });
    const events = log.of('projectProgramme').flatMap((c) => c.input.events);
    expect(events.find((e) => e.kind === 'cases_resumed')!.data).toEqual({ epoch: 2, cases: 3 });
    // The cancelled pause is never reported as told, and no case was told twice.
    expect(events.map((e) => e.kind)).not.toContain('cases_held');
    expect(log.of('tellCases')).toHaveLength(2);
  });
});
