/**
 * Programmes and cases opened as the API opens them — rows first, then the workflow — but without
 * HTTP, for benchmarks in which opening them is not what is measured.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { inParallel } from '../activities/parallel.js';
import type { ActorRef } from '../domain/case-actions.js';
import type { NewCase } from '../domain/case-lifecycle.js';
import type { PathwayTemplate } from '../domain/pathway.js';
import type { Sql } from '../infra/db.js';
import { startCaseWorkflow } from '../usecases/create-case.js';
import { startProgrammeWorkflow } from '../usecases/create-programme.js';
import { programmeUpdates, programmeWorkflowId } from '../workflows/contract.js';

/** Workflow starts in flight at once: enough to keep a 2-core dev server busy. */
export const STARTS_AT_ONCE = 24;

const QUIET_MOU = { dueIn: '30 days', remindAt: [], escalateEvery: '30 days' };

/** `count` case rows (and their parties), a thousand per statement; returns each case's workflow input. */
export async function insertCaseRows(
  sql: Sql,
  options: { template: PathwayTemplate; parties: Record<string, string>; count: number; referencePrefix: string; programmeId?: string },
): Promise<NewCase[]> {
  const { template, parties, programmeId } = options;
  const slotOf = (kind: string) => template.parties.find((p) => p.kind === kind)!.id;
  const cases: NewCase[] = Array.from({ length: options.count }, (_, i) => ({ caseId: randomUUID(), reference: `${options.referencePrefix}-${i}`, programmeId, template, parties }));
  for (let i = 0; i < cases.length; i += 1_000) {
    const slice = cases.slice(i, i + 1_000);
    await sql`INSERT INTO cases ${sql(slice.map((c) => ({ id: c.caseId, reference: c.reference, sponsor_organisation_id: parties[slotOf('sponsor_group')]!, coordinator_organisation_id: parties[slotOf('coordinator')]!, programme_id: programmeId ?? null, pathway_id: template.id })))}`;
    await sql`INSERT INTO case_parties ${sql(slice.flatMap((c) => Object.entries(parties).map(([slot, organisation_id]) => ({ case_id: c.caseId, slot, organisation_id }))))}`;
  }
  return cases;
}

export async function startCases(client: Client, taskQueue: string, cases: readonly NewCase[]): Promise<void> {
  await inParallel(cases, STARTS_AT_ONCE, (c) => startCaseWorkflow(client, taskQueue, c));
}

/** A programme of `template` with its MoU published and signed by its coordinator alone: it takes cases. */
export async function openProgramme(sql: Sql, client: Client, taskQueue: string, options: { template: PathwayTemplate; coordinator: ActorRef; quota: number }): Promise<string> {
  const { template, coordinator, quota } = options;
  const programmeId = randomUUID();
  await sql`INSERT INTO programmes (id, name, pathway_id, template, coordinator_organisation_id, quota) VALUES (${programmeId}, 'Bench programme', ${template.id}, ${sql.json(template as never)}, ${coordinator.organisationId}, ${quota})`;
  await startProgrammeWorkflow(client, taskQueue, { programmeId, name: 'Bench programme', pathwayId: template.id, quota, coordinatorOrg: coordinator.organisationId, mouSignatories: [coordinator.organisationId], mouTime: QUIET_MOU });
  const programme = client.workflow.getHandle(programmeWorkflowId(programmeId));
  await programme.executeUpdate(programmeUpdates.publish_mou, { args: [{ actor: coordinator, document: { title: 'MoU', contentHash: 'bench' } }] });
  await programme.executeUpdate(programmeUpdates.sign_mou, { args: [{ actor: coordinator, version: 1 }] });
  return programmeId;
}
