/**
 * Creating a programme: its row first (committed), then its workflow, started idempotently by the
 * programme's own workflow id. A start that fails answers 503; the same Idempotency-Key retries it.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
// zod with OpenAPI metadata: the API documents these very schemas.
import { z } from '@hono/zod-openapi';
import { PathwayTemplate, TimePolicy } from '../domain/pathway.js';
import type { NewProgramme } from '../domain/programme-model.js';
import { builtInTemplate, builtInTemplates } from '../domain/templates/index.js';
import type { Sql } from '../infra/db.js';
import { programmeTaskQueue, programmeWorkflowId } from '../workflows/contract.js';
import type { programmeWorkflow } from '../workflows/programme.js';
import type { Caller } from './caller.js';
import type { Deps } from './deps.js';
import { beginRequest, finishRequest, requestScope } from './idempotency.js';
import { invalidInput, ProblemError } from './problem.js';
import { startOnce } from './start-workflow.js';
import { RETRY_AFTER_SECONDS } from './updates.js';

export const CreateProgrammeBody = z.object({
  name: z.string().trim().min(1).max(120),
  /** A built-in pathway id, or the programme's own template (validated here). */
  pathway: z.union([z.string().min(1).max(40), PathwayTemplate]),
  quota: z.number().int().min(0).max(100_000),
  coordinatorOrganisationId: z.uuid(),
  /** Every organisation that must sign the MoU (national, regional and local government, sponsors…). */
  mouSignatories: z.array(z.uuid()).min(1).max(50),
  mouTime: TimePolicy.default({ dueIn: '30 days', remindAt: ['14 days', '25 days'], escalateEvery: '7 days' }),
});
export type CreateProgrammeBody = z.infer<typeof CreateProgrammeBody>;

export interface CreatedProgramme {
  id: string;
  name: string;
  workflowId: string;
  state: null;
}

/** Starts (or finds running) the workflow of a programme whose row exists. */
/** Starts (or finds running) a programme's workflow, on the programme queue beside `caseQueue`. */
export async function startProgrammeWorkflow(temporal: Client, caseQueue: string, programme: NewProgramme): Promise<void> {
  await temporal.workflow.start<typeof programmeWorkflow>('programmeWorkflow', {
    workflowId: programmeWorkflowId(programme.programmeId),
    taskQueue: programmeTaskQueue(caseQueue),
    args: [{ programme }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
}

/** The workflow input of a programme, from its row (for a programme whose start must be retried). */
export async function loadNewProgramme(sql: Sql, programmeId: string): Promise<NewProgramme | undefined> {
  const [row] = await sql<{ name: string; pathwayId: string; quota: number; coordinator: string; signatories: string[]; mouTime: TimePolicy | null }[]>`
    SELECT name, pathway_id AS "pathwayId", quota, coordinator_organisation_id AS coordinator, mou_signatories AS signatories, mou_time AS "mouTime"
    FROM programmes WHERE id = ${programmeId}`;
  if (!row?.mouTime) return undefined;
  return { programmeId, name: row.name, pathwayId: row.pathwayId, quota: row.quota, coordinatorOrg: row.coordinator, mouSignatories: row.signatories, mouTime: row.mouTime };
}

export async function createProgramme(deps: Deps & { taskQueue: string }, caller: Caller, body: CreateProgrammeBody, idempotencyKey?: string): Promise<{ status: 201; body: CreatedProgramme }> {
  if (caller.role !== 'coordinator' || caller.organisationId !== body.coordinatorOrganisationId) {
    throw new ProblemError(403, 'Only coordinators create programmes', 'A programme is created by a coordinator of its coordinating organisation.');
  }
  const template = typeof body.pathway === 'string' ? builtInTemplate(body.pathway) : body.pathway;
  if (!template) throw invalidInput('pathway', `not a built-in pathway; use one of ${Object.keys(builtInTemplates).join(', ')}, or give a template`);
  const scope = requestScope(caller.personId, idempotencyKey, { route: 'create-programme', body });
  const begun = await beginRequest(deps.sql, scope, randomUUID());
  if (begun.answer) return begun.answer as { status: 201; body: CreatedProgramme };
  const id = begun.resourceId ?? randomUUID();

  const ids = [body.coordinatorOrganisationId, ...body.mouSignatories];
  const kinds = new Map((await deps.sql<{ id: string; kind: string }[]>`SELECT id, kind FROM organisations WHERE id = ANY(${ids}::uuid[])`).map((r) => [r.id, r.kind]));
  if (kinds.get(body.coordinatorOrganisationId) !== 'coordinator') throw invalidInput('coordinatorOrganisationId', 'must be an organisation of kind coordinator');
  const unknown = body.mouSignatories.filter((s) => !kinds.has(s));
  if (unknown.length) throw invalidInput('mouSignatories', `no organisation with id ${unknown.join(', ')}`);
  await deps.sql`
    INSERT INTO programmes (id, name, pathway_id, template, coordinator_organisation_id, quota, mou_signatories, mou_time)
    VALUES (${id}, ${body.name}, ${template.id}, ${deps.sql.json(template as never)}, ${body.coordinatorOrganisationId}, ${body.quota}, ${body.mouSignatories}, ${deps.sql.json(body.mouTime as never)})
    ON CONFLICT (id) DO NOTHING`;
  const programme: NewProgramme = {
    programmeId: id,
    name: body.name,
    pathwayId: template.id,
    quota: body.quota,
    coordinatorOrg: body.coordinatorOrganisationId,
    mouSignatories: body.mouSignatories,
    mouTime: body.mouTime,
  };
  if ((await startOnce(() => startProgrammeWorkflow(deps.temporal, deps.taskQueue, programme))) === 'unknown') {
    throw new ProblemError(
      503,
      'Temporal is unavailable',
      idempotencyKey
        ? 'The programme is recorded but its workflow could not be started yet. Send the same request again with the same Idempotency-Key; SafeRoutes also starts it by itself within a minute or two.'
        : 'The programme is recorded but its workflow could not be started yet; SafeRoutes starts it by itself within a minute or two. Send requests with an Idempotency-Key so that a retry cannot make a second programme.',
      { programmeId: id },
      RETRY_AFTER_SECONDS,
    );
  }
  return (await finishRequest(deps.sql, scope, { status: 201, body: { id, name: body.name, workflowId: programmeWorkflowId(id), state: null } })) as { status: 201; body: CreatedProgramme };
}
