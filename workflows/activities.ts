/** Activity proxies, typed from the activity factory; named option sets so each call site is plain. */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';

type Activities = ReturnType<typeof createActivities>;

/** Database writes and emails: retried until they succeed (an outage must not lose an event). */
export const { projectCase, projectProgramme, notify } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes', nonRetryableErrorTypes: ['InvalidNotification'] },
});
