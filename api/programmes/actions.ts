/** One route per programme action, where and as its declaration (usecases/programme-actions.ts) says. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Caller } from '../../usecases/caller.js';
import { programmeActions, runProgrammeAction } from '../../usecases/programme-actions.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from '../idempotency-header.js';
import { actionResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import { ProgrammeStateSchema } from './routes.js';

export function programmeActionRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  for (const a of programmeActions) {
    const route = createRoute({
      method: 'post',
      path: `/v1/programmes/{id}/${a.path}`,
      tags: ['programme actions'],
      summary: a.summary,
      request: { params: z.object({ id: z.uuid() }), headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: (a.body as z.ZodType).meta({ example: a.example }) } } } },
      responses: actionResponses('programme', ProgrammeStateSchema),
    });
    app.openapi(route, (async (c: any) => {
      const { id } = c.req.valid('param') as { id: string };
      return c.json(await runProgrammeAction(deps, c.get('caller') as Caller, id, a.type, c.req.valid('json'), idempotencyKeyOf(c)), 200);
    }) as never);
  }
  return app;
}
