/**
 * Opening a case: its rows (the household's personal data among them) are committed first, then
 * its workflow is started — idempotently, by the case's own workflow id — outside any transaction.
 * A start that fails leaves a `starting` case that blocks nothing: a retry with the same key
 * starts it, and so does the watchdog if nobody retries.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
// zod with OpenAPI metadata: the API documents these very schemas.
import { z } from '@hono/zod-openapi';
import type { NewCase } from '../domain/case-lifecycle.js';
import type { CaseView } from '../domain/case-view.js';
import { PathwayTemplate } from '../domain/pathway.js';
import { builtInTemplate } from '../domain/templates/index.js';
import type { Sql } from '../infra/db.js';
import { isOutcomeUnknown } from '../infra/temporal-errors.js';
import type { caseWorkflow } from '../workflows/case.js';
import { caseStateQuery, caseWorkflowId, programmeWorkflowId } from '../workflows/contract.js';
import type { Caller } from './caller.js';
import { checkParties, mayOpen, resolveTemplate } from './case-template.js';
import type { Deps } from './deps.js';
import { HouseholdMember } from './household.js';
import { beginRequest, finishRequest, requestScope } from './idempotency.js';
import { ProblemError } from './problem.js';
import { LIVE_READ_DEADLINE_MS } from './read-case.js';
import { startOnce } from './start-workflow.js';
import { RETRY_AFTER_SECONDS } from './updates.js';

export const CreateCaseBody = z.object({
  reference: z.string().trim().min(1).max(64),
  /** The programme the case runs in; its template and quota apply. */
  programmeId: z.uuid().optional(),
  /** A built-in pathway, for a case outside any programme. */
  pathwayId: z.string().min(1).max(40).optional(),
  /** Which organisation fills each of the pathway's party slots. */
  parties: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), z.uuid()),
  household: z.object({
    principalName: z.string().trim().min(1).max(200),
    /** Everyone else in the household: a name, and optionally a birth year and relation to the principal (usecases/household.ts). */
    members: z.array(HouseholdMember).max(20).default([]),
    needs: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
  }),
});
export type CreateCaseBody = z.infer<typeof CreateCaseBody>;

export interface CreatedCase {
  id: string;
  reference: string;
  workflowId: string;
  /** The case's first state, when asked for and its workflow answered in time (else read it a moment later). */
  state: CaseView | null;
}

