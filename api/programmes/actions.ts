/** One route per programme action, each onto usecases/programme-actions.ts. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Caller } from '../../usecases/caller.js';
import { programmeActionOf, runProgrammeAction, type ProgrammeActionType } from '../../usecases/programme-actions.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from '../idempotency-header.js';
import { actionResponses } from '../schemas.js';
import { validationHook } from '../validation.js';
import { ProgrammeStateSchema } from './routes.js';

const routes: { type: ProgrammeActionType; path: string; summary: string }[] = [
  { type: 'publish_mou', path: '/v1/programmes/{id}/agreement/publish', summary: 'Coordinator: publish version n+1 of the MoU (earlier signatures are void)' },
  { type: 'sign_mou', path: '/v1/programmes/{id}/agreement/sign', summary: 'Sign the current MoU version' },
  { type: 'request_mou_changes', path: '/v1/programmes/{id}/agreement/request-changes', summary: 'Ask for changes to the MoU' },
  { type: 'pause', path: '/v1/programmes/{id}/pause', summary: 'Pause the programme: every open case holds at its next gate, reminders stop' },
  { type: 'resume', path: '/v1/programmes/{id}/resume', summary: 'Resume the programme and its cases' },
  { type: 'set_quota', path: '/v1/programmes/{id}/quota', summary: 'Change the quota (not below the places used or reserved)' },
  { type: 'close', path: '/v1/programmes/{id}/close', summary: 'Close the programme (when no case is open)' },
];

export function programmeActionRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  for (const r of routes) {
    const route = createRoute({
      method: 'post',
      path: r.path,
      tags: ['programme actions'],
      summary: r.summary,
      request: { params: z.object({ id: z.uuid() }), headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: programmeActionOf(r.type).body } } } },
      responses: actionResponses('programme', ProgrammeStateSchema),
    });
    app.openapi(route, (async (c: any) => {
      const { id } = c.req.valid('param') as { id: string };
      return c.json(await runProgrammeAction(deps, c.get('caller') as Caller, id, r.type, c.req.valid('json'), idempotencyKeyOf(c)), 200);
    }) as never);
  }
  return app;
}
