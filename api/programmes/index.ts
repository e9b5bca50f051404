/** Creating and reading programmes: thin routes onto the use cases. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { createProgramme } from '../../usecases/create-programme.js';
import { programmeStateTexts, readProgrammeState } from '../../usecases/read-programme.js';
import { visibleProgramme } from '../../usecases/scope.js';
import { programmeWorkflowId } from '../../workflows/contract.js';
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
    const read = await readProgrammeState(temporal, sql, id);
    const texts = Object.fromEntries(await programmeStateTexts(sql, read.state));
    return c.json({ id, name: row.name, workflowId: programmeWorkflowId(id), ...read, texts }, 200);
  });

  return app;
}