/** Starts (or finds running) the workflow of a case whose rows exist. */
export async function startCaseWorkflow(temporal: Client, taskQueue: string, c: NewCase): Promise<void> {
  await temporal.workflow.start<typeof caseWorkflow>('caseWorkflow', {
    workflowId: caseWorkflowId(c.caseId),
    taskQueue,
    args: [{ case: c }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A case's id is never used for a second workflow, even after the first one closed.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
}

/** The workflow input of a case, from its rows (for a case whose start must be retried). */
export async function loadNewCase(sql: Sql, caseId: string): Promise<NewCase | undefined> {
  const [row] = await sql<{ reference: string; programmeId: string | null; pathwayId: string | null; template: unknown }[]>`
    SELECT c.reference, c.programme_id AS "programmeId", c.pathway_id AS "pathwayId", p.template
    FROM cases c LEFT JOIN programmes p ON p.id = c.programme_id WHERE c.id = ${caseId}`;
  if (!row) return undefined;
  const template = row.template ? PathwayTemplate.parse(row.template) : row.pathwayId ? builtInTemplate(row.pathwayId) : undefined;
  if (!template) return undefined;
  // The parties it was opened with: not a match's candidates (`proposed:…`, usecases/match.ts).
  const parties = await sql<{ slot: string; organisationId: string }[]>`SELECT slot, organisation_id AS "organisationId" FROM case_parties WHERE case_id = ${caseId} AND slot NOT LIKE 'proposed:%'`;
  return { caseId, reference: row.reference, programmeId: row.programmeId ?? undefined, template, parties: Object.fromEntries(parties.map((p) => [p.slot, p.organisationId])) };
}

/**
 * A programme takes new cases while it is not closed and its workflow runs (a programme's workflow
 * ends when it closes). Read from its projection — which a programme action through SafeRoutes
 * writes at once — and the server's description of its workflow, not by asking the workflow: a
 * query per case would line every intake up behind the programme's one workflow. A case opened in
 * the moment between a close and its projection is refused by the programme itself, and ends
 * withdrawn, on the coordinators' board, with its place never taken.
 */
async function refuseProgramme(deps: Deps, programmeId: string): Promise<void> {
  const closed = new ProblemError(409, 'Programme closed', 'The programme is closed: it takes no new cases.');
  const [row] = await deps.sql<{ status: string }[]>`SELECT status FROM programmes WHERE id = ${programmeId}`;
  if (row?.status === 'closed') throw closed;
  let status: string;
  try {
    status = (await deps.temporal.workflow.getHandle(programmeWorkflowId(programmeId)).describe()).status.name;
  } catch (error) {
    if (isOutcomeUnknown(error)) throw new ProblemError(503, 'Temporal is unavailable', 'Nothing was created. Try again shortly.', {}, RETRY_AFTER_SECONDS);
    status = 'NOT_FOUND';
  }
  if (status === 'COMPLETED') throw closed;
  if (status !== 'RUNNING') throw new ProblemError(409, 'Programme not running', 'The programme is not running: it takes no new cases. Ask its coordinator.');
}

/**
 * The case's first state, from its workflow (which answers after its first step, before anything
 * is projected); null when it does not answer within a moment — the case is open all the same,
 * and its state can be read a moment later.
 */
async function firstState(temporal: Client, caseId: string): Promise<CaseView | null> {
  try {
    return await temporal.withDeadline(Date.now() + LIVE_READ_DEADLINE_MS, () => temporal.workflow.getHandle(caseWorkflowId(caseId)).query(caseStateQuery));
  } catch {
    return null;
  }
}

/**
 * Opens a case. Answered as soon as its workflow is started; with `waitForState` (the API's
 * `Prefer: return=representation`) it waits a moment for the case's first state from its workflow.
 * Bulk intake does not wait: a worker busy with many new cases takes its time over each first step.
 */
export async function createCase(
  deps: Deps & { taskQueue: string },
  caller: Caller,
  body: CreateCaseBody,
  idempotencyKey?: string,
  options: { waitForState?: boolean } = {},
): Promise<{ status: 201; body: CreatedCase }> {
  const scope = requestScope(caller.personId, idempotencyKey, { route: 'create-case', body });
  const begun = await beginRequest(deps.sql, scope, randomUUID());
  if (begun.answer) return begun.answer as { status: 201; body: CreatedCase };
  const id = begun.resourceId ?? randomUUID();

  const template = await resolveTemplate(deps.sql, caller, body);
  await checkParties(deps.sql, template, body.parties);
  if (mayOpen(template, body.parties, caller.organisationId).length === 0) throw new ProblemError(403, 'Not your case to open', 'Cases are opened by their coordinator or their sponsor group.');
  if (body.programmeId) await refuseProgramme(deps, body.programmeId);

  const sponsor = template.parties.find((p) => p.kind === 'sponsor_group');
  const coordinator = template.parties.find((p) => p.kind === 'coordinator')!;
  await deps.sql.begin(async (tx) => {
    const made = await tx`
      INSERT INTO cases (id, reference, sponsor_organisation_id, coordinator_organisation_id, programme_id, pathway_id)
      VALUES (${id}, ${body.reference}, ${(sponsor && body.parties[sponsor.id]) ?? null}, ${body.parties[coordinator.id]!}, ${body.programmeId ?? null}, ${template.id})
      ON CONFLICT (id) DO NOTHING`;
    if (made.count === 0) return; // a retry: the rows are there
    await tx`INSERT INTO case_parties ${tx(Object.entries(body.parties).map(([slot, organisation_id]) => ({ case_id: id, slot, organisation_id })))}`;
    await tx`
      INSERT INTO case_households (case_id, principal_name, members, needs)
      VALUES (${id}, ${body.household.principalName}, ${tx.json(body.household.members)}, ${body.household.needs})`;
  });
  const started = await startOnce(() => startCaseWorkflow(deps.temporal, deps.taskQueue, { caseId: id, reference: body.reference, programmeId: body.programmeId, template, parties: body.parties }));
  if (started === 'unknown') {
    throw new ProblemError(
      503,
      'Temporal is unavailable',
      idempotencyKey
        ? 'The case is recorded but its workflow could not be started yet. Send the same request again with the same Idempotency-Key: no second case will be made. SafeRoutes also starts it by itself within a minute or two.'
        : 'The case is recorded but its workflow could not be started yet; SafeRoutes starts it by itself within a minute or two. Do not send the request again: without an Idempotency-Key that would open a second case.',
      { caseId: id },
      RETRY_AFTER_SECONDS,
    );
  }
  const created: CreatedCase = { id, reference: body.reference, workflowId: caseWorkflowId(id), state: options.waitForState ? await firstState(deps.temporal, id) : null };
  return (await finishRequest(deps.sql, scope, { status: 201, body: created })) as { status: 201; body: CreatedCase };
}
