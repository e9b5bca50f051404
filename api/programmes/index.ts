import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ProgrammeView } from '../../domain/programme-model.js';
import { builtInTemplate, builtInTemplates } from '../../domain/templates/index.js';
import { programmeStateQuery, programmeWorkflowId } from '../../workflows/contract.js';
import type { programmeWorkflow } from '../../workflows/programme.js';
import type { ApiDeps } from '../deps.js';
import { invalidInput, ProblemError } from '../problem.js';
import { validationHook } from '../validation.js';
import type { AuthEnv } from '../auth.js';
import { visibleProgramme } from '../scope.js';
import { createProgrammeRoute, getProgrammeRoute } from './routes.js';

export function programmeRoutes({ temporal, sql, taskQueue }: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });

  app.openapi(createProgrammeRoute, async (c) => {
    const body = c.req.valid('json');
    const caller = c.get('caller');
    if (caller.role !== 'coordinator' || caller.organisationId !== body.coordinatorOrganisationId) {
      throw new ProblemError(403, 'Only coordinators create programmes', "A programme is created by a coordinator of its coordinating organisation.");
    }
    const template = typeof body.pathway === 'string' ? builtInTemplate(body.pathway) : body.pathway;
    if (!template) throw invalidInput('pathway', `not a built-in pathway; use one of ${Object.keys(builtInTemplates).join(', ')}, or give a template`);
    const id = randomUUID();
    const workflowId = programmeWorkflowId(id);
    await sql.begin(async (tx) => {
      const ids = [body.coordinatorOrganisationId, ...body.mouSignatories];
      const kinds = new Map((await tx<{ id: string; kind: string }[]>`SELECT id, kind FROM organisations WHERE id = ANY(${ids}::uuid[])`).map((r) => [r.id, r.kind]));
      if (kinds.get(body.coordinatorOrganisationId) !== 'coordinator') throw invalidInput('coordinatorOrganisationId', 'must be an organisation of kind coordinator');
      const unknown = body.mouSignatories.filter((s) => !kinds.has(s));
      if (unknown.length) throw invalidInput('mouSignatories', `no organisation with id ${unknown.join(', ')}`);
      await tx`
        INSERT INTO programmes (id, name, pathway_id, template, coordinator_organisation_id, quota, mou_signatories)
        VALUES (${id}, ${body.name}, ${template.id}, ${tx.json(template as never)}, ${body.coordinatorOrganisationId}, ${body.quota}, ${body.mouSignatories})`;
      await temporal.workflow.start<typeof programmeWorkflow>('programmeWorkflow', {
        workflowId,
        taskQueue,
        args: [{ programme: { programmeId: id, name: body.name, pathwayId: template.id, quota: body.quota, coordinatorOrg: body.coordinatorOrganisationId, mouSignatories: body.mouSignatories, mouTime: body.mouTime } }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    });
    c.header('Location', `/v1/programmes/${id}`);
    return c.json({ id, name: body.name, workflowId, state: null }, 201);
  });

  app.openapi(getProgrammeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await visibleProgramme(sql, c.get('caller'), id);
    let state: ProgrammeView | null = null;
    try {
      state = await temporal.workflow.getHandle(programmeWorkflowId(id)).query(programmeStateQuery);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    return c.json({ id, name: row.name, workflowId: programmeWorkflowId(id), state }, 200);
  });

  return app;
}
