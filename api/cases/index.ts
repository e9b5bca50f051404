/** Opening, reading and listing cases, and their timelines: thin routes onto the use cases. */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Caller } from '../../usecases/caller.js';
import { listCases } from '../../usecases/case-list.js';
import { createCase } from '../../usecases/create-case.js';
import { readCaseState } from '../../usecases/read-case.js';
import { visibleCase } from '../../usecases/scope.js';
import { caseStateTexts } from '../../usecases/texts.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { idempotencyKeyOf } from '../idempotency-header.js';
import { validationHook } from '../validation.js';
import { createCaseRoute, getCaseRoute, listCasesRoute, timelineRoute } from './routes.js';

export function caseRoutes(deps: ApiDeps) {
  const { temporal, sql } = deps;
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });

  app.openapi(createCaseRoute, async (c) => {
    const waitForState = /\breturn=representation\b/i.test(c.req.header('prefer') ?? '');
    const { body } = await createCase(deps, c.get('caller') as Caller, c.req.valid('json'), idempotencyKeyOf(c), { waitForState });
    if (waitForState) c.header('Preference-Applied', 'return=representation');
    c.header('Location', `/v1/cases/${body.id}`);
    return c.json(body, 201);
  });

  app.openapi(getCaseRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { reference } = await visibleCase(sql, c.get('caller'), id);
    const read = await readCaseState(temporal, sql, id);
    const texts = Object.fromEntries(await caseStateTexts(sql, read.state));
    return c.json({ id, reference, workflowId: caseWorkflowId(id), ...read, texts }, 200);
  });

  app.openapi(listCasesRoute, async (c) => c.json(await listCases(sql, c.get('caller'), c.req.valid('query')), 200));

  app.openapi(timelineRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { after, limit } = c.req.valid('query');
    await visibleCase(sql, c.get('caller'), id);
    const rows = await sql<{ id: string; kind: string; actor: string; reason: string | null; data: Record<string, unknown>; at: Date }[]>`
      SELECT e.id::text AS id, e.kind, e.actor, COALESCE(t.body, e.reason) AS reason, e.data, e.at
      FROM case_events e LEFT JOIN texts t ON t.id = (CASE WHEN e.data->>'textRef' ~ '^[0-9a-fA-F-]{36}$' THEN (e.data->>'textRef')::uuid END)
      WHERE e.case_id = ${id} AND e.id > ${after} ORDER BY e.id LIMIT ${limit}`;
    return c.json(
      { items: rows.map(({ data: { textRef: _t, ...data }, ...r }) => ({ ...r, data, gateId: (data.gateId as string | undefined) ?? null, at: r.at.toISOString() })) },
      200,
    );
  });

  return app;
}
