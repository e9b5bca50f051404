/** Opening, reading and listing cases, their timelines and agreement texts: thin routes onto the use cases. */
import { OpenAPIHono } from '@hono/zod-openapi';
import { caseAgreementText } from '../../usecases/agreement-texts.js';
import type { Caller } from '../../usecases/caller.js';
import { readCase } from '../../usecases/case-detail.js';
import { listCases } from '../../usecases/case-list.js';
import { createCase } from '../../usecases/create-case.js';
import { readHousehold, readLog } from '../../usecases/household.js';
import { caseTimeline } from '../../usecases/timeline.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { idempotencyKeyOf } from '../idempotency-header.js';
import { validationHook } from '../validation.js';
import { agreementTextRoute, createCaseRoute, getCaseRoute, householdRoute, listCasesRoute, readLogRoute, timelineRoute } from './routes.js';

export function caseRoutes(deps: ApiDeps) {
  const { sql } = deps;
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });

  app.openapi(createCaseRoute, async (c) => {
    const waitForState = /\breturn=representation\b/i.test(c.req.header('prefer') ?? '');
    const { body } = await createCase(deps, c.get('caller') as Caller, c.req.valid('json'), idempotencyKeyOf(c), { waitForState });
    if (waitForState) c.header('Preference-Applied', 'return=representation');
    c.header('Location', `/v1/cases/${body.id}`);
    return c.json(body, 201);
  });

  app.openapi(getCaseRoute, async (c) => {
    const { id, reference, workflowId, state, source, stale, texts, erasure, departureBatch } = await readCase(deps, c.get('caller'), c.req.valid('param').id);
    const erased = erasure && { erasedAt: erasure.erasedAt, reason: erasure.reason, actor: erasure.actor };
    return c.json({ id, reference, workflowId, state, source, stale, texts: Object.fromEntries(texts), erasure: erased, departureBatch }, 200);
  });

  app.openapi(listCasesRoute, async (c) => c.json(await listCases(sql, c.get('caller'), c.req.valid('query')), 200));

  app.openapi(timelineRoute, async (c) => c.json(await caseTimeline(sql, c.get('caller'), c.req.valid('param').id, c.req.valid('query')), 200));

  app.openapi(agreementTextRoute, async (c) => {
    const { id, gateId } = c.req.valid('param');
    return c.json(await caseAgreementText(deps, c.get('caller'), id, gateId), 200);
  });

  app.openapi(householdRoute, async (c) => c.json(await readHousehold(deps, c.get('caller'), c.req.valid('param').id, 'api'), 200));

  app.openapi(readLogRoute, async (c) => c.json(await readLog(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('query')), 200));

  return app;
}
