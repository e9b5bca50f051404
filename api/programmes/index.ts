/** Creating, listing and reading programmes, their timelines and MoU texts: thin routes onto the use cases. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { programmeAgreementText } from '../../usecases/agreement-texts.js';
import { createProgramme } from '../../usecases/create-programme.js';
import { readProgramme } from '../../usecases/programme-detail.js';
import { listProgrammes } from '../../usecases/programme-list.js';
import { programmeTimeline } from '../../usecases/timeline.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { idempotencyKeyOf } from '../idempotency-header.js';
import { validationHook } from '../validation.js';
import { createProgrammeRoute, getProgrammeRoute, listProgrammesRoute, mouTextRoute, programmeTimelineRoute } from './routes.js';

export function programmeRoutes(deps: ApiDeps) {
  const { sql } = deps;
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });

  app.openapi(createProgrammeRoute, async (c) => {
    const { body } = await createProgramme(deps, c.get('caller'), c.req.valid('json'), idempotencyKeyOf(c));
    c.header('Location', `/v1/programmes/${body.id}`);
    return c.json(body, 201);
  });

  app.openapi(listProgrammesRoute, async (c) => c.json(await listProgrammes(sql, c.get('caller'), c.req.valid('query')), 200));

  app.openapi(getProgrammeRoute, async (c) => {
    const { id, name, workflowId, state, source, stale, texts, changeRequests } = await readProgramme(deps, c.get('caller'), c.req.valid('param').id);
    return c.json({ id, name, workflowId, state, source, stale, texts: Object.fromEntries(texts), changeRequests }, 200);
  });

  app.openapi(programmeTimelineRoute, async (c) => c.json(await programmeTimeline(sql, c.get('caller'), c.req.valid('param').id, c.req.valid('query')), 200));

  app.openapi(mouTextRoute, async (c) => c.json(await programmeAgreementText(deps, c.get('caller'), c.req.valid('param').id), 200));

  return app;
}
