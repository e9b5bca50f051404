/**
 * One route per action on a case, where and as its declaration (usecases/case-actions.ts) says:
 * 200 with the new state, 409 with the workflow's reason when refused, 503 when the outcome is not
 * known yet (retry with the same Idempotency-Key: it will not apply twice).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { caseActions, runCaseAction, type CaseActionType } from '../../usecases/case-actions.js';
import type { Caller } from '../../usecases/caller.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from '../idempotency-header.js';
import { actionResponses, problemResponse } from '../schemas.js';
import { validationHook } from '../validation.js';
import { CaseStateSchema } from './routes.js';

const onCase = '/v1/cases/{id}';
const onGate = `${onCase}/gates/{gateId}`;
const pathOf = (a: { onGate: boolean; path: string }) => `${a.onGate ? onGate : onCase}/${a.path}`;

/** Where each action is, and what it does, as the API documents it: from the actions' declarations. */
export const actionRoutes: { type: CaseActionType; path: string; summary: string }[] = caseActions.map((a) => ({ type: a.type, path: pathOf(a), summary: a.summary }));

export function caseActionRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  for (const a of caseActions) {
    const params = a.onGate ? z.object({ id: z.uuid(), gateId: z.string().min(1).max(40) }) : z.object({ id: z.uuid() });
    const route = createRoute({
      method: 'post',
      path: pathOf(a),
      tags: ['case actions'],
      summary: a.summary,
      request: {
        params,
        headers: IdempotencyHeader,
        body: { required: true, content: { 'application/json': { schema: (a.body as z.ZodType).meta({ example: a.example }) } } },
      },
      responses: {
        ...actionResponses('case', CaseStateSchema),
        ...(a.type === 'propose_match'
          ? { 422: problemResponse('A candidate is no organisation, or not of the kind of the party the match fills; `candidate` names it', { status: 422, title: 'Candidate not eligible', detail: 'candidate 5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d is a municipality, not a sponsor_group: this step fills the party "sponsor"' }) }
          : {}),
      },
    });
    app.openapi(route, (async (c: any) => {
      const { id, gateId } = c.req.valid('param') as { id: string; gateId?: string };
      const state = await runCaseAction(deps, c.get('caller') as Caller, id, a.type, c.req.valid('json'), { gateId, idempotencyKey: idempotencyKeyOf(c) });
      return c.json(state, 200);
    }) as never);
  }
  return app;
}
