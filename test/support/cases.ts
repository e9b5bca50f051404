/** Driving case and programme workflows through the real client, as the API does. */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { ActorRef, CaseAction } from '../../domain/case-actions.js';
import type { CaseView } from '../../domain/case-view.js';
import type { PathwayTemplate } from '../../domain/pathway.js';
import type { ProgrammeAction, ProgrammeView } from '../../domain/programme-model.js';
import type { Sql } from '../../infra/db.js';
import type { caseWorkflow } from '../../workflows/case.js';
import {
  caseStateQuery,
  caseUpdates,
  caseWorkflowId,
  programmeStateQuery,
  programmeUpdates,
  programmeWorkflowId,
  type ActionInput,
  type ProgrammeActionInput,
} from '../../workflows/contract.js';
import type { programmeWorkflow } from '../../workflows/programme.js';
import { createCaseRow, createProgrammeRow } from './fixtures.js';

export async function startCase(
  client: Client,
  sql: Sql,
  options: { taskQueue: string; template: PathwayTemplate; parties: Record<string, string>; programmeId?: string; maxHistoryEvents?: number },
) {
  const { caseId, reference } = await createCaseRow(sql, options.template, options.parties, options.programmeId);
  const handle = await client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
    workflowId: caseWorkflowId(caseId),
    taskQueue: options.taskQueue,
    args: [{ case: { caseId, reference, programmeId: options.programmeId, template: options.template, parties: options.parties }, maxHistoryEvents: options.maxHistoryEvents }],
  });
  return { caseId, reference, handle };
}

/** Runs an update; a refusal rejects with the validator's ApplicationFailure (its message is the reason). */
async function update<R>(handle: WorkflowHandle, definition: unknown, input: unknown, updateId?: string): Promise<R> {
  try {
    return (await handle.executeUpdate(definition as never, { args: [input] as never, ...(updateId ? { updateId } : {}) })) as R;
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause) throw error.cause;
    throw error;
  }
}

/** Runs an action on the case; `updateId` as the API derives it from an Idempotency-Key (random if absent). */
export function act<T extends CaseAction['type']>(handle: WorkflowHandle, type: T, input: ActionInput<T>, updateId?: string): Promise<CaseView> {
  return update(handle, caseUpdates[type], input, updateId);
}

export const view = (handle: WorkflowHandle) => handle.query(caseStateQuery);

/** A stand-in for the id of a text stored in PostgreSQL (workflows carry only the id). */
export const textRef = (): string => randomUUID();

/** Polls the case's state until `predicate` holds (timers and signals move it on their own). */
export async function waitForCase(handle: WorkflowHandle, predicate: (v: CaseView) => boolean, timeoutMs = 30_000): Promise<CaseView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await view(handle);
    if (predicate(v)) return v;
    if (Date.now() > deadline) throw new Error(`case did not reach the expected state; now: ${v.status} at ${v.stage?.id} — ${v.nextStep}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function startProgramme(
  client: Client,
  sql: Sql,
  options: { taskQueue: string; template: PathwayTemplate; coordinatorOrg: string; quota: number; mouSignatories: string[] },
) {
  const programmeId = await createProgrammeRow(sql, options.template, options.coordinatorOrg, options.quota);
  const handle = await client.workflow.start<typeof programmeWorkflow>('programmeWorkflow', {
    workflowId: programmeWorkflowId(programmeId),
    taskQueue: options.taskQueue,
    args: [
      {
        programme: {
          programmeId,
          name: `Programme ${programmeId.slice(0, 6)}`,
          pathwayId: options.template.id,
          quota: options.quota,
          coordinatorOrg: options.coordinatorOrg,
          mouSignatories: options.mouSignatories,
          mouTime: { dueIn: '30 days', remindAt: ['14 days'], escalateEvery: '7 days' },
        },
      },
    ],
  });
  return { programmeId, handle };
}

export function actOnProgramme<T extends ProgrammeAction['type']>(handle: WorkflowHandle, type: T, input: ProgrammeActionInput<T>): Promise<ProgrammeView> {
  return update(handle, programmeUpdates[type], input);
}

export const programmeView = (handle: WorkflowHandle) => handle.query(programmeStateQuery);

export const document = (version: number) => ({ title: `Agreement v${version}`, url: `https://docs.example.test/agreement-v${version}`, contentHash: randomUUID().replace(/-/g, '') });

/**
 * Takes every open gate's happy path with the organisation it waits on, stage after stage, until
 * the case closes: the same driver serves every pathway, built-in or defined in a test.
 */
export async function driveToCompletion(handle: WorkflowHandle, members: Record<string, { organisationId: string; actor: ActorRef }>, timeoutMs = 60_000): Promise<CaseView> {
  const byOrg = new Map(Object.values(members).map((m) => [m.organisationId, m.actor]));
  const deadline = Date.now() + timeoutMs;
  let offers = 0;
  for (;;) {
    const v = await view(handle);
    if (v.status !== 'active' && v.status !== 'waitlisted') return v;
    if (Date.now() > deadline) throw new Error(`case stuck at ${v.stage?.id}: ${v.nextStep}`);
    for (const gate of v.gates.filter((g) => g.status === 'open')) {
      const who = (org: string) => byOrg.get(org)!;
      switch (gate.kind) {
        case 'decision':
          await act(handle, 'decide', { gateId: gate.id, actor: who(gate.assignee), outcome: 'approve' });
          break;
        case 'task':
          await act(handle, 'complete', { gateId: gate.id, actor: who(gate.assignee), noteRef: textRef() });
          break;
        case 'housing': {
          const validUntil = new Date(Date.now() + 3_600_000).toISOString();
          const offerId = `offer-${++offers}`;
          await act(handle, 'offer_housing', { gateId: gate.id, actor: who(gate.assignee), offer: { offerId, rooms: 2, accessible: false, availableFrom: '2027-01-01', validUntil } });
          await act(handle, 'accept_offer', { gateId: gate.id, actor: who(gate.detail.respondent as string), offerId });
          break;
        }
        case 'agreement': {
          const coordinator = Object.values(members).find((m) => m.actor.role === 'coordinator')!.actor;
          const published = await act(handle, 'publish_agreement', { gateId: gate.id, actor: coordinator, document: document(1) });
          const version = published.gates.find((g) => g.id === gate.id)!.detail.version as number;
          for (const org of gate.detail.signatories as string[]) await act(handle, 'sign', { gateId: gate.id, actor: who(org), version });
          break;
        }
        case 'match': {
          // The organisation made for the slot the match fills is the one proposed, and it accepts.
          const candidate = members[gate.detail.fills as string]!;
          if ((gate.detail.proposals as unknown[]).length === 0) await act(handle, 'propose_match', { gateId: gate.id, actor: who(gate.assignee), candidates: [candidate.organisationId] });
          await act(handle, 'accept_match', { gateId: gate.id, actor: candidate.actor });
          break;
        }
        case 'group-check':
          // Met or not is read from the group's members in PostgreSQL (see `giveEveryCheck`): nothing to do here.
          break;
        case 'checkins': {
          const reports = gate.detail.reports as { index: number; submittedAt: string | null }[];
          const next = reports.find((r) => r.submittedAt === null);
          if (next) await act(handle, 'submit_checkin', { gateId: gate.id, actor: who(gate.assignee), reportIndex: next.index, reportRef: `report-${next.index}` });
          break;
        }
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
