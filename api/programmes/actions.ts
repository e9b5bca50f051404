/** Actions on a programme, each a Temporal update: MoU versions and signatures, pause/resume, quota, close. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ProgrammeAction, ProgrammeView } from '../../domain/programme-model.js';
import { programmeUpdates, programmeWorkflowId } from '../../workflows/contract.js';
import { actorOf, type AuthEnv, type Caller } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { problemResponse } from '../schemas.js';
import { visibleProgramme } from '../scope.js';
import { DocumentBody, storeDocument } from '../documents.js';
import { runUpdate } from '../updates.js';
import { validationHook } from '../validation.js';
import { ProgrammeStateSchema } from './routes.js';
import type { Tx } from '../../infra/db.js';

const reason = z.string().trim().min(1).max(2000);

interface Ctx {
  programmeId: string;
  tx: Tx;
}

const routes: { type: ProgrammeAction['type']; path: string; summary: string; body: z.ZodType; toInput: (b: any, ctx: Ctx) => unknown }[] = [
  {
    type: 'publish_mou',
    path: '/v1/programmes/{id}/agreement/publish',
    summary: 'Coordinator: publish version n+1 of the MoU (earlier signatures are void)',
    body: DocumentBody,
    toInput: async (b: z.infer<typeof DocumentBody>, ctx) => ({ document: await storeDocument(ctx.tx, { programmeId: ctx.programmeId }, b) }),
  },
  { type: 'sign_mou', path: '/v1/programmes/{id}/agreement/sign', summary: 'Sign the current MoU version', body: z.object({ version: z.number().int().min(1) }), toInput: (b) => b },
  { type: 'request_mou_changes', path: '/v1/programmes/{id}/agreement/request-changes', summary: 'Ask for changes to the MoU', body: z.object({ comment: reason }), toInput: (b) => b },
  { type: 'pause', path: '/v1/programmes/{id}/pause', summary: 'Pause the programme: every open case holds at its next gate, reminders stop', body: z.object({ reason }), toInput: (b) => b },
  { type: 'resume', path: '/v1/programmes/{id}/resume', summary: 'Resume the programme and its cases', body: z.object({}), toInput: () => ({}) },
  { type: 'set_quota', path: '/v1/programmes/{id}/quota', summary: 'Change the quota (not below the places used or reserved)', body: z.object({ quota: z.number().int().min(0).max(100_000) }), toInput: (b) => b },
  { type: 'close', path: '/v1/programmes/{id}/close', summary: 'Close the programme (when no case is open)', body: z.object({ reason }), toInput: (b) => b },
];

export type ProgrammeActionType = ProgrammeAction['type'];

/** The body schema of an action, for callers (the pages) that build the body themselves. */
export const programmeActionBody = (type: ProgrammeActionType): z.ZodType => routes.find((r) => r.type === type)!.body;

/** Performs one programme action as `caller`; `body` must have passed the action's schema. */
export async function runProgrammeAction({ temporal, sql }: Pick<ApiDeps, 'temporal' | 'sql'>, caller: Caller, programmeId: string, type: ProgrammeActionType, body: unknown): Promise<ProgrammeView> {
  const r = routes.find((x) => x.type === type)!;
  await visibleProgramme(sql, caller, programmeId);
  return sql.begin(async (tx) => {
    const input = await r.toInput(body, { programmeId, tx });
    return runUpdate<ProgrammeView>(temporal, temporal.workflow.getHandle(programmeWorkflowId(programmeId)), programmeUpdates[type], { ...(input as object), actor: actorOf(caller) });
  });
}

export function programmeActionRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  for (const r of routes) {
    const route = createRoute({
      method: 'post',
      path: r.path,
      tags: ['programme actions'],
      summary: r.summary,
      request: { params: z.object({ id: z.uuid() }), body: { required: true, content: { 'application/json': { schema: r.body } } } },
      responses: {
        200: { description: 'Accepted: the new programme state', content: { 'application/json': { schema: ProgrammeStateSchema } } },
        400: problemResponse('Invalid input'),
        404: problemResponse('No such programme visible to you'),
        409: problemResponse('Refused in the current state; `detail` says why'),
      },
    });
    app.openapi(route, (async (c: any) => {
      const { id } = c.req.valid('param') as { id: string };
      return c.json(await runProgrammeAction(deps, c.get('caller') as Caller, id, r.type, c.req.valid('json')), 200);
    }) as never);
  }
  return app;
}
