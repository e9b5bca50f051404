/** Creating and reading programmes: thin routes onto the use cases. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ProgrammeView } from '../../domain/programme-model.js';
import { createProgramme } from '../../usecases/create-programme.js';
import { LIVE_READ_DEADLINE_MS } from '../../usecases/read-case.js';
import { visibleProgramme } from '../../usecases/scope.js';
import { programmeStateQuery, programmeWorkflowId } from '../../workflows/contract.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { idempotencyKeyOf } from '../idempotency-header.js';
import { validationHook } from '../validation.js';
import { createProgrammeRoute, getProgrammeRoute } from './routes.js';

export function programmeRoutes(deps: ApiDeps) {
  const { temporal, sql } = deps;
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });

  app.openapi(createProgrammeRoute, async (c) => {
    const { body } = await createProgramme(deps, c.get('caller'), c.req.valid('json'), idempotencyKeyOf(c));
    c.header('Location', `/v1/programmes/${body.id}`);
    return c.json(body, 201);
  });

  app.openapi(getProgrammeRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await visibleProgramme(sql, c.get('caller'), id);
    let state: ProgrammeView | null = null;
    let source: 'workflow' | 'projection' = 'workflow';
    let stale = false;
    try {
      state = await temporal.withDeadline(Date.now() + LIVE_READ_DEADLINE_MS, () => temporal.workflow.getHandle(programmeWorkflowId(id)).query(programmeStateQuery));
    } catch (error) {
      const [row] = await sql<{ state: ProgrammeView | null }[]>`SELECT state FROM programmes WHERE id = ${id}`;
      state = row?.state ?? null;
      source = 'projection';
      stale = !(error instanceof WorkflowNotFoundError);
    }
    return c.json({ id, name: row.name, workflowId: programmeWorkflowId(id), state, source, stale }, 200);
  });

  return app;
}
