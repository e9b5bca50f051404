import { condition, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';
import { caseStateQuery, searchAttributes, type CaseState, type CaseWorkflowInput } from './contract.js';

const { projectCase, notifyCase } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2 },
});

/** One case: a household on a pathway. (Foundation slice: referral, a welcome and a reminder.) */
export async function caseWorkflow(input: CaseWorkflowInput): Promise<void> {
  const state: CaseState = {
    caseId: input.caseId,
    status: 'open',
    stage: 'referral',
    openedAt: new Date().toISOString(),
    remindersSent: 0,
    version: 1,
  };
  setHandler(caseStateQuery, () => state);
  upsertSearchAttributes([{ key: searchAttributes.stage, value: state.stage }]);

  await projectCase(state);
  await notifyCase({ caseId: state.caseId, event: 'case-opened', eventKey: `${state.caseId}:opened` });

  if (!(await condition(() => state.status !== 'open', input.referralReminderAfter))) {
    state.remindersSent += 1;
    state.version += 1;
    await notifyCase({
      caseId: state.caseId,
      event: 'referral-reminder',
      eventKey: `${state.caseId}:referral-reminder:${state.remindersSent}`,
    });
    await projectCase(state);
  }
  await condition(() => state.status !== 'open');
}
