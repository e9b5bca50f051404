/**
 * Tells a sponsor group's cases that its roster changed (members joined or left, a check was
 * recorded), so each case reads the group's requirements again (`groupChanged`, workflows/contract.ts).
 *
 * Exactly once in effect, never lost — the design, kept deliberately small:
 * - The outbox is PostgreSQL's `roster_changes`: the use case (usecases/group-members.ts) writes a
 *   row in the transaction of the change itself, so a change that committed is never without one.
 * - After the commit the use case starts this workflow for that version (`roster:<orgId>:<version>`).
 *   Its one activity (activities/roster-delivery.ts) sends the newest version waiting — this one or
 *   a later — to every open case of the group, then deletes the rows up to it. Changes in a burst
 *   coalesce: a run that finds its change delivered already by a later one does nothing.
 * - One run per version, not one per group that later changes join: a change joining a run as it
 *   ends would be missed by it. Here every committed change has a run started after its commit,
 *   which reads it.
 * - A crash between the commit and the start (or Temporal away: the API answered 503) leaves the
 *   row behind: the worker's watchdog starts the run of the newest version waiting for every group
 *   with a row older than its start delay (worker/watchdog.ts).
 * - Sending twice is harmless: the update id names the group, version and case, and a case takes a
 *   version no newer than it knows as nothing (`groupChanged` is idempotent by version).
 * Ids and counts only in history: no name ever passes through here.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { createRosterDeliveryActivities } from '../activities/roster-delivery.js';

/** The delivery of one version of a group's roster (and of any later one waiting when it runs). */
export const rosterDeliveryWorkflowId = (organisationId: string, rosterVersion: number): string => `roster:${organisationId}:${rosterVersion}`;

/** The id of the update that tells one case of one version of a group's roster. */
export const rosterUpdateId = (organisationId: string, rosterVersion: number, caseId: string): string => `roster:${organisationId}:${rosterVersion}:${caseId}`;

export interface RosterDeliveryInput {
  organisationId: string;
  rosterVersion: number;
}

const { deliverRosterChanges } = proxyActivities<ReturnType<typeof createRosterDeliveryActivities>>({
  // A group takes part in a handful of cases; the activity heartbeats while it sends.
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function rosterDeliveryWorkflow(input: RosterDeliveryInput): Promise<{ rosterVersion: number; told: number }> {
  const { rosterVersion, told } = await deliverRosterChanges({ organisationId: input.organisationId });
  return { rosterVersion, told };
}
