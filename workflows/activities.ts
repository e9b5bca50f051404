/** Activity proxies, typed from the activity factory; named option sets so each call site is plain. */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';

type Activities = ReturnType<typeof createActivities>;

/**
 * Database writes and messages to other workflows: retried until they succeed, because an outage
 * must not lose an event. Email is not among them: the projection queues it and the mail
 * dispatcher delivers it, so a mail server that is down never holds a case up.
 */
export const { projectCase, projectProgramme, tellProgramme, grantPlaces } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Telling every open case of a pause or resume: long, so it reports progress and resumes where it was. */
export const { tellCases } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
