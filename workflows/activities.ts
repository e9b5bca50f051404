/** Activity proxies, typed from the activity factory; named option sets so each call site is plain. */
import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities/index.js';

type Activities = ReturnType<typeof createActivities>;

/**
 * Database writes and messages to other workflows: retried until they succeed, because an outage
 * must not lose an event. Email is not among them: the projection queues it and the mail
 * dispatcher delivers it, so a mail server that is down never holds a case up.
 */
export const { projectCase, projectProgramme, tellProgramme, grantPlaces, readGroupRequirements } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Telling every open case of a pause or resume: long, so it reports progress and resumes where it was. */
export const { tellCases } = proxyActivities<Activities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** One page of a bulk action's items: a case that does not answer is tried again on a later pass, so a page ends. */
export const { runBulkPage } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Alerts on thresholds (workflows/alerts.ts): a crossing is recorded and emailed once, so retries are safe. */
export const { evaluateAlerts } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** The daily digest (workflows/digest.ts): each call is idempotent (one digest per person and day), so retries are safe. */
export const { dueDigests, sendDigest } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
