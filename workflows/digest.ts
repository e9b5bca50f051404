/**
 * The hourly digest run, started by a Temporal Schedule (worker/schedules.ts): finds the people
 * whose local digest hour has come and sends each their digest once for the day. Deterministic
 * and free of personal data: only person ids pass through its history; the activities read and
 * write the rest. `now` is input so a test can run "tomorrow at 08:00"; otherwise the workflow's
 * own clock (the scheduled time) decides.
 */
import { workflowInfo } from '@temporalio/workflow';
import { dueDigests, sendDigest } from './activities.js';

export interface DigestRunInput {
  /** The moment to send for (ms since the epoch); the run's own start when absent. */
  now?: number;
}

export interface DigestRunResult {
  sent: number;
  skipped: number;
  already: number;
}

/** Digests built at once: enough to get through thousands of people in an hour, few enough for PostgreSQL and SMTP. */
const AT_ONCE = 10;

export async function digestWorkflow(input: DigestRunInput = {}): Promise<DigestRunResult> {
  const now = input.now ?? workflowInfo().runStartTime.getTime();
  const people = await dueDigests({ now });
  const result: DigestRunResult = { sent: 0, skipped: 0, already: 0 };
  for (let i = 0; i < people.length; i += AT_ONCE) {
    const outcomes = await Promise.all(people.slice(i, i + AT_ONCE).map((personId) => sendDigest({ personId, now })));
    for (const outcome of outcomes) result[outcome] += 1;
  }
  return result;
}
