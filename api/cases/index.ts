import { randomUUID } from 'node:crypto';
import { OpenAPIHono } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import { caseStateQuery, caseWorkflowId, type CaseState } from '../../workflows/contract.js';
import type { caseWorkflow } from '../../workflows/case.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { validationHook } from '../validation.js';
import { createCaseRoute, getCaseRoute } from './routes.js';

const REFERRAL_REMINDER_AFTER = '14 days';

export function caseRoutes({ temporal, sql, taskQueue }: ApiDeps) {
  const app = new OpenAPIHono({ defaultHook: validationHook });

  app.openapi(createCaseRoute, async (c) => {
    const body = c.req.valid('json');
    const id = randomUUID();
    const workflowId = caseWorkflowId(id);
    await sql.begin(async (tx) => {
      const [sponsor] = await tx<{ kind: string }[]>`SELECT kind FROM organisations WHERE id = ${body.sponsorOrganisationId}`;
      if (sponsor?.kind !== 'sponsor_group') {
        throw new ProblemError(400, 'Invalid input', 'sponsorOrganisationId must name a sponsor group', {
          errors: [{ field: 'sponsorOrganisationId', message: 'no sponsor group with this id' }],
        });
      }
      await tx`INSERT INTO cases (id, reference, sponsor_organisation_id) VALUES (${id}, ${body.reference}, ${body.sponsorOrganisationId})`;
      await tx`
        INSERT INTO case_households (case_id, principal_name, members, needs)
        VALUES (${id}, ${body.household.principalName}, ${tx.json(body.household.members)}, ${body.household.needs})`;
      // Started inside the transaction: if Temporal refuses, the rows roll back and nothing is half-made.
      await temporal.workflow.start<typeof caseWorkflow>('caseWorkflow', {
        workflowId,
        taskQueue,
        args: [{ caseId: id, referralReminderAfter: REFERRAL_REMINDER_AFTER }],
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
    let state: CaseState | null = null;
    try {
      state = await temporal.workflow.getHandle(caseWorkflowId(id)).query(caseStateQuery);
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    return c.json({ id, reference: row.reference, workflowId: caseWorkflowId(id), state }, 200);
  });

  return app;
}
