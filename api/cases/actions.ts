/**
 * One route per action on a case. Each is a Temporal update: the workflow's validator refuses an
 * action that is not valid now (409, with its reason); an accepted one answers the new state.
 * Texts that must not enter Temporal (addresses, agreement texts, reports) go to PostgreSQL in the
 * same transaction, which rolls back if the workflow refuses.
 */
import { randomUUID } from 'node:crypto';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { CaseAction } from '../../domain/case-actions.js';
import type { CaseView } from '../../domain/case-view.js';
import { caseUpdates, caseWorkflowId, type ActionInput } from '../../workflows/contract.js';
import type { Tx } from '../../infra/db.js';
import { actorOf, type AuthEnv, type Caller } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { DocumentBody, storeDocument } from '../documents.js';
import { runUpdate } from '../updates.js';
import { invalidInput } from '../problem.js';
import { problemResponse } from '../schemas.js';
import { visibleCase } from '../scope.js';
import { validationHook } from '../validation.js';
import { CaseStateSchema } from './routes.js';

type Type = CaseAction['type'];
interface Context {
  caseId: string;
  caller: Caller;
  tx: Tx;
}

interface ActionRoute<T extends Type, B extends z.ZodType> {
  type: T;
  path: string;
  summary: string;
  body: B;
  /** The update's input but for the actor (from the token) and, for gate actions, the gate id (from the path). */
  toInput(body: z.infer<B>, ctx: Context): Promise<WithoutPathAndActor<T>> | WithoutPathAndActor<T>;
}

type WithoutPathAndActor<T extends Type> = Omit<ActionInput<T>, 'actor' | (ActionInput<T> extends { gateId: string } ? 'gateId' : never)>;

/** Gate actions carry the gate id in their path; the others act on the whole case. */
export const isGateAction = (type: CaseActionType) => actionRoutes.find((a) => a.type === type)!.path.includes('{gateId}');

const action = <T extends Type, B extends z.ZodType>(a: ActionRoute<T, B>) => a;
const reason = z.string().trim().min(1).max(2000);
const gate = '/v1/cases/{id}/gates/{gateId}';

/** Every action route; gate actions carry the gate id in the path, the rest act on the case. */
export const actionRoutes = [
  action({ type: 'decide', path: `${gate}/decision`, summary: 'Approve, reject (with a reason) or ask for more information', body: z.object({ outcome: z.enum(['approve', 'reject', 'request_info']), reason: reason.optional() }), toInput: (b) => b }),
  action({ type: 'complete', path: `${gate}/complete`, summary: 'Mark a task done', body: z.object({ note: z.string().max(2000).optional() }), toInput: (b) => b }),
  action({
    type: 'offer_housing',
    path: `${gate}/offer`,
    summary: 'Municipality: offer housing (the address is kept in PostgreSQL only)',
    body: z.object({ address: z.string().trim().min(1).max(500), rooms: z.number().int().min(1).max(20), accessible: z.boolean(), availableFrom: z.iso.date(), validUntil: z.iso.datetime({ offset: true }) }),
    toInput: async (b, ctx) => {
      const offerId = randomUUID();
      await ctx.tx`INSERT INTO housing_offers (id, case_id, organisation_id, address) VALUES (${offerId}, ${ctx.caseId}, ${ctx.caller.organisationId}, ${b.address})`;
      return { offer: { offerId, rooms: b.rooms, accessible: b.accessible, availableFrom: b.availableFrom, validUntil: b.validUntil } };
    },
  }),
  action({ type: 'decline_housing_request', path: `${gate}/decline-request`, summary: 'Municipality: no capacity (coordinators are told at once)', body: z.object({ reason }), toInput: (b) => b }),
  action({ type: 'accept_offer', path: `${gate}/accept`, summary: 'Accept the open housing offer', body: z.object({ offerId: z.uuid() }), toInput: (b) => b }),
  action({ type: 'decline_offer', path: `${gate}/decline`, summary: 'Decline the open housing offer, with a reason', body: z.object({ offerId: z.uuid(), reason }), toInput: (b) => b }),
  action({ type: 'publish_agreement', path: `${gate}/publish`, summary: 'Coordinator: publish version n+1 of the agreement (earlier signatures are void)', body: DocumentBody, toInput: async (b, ctx) => ({ document: await storeDocument(ctx.tx, { caseId: ctx.caseId }, b) }) }),
  action({ type: 'sign', path: `${gate}/sign`, summary: 'Sign the current version', body: z.object({ version: z.number().int().min(1) }), toInput: (b) => b }),
  action({ type: 'request_changes', path: `${gate}/request-changes`, summary: 'Ask for changes to the agreement', body: z.object({ comment: reason }), toInput: (b) => b }),
  action({
    type: 'submit_checkin',
    path: `${gate}/checkin`,
    summary: 'Submit the next check-in report (the report text stays in PostgreSQL)',
    body: z.object({ reportIndex: z.number().int().min(0), report: z.string().trim().min(1).max(20_000) }),
    toInput: async (b, ctx) => {
      const reportRef = randomUUID();
      await ctx.tx`INSERT INTO checkin_reports (id, case_id, person_id, body) VALUES (${reportRef}, ${ctx.caseId}, ${ctx.caller.personId}, ${b.report})`;
      return { reportIndex: b.reportIndex, reportRef };
    },
  }),
  action({ type: 'nudge', path: '/v1/cases/{id}/nudge', summary: 'Coordinator: remind whoever a gate waits on now', body: z.object({ gateId: z.string().min(1) }), toInput: (b) => b }),
  action({ type: 'extend', path: '/v1/cases/{id}/extend', summary: "Coordinator: move a gate's due date later", body: z.object({ gateId: z.string().min(1), dueAt: z.iso.datetime({ offset: true }), reason }), toInput: (b) => b }),
  action({
    type: 'reassign',
    path: '/v1/cases/{id}/reassign',
    summary: 'Coordinator: give a gate to another organisation of the same kind (e.g. another municipality)',
    body: z.object({ gateId: z.string().min(1), organisationId: z.uuid(), reason }),
    toInput: async (b, ctx) => {
      const [row] = await ctx.tx<{ kind: string; currentKind: string | null }[]>`
        SELECT o.kind, (
          SELECT a.kind FROM cases c, jsonb_array_elements(c.state->'gates') g JOIN organisations a ON a.id = (g->>'assignee')::uuid
          WHERE c.id = ${ctx.caseId} AND g->>'id' = ${b.gateId}) AS "currentKind"
        FROM organisations o WHERE o.id = ${b.organisationId}`;
      if (!row) throw invalidInput('organisationId', 'no organisation with this id');
      if (row.currentKind && row.currentKind !== row.kind) throw invalidInput('organisationId', `must be an organisation of kind ${row.currentKind}, like the one it replaces`);
      return b;
    },
  }),
  action({ type: 'hold', path: '/v1/cases/{id}/hold', summary: 'Coordinator: put the case on hold (reminders stop)', body: z.object({ reason }), toInput: (b) => b }),
  action({ type: 'resume', path: '/v1/cases/{id}/resume', summary: 'Coordinator: resume a held case (deadlines move on by the time held)', body: z.object({}), toInput: () => ({}) }),
  action({ type: 'withdraw', path: '/v1/cases/{id}/withdraw', summary: 'Coordinator: withdraw the case (its quota place is released)', body: z.object({ reason }), toInput: (b) => b }),
] as const;

