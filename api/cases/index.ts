import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { CaseView } from '../../domain/case-view.js';
import { caseStateQuery, caseWorkflowId } from '../../workflows/contract.js';
import type { caseWorkflow } from '../../workflows/case.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { validationHook } from '../validation.js';
import { checkParties, resolveTemplate } from './pathway.js';
import { createCaseRoute, getCaseRoute } from './routes.js';

export function caseRoutes({ temporal, sql, taskQueue }: ApiDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(createCaseRoute, async (c) => {
    const body = c.req.valid('json');
    const id = randomUUID();
    const workflowId = caseWorkflowId(id);
    await sql.begin(async (tx) => {
      const template = await resolveTemplate(tx, body);
      await checkParties(tx, template, body.parties);
      const sponsor = template.parties.find((p) => p.kind === 'sponsor_group');
      await tx`
        INSERT INTO cases (id, reference, sponsor_organisation_id, programme_id, pathway_id)
        VALUES (${id}, ${body.reference}, ${sponsor ? body.parties[sponsor.id]! : null}, ${body.programmeId ?? null}, ${template.id})`;
      await tx`
        INSERT INTO case_households (case_id, principal_name, members, needs)
        VALUES (${id}, ${body.household.principalName}, ${tx.json(body.household.members)}, ${body.household.needs})`;
      // Started inside the transaction: if Temporal refuses, the rows roll back and nothing is half-made.
      await temporal.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        workflowId,
        taskQueue,
        args: [{ case: { caseId: id, reference: body.reference, programmeId: body.programmeId, template, parties: body.parties } }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
    });
    c.header('Location', `/v1/cases/${id}`);
    return c.json({ id, reference: body.reference, workflowId, state: null }, 201);
  });

  app.openapi(getCaseRoute, async (c) => {
    const { id } = c.req.valid('param');
    const [row] = await sql<{ reference: string }[]>`SELECT reference FROM cases WHERE id = ${id}`;
    if (!row) throw new ProblemError(404, 'Case not found');
    let state: CaseView | null = null;
    try {
      state = await temporal.workflow.getHandle(caseWorkflowId(id)).query(caseStateQuery);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    return c.json({ id, reference: row.reference, workflowId: caseWorkflowId(id), state }, 200);
  });

  return app;
}
