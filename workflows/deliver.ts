/** Hands a workflow's collected effects to activities and to other workflows, in order. */
import { getExternalWorkflowHandle } from '@temporalio/workflow';
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
    await getExternalWorkflowHandle(programmeWorkflowId(programmeId)).signal(caseEventSignal, { caseId: subject.id, event: request });
  }
  for (const { caseId, signal } of effects.cases) {
    await getExternalWorkflowHandle(caseWorkflowId(caseId)).signal(caseSignals[signal]);
  }
}