export type CaseActionType = (typeof actionRoutes)[number]['type'];
export type CaseActionBody<T extends CaseActionType> = z.infer<Extract<(typeof actionRoutes)[number], { type: T }>['body']>;

/** The body schema of an action, for callers (the pages) that build the body themselves. */
export const caseActionBody = (type: CaseActionType): z.ZodType => actionRoutes.find((a) => a.type === type)!.body;

/**
 * Performs one action as `caller`: checks the case is visible to them, stores any text in the same
 * transaction, and runs the workflow update. `body` must have passed the action's schema.
 * A refusal throws ProblemError 409 with the workflow validator's reason.
 */
export async function runCaseAction(
  { temporal, sql }: Pick<ApiDeps, 'temporal' | 'sql'>,
  caller: Caller,
  caseId: string,
  type: CaseActionType,
  body: unknown,
  gateId?: string,
): Promise<CaseView> {
  const a = actionRoutes.find((r) => r.type === type)!;
  await visibleCase(sql, caller, caseId);
  return sql.begin(async (tx) => {
    const input = await (a.toInput as (b: unknown, ctx: Context) => unknown)(body, { caseId, caller, tx });
    return runUpdate<CaseView>(temporal, temporal.workflow.getHandle(caseWorkflowId(caseId)), caseUpdates[type], { ...(input as object), ...(gateId ? { gateId } : {}), actor: actorOf(caller) });
  });
}

export function caseActionRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  for (const a of actionRoutes) {
    const params = a.path.includes('{gateId}') ? z.object({ id: z.uuid(), gateId: z.string().min(1).max(40) }) : z.object({ id: z.uuid() });
    const route = createRoute({
      method: 'post',
      path: a.path,
      tags: ['case actions'],
      summary: a.summary,
      request: { params, body: { required: true, content: { 'application/json': { schema: a.body as z.ZodType } } } },
      responses: {
        200: { description: 'Accepted: the new case state', content: { 'application/json': { schema: CaseStateSchema } } },
        400: problemResponse('Invalid input'),
        404: problemResponse('No such case visible to you'),
        409: problemResponse('Refused in the current state; `detail` says why'),
      },
    });
    app.openapi(route, (async (c: any) => {
      const { id, gateId } = c.req.valid('param') as { id: string; gateId?: string };
      return c.json(await runCaseAction(deps, c.get('caller') as Caller, id, a.type, c.req.valid('json'), gateId), 200);
    }) as never);
  }
  return app;
}
