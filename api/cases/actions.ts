/**
 * One route per action on a case, each onto the use case that performs it (usecases/case-actions.ts):
 * 200 with the new state, 409 with the workflow's reason when refused, 503 when the outcome is not
 * known yet (retry with the same Idempotency-Key: it will not apply twice).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { caseActionOf, runCaseAction, type CaseActionType } from '../../usecases/case-actions.js';
import type { Caller } from '../../usecases/caller.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from '../idempotency-header.js';
import { actionResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import { CaseStateSchema } from './routes.js';

const gate = '/v1/cases/{id}/gates/{gateId}';

/** Where each action is, and what it does, as the API documents it. */
export const actionRoutes: { type: CaseActionType; path: string; summary: string }[] = [
  { type: 'decide', path: `${gate}/decision`, summary: 'Approve, reject (with a reason) or ask for more information' },
  { type: 'complete', path: `${gate}/complete`, summary: 'Mark a task done' },
  { type: 'offer_housing', path: `${gate}/offer`, summary: 'Municipality: offer housing (the address is kept in PostgreSQL only)' },
  { type: 'decline_housing_request', path: `${gate}/decline-request`, summary: 'Municipality: no capacity (coordinators are told at once)' },
  { type: 'accept_offer', path: `${gate}/accept`, summary: 'Accept the open housing offer' },
  { type: 'decline_offer', path: `${gate}/decline`, summary: 'Decline the open housing offer, with a reason' },
  { type: 'publish_agreement', path: `${gate}/publish`, summary: 'Coordinator: publish version n+1 of the agreement (earlier signatures are void)' },
  { type: 'sign', path: `${gate}/sign`, summary: 'Sign the current version' },
  { type: 'request_changes', path: `${gate}/request-changes`, summary: 'Ask for changes to the agreement' },
  { type: 'submit_checkin', path: `${gate}/checkin`, summary: 'Submit the next check-in report (the report text stays in PostgreSQL)' },
  { type: 'nudge', path: '/v1/cases/{id}/nudge', summary: 'Coordinator: remind whoever a gate waits on now' },
  { type: 'extend', path: '/v1/cases/{id}/extend', summary: "Coordinator: move a gate's due date later (a date set during a hold stands as set)" },
  { type: 'reassign', path: '/v1/cases/{id}/reassign', summary: 'Coordinator: give a gate to another organisation of the same kind (e.g. another municipality)' },
  { type: 'hold', path: '/v1/cases/{id}/hold', summary: 'Coordinator: put the case on hold (reminders stop)' },
  { type: 'resume', path: '/v1/cases/{id}/resume', summary: 'Coordinator: resume a held case (deadlines move on by the time held)' },
  { type: 'withdraw', path: '/v1/cases/{id}/withdraw', summary: 'Coordinator: withdraw the case (its quota place is released)' },
];

export function caseActionRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  for (const a of actionRoutes) {
    const onGate = caseActionOf(a.type).onGate;
    const params = onGate ? z.object({ id: z.uuid(), gateId: z.string().min(1).max(40) }) : z.object({ id: z.uuid() });
    const route = createRoute({
      method: 'post',
      path: a.path,
      tags: ['case actions'],
      summary: a.summary,
      request: {
        params,
        headers: IdempotencyHeader,
        body: { required: true, content: { 'application/json': { schema: caseActionOf(a.type).body as z.ZodType } } },
      },
      responses: actionResponses('case', CaseStateSchema),
    });
    app.openapi(route, (async (c: any) => {
      const { id, gateId } = c.req.valid('param') as { id: string; gateId?: string };
      const state = await runCaseAction(deps, c.get('caller') as Caller, id, a.type, c.req.valid('json'), { gateId, idempotencyKey: idempotencyKeyOf(c) });
      return c.json(state, 200);
    }) as never);
  }
  return app;
}
