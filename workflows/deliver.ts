/** Hands a workflow's collected effects to activities and to other workflows, in order. */
import { getExternalWorkflowHandle, log, type SignalDefinition } from '@temporalio/workflow';
import type { CaseSignal, Effects } from '../domain/case-effects.js';
import { notify } from './activities.js';
import { placeGrantedSignal, programmePausedSignal, programmeResumedSignal, caseEventSignal, caseWorkflowId, programmeWorkflowId } from './contract.js';

export interface Subject {
  kind: 'case' | 'programme';
  id: string;
  reference: string;
}

const caseSignals = { place_granted: placeGrantedSignal, programme_paused: programmePausedSignal, programme_resumed: programmeResumedSignal } as const satisfies Record<CaseSignal, unknown>;

/** Notifications and signals; the timeline and state go with the projection activity. */
export async function deliver(effects: Effects, subject: Subject, programmeId?: string): Promise<void> {
  await Promise.all(effects.notifications.map((notification) => notify({ subject, notification })));
  for (const request of effects.programme) {
    if (!programmeId) continue;
    await signalIfRunning(programmeWorkflowId(programmeId), caseEventSignal, { caseId: subject.id, event: request });
  }
  for (const { caseId, signal } of effects.cases) {
    await signalIfRunning(caseWorkflowId(caseId), caseSignals[signal]);
  }
}

/**
 * Signals another workflow; one that no longer runs (closed, or terminated by an operator) has
 * nothing to hear, and must not fail the sender. The failure comes from history, so catching it
 * is deterministic.
 */
export async function signalIfRunning<Args extends unknown[]>(workflowId: string, signal: SignalDefinition<Args>, ...args: Args): Promise<boolean> {
  try {
    await getExternalWorkflowHandle(workflowId).signal(signal, ...args);
    return true;
  } catch {
    log.warn('signal not delivered: the workflow is not running', { workflowId, signal: signal.name });
    return false;
  }
}
