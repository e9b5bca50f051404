/**
 * What waits on the caller (inbox), and the coordinators' board of stuck cases: overdue gates from
 * the projection, and technically failing steps from the workflows' pending activities.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { CaseView, GateView } from '../../domain/case-view.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import type { AuthEnv, Caller } from '../auth.js';
import type { Sql } from '../../infra/db.js';
import { organisationNames } from '../organisation-names.js';
import type { ApiDeps } from '../deps.js';
import { ProblemError } from '../problem.js';
import { problemResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

const InboxItem = z
  .object({ kind: z.enum(['case', 'programme']), id: z.uuid(), reference: z.string(), gateId: z.string().nullable(), title: z.string(), dueAt: z.string().nullable(), stuck: z.boolean() })
  .openapi('InboxItem');
const StuckGate = z
  .object({ caseId: z.uuid(), reference: z.string(), gateId: z.string(), title: z.string(), waitingOn: z.array(z.object({ id: z.uuid(), name: z.string() })), dueAt: z.string(), daysOverdue: z.number().int(), remindersSent: z.number().int(), escalationsSent: z.number().int() })
  .openapi('StuckGate');
const FailingStep = z
  .object({ caseId: z.uuid(), reference: z.string(), activity: z.string(), attempt: z.number().int(), lastFailure: z.string().nullable(), lastAttemptAt: z.string().nullable() })
  .openapi('FailingStep');

const inboxRoute = createRoute({
  method: 'get', path: '/v1/inbox', tags: ['boards'], summary: 'What waits on your organisation now, across cases and programmes, soonest due first',
  responses: { 200: { description: 'Inbox', content: { 'application/json': { schema: z.object({ items: z.array(InboxItem) }) } } } },
});
const stuckRoute = createRoute({
  method: 'get', path: '/v1/stuck', tags: ['boards'], summary: "Coordinators: overdue gates (most overdue first) and technically failing steps of the cases you coordinate",
  responses: {
    200: { description: 'The board', content: { 'application/json': { schema: z.object({ overdue: z.array(StuckGate), failing: z.array(FailingStep) }) } } },
    403: problemResponse('Only coordinators have the board'),
  },
});

/** How many open cases the board inspects for failing activities (one describe call each). */
const MAX_DESCRIBED = 200;

export type InboxEntry = z.infer<typeof InboxItem>;
export type StuckBoard = { overdue: z.infer<typeof StuckGate>[]; failing: z.infer<typeof FailingStep>[] };

/** What waits on the caller's organisation now, soonest due first. */
export async function inboxFor(sql: Sql, caller: Caller): Promise<InboxEntry[]> {
  const org = caller.organisationId;
  const cases = await sql<{ id: string; reference: string; state: CaseView }[]>`
    SELECT id, reference, state FROM cases WHERE ${org}::uuid = ANY(waiting_on) AND status = 'active'`;
  const programmes = await sql<{ id: string; name: string; state: { status: string; mou: { version: number; unsigned: string[]; dueAt: string | null } } }[]>`
    SELECT id, name, state FROM programmes WHERE status = 'negotiating' AND state->'mou'->'unsigned' ? ${org}`;
  return [
    ...cases.flatMap((r) =>
      r.state.gates
        .filter((g: GateView) => g.status === 'open' && g.waitingOn.includes(org))
        .map((g: GateView) => ({ kind: 'case' as const, id: r.id, reference: r.reference, gateId: g.id, title: g.title, dueAt: g.dueAt, stuck: g.stuck })),
    ),
    ...programmes.map((p) => ({ kind: 'programme' as const, id: p.id, reference: p.name, gateId: null, title: `MoU v${p.state.mou.version}: sign`, dueAt: p.state.mou.dueAt, stuck: false })),
  ].sort((a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'));
}

/** The coordinator's board: overdue gates, most overdue first, and steps failing technically. */
export async function stuckBoardFor({ sql, temporal }: Pick<ApiDeps, 'sql' | 'temporal'>, caller: Caller): Promise<StuckBoard> {
  if (caller.role !== 'coordinator') throw new ProblemError(403, 'Coordinators only', 'The stuck-case board is for coordinators.');
  const rows = await sql<{ id: string; reference: string; state: CaseView; stuck: boolean }[]>`
    SELECT id, reference, state, stuck FROM cases
    WHERE coordinator_organisation_id = ${caller.organisationId} AND status IN ('active', 'waitlisted') AND state IS NOT NULL`;
  const names = await organisationNames(sql);
  const overdue = rows
    .filter((r) => r.stuck)
    .flatMap((r) =>
      r.state.gates
        .filter((g) => g.status === 'open' && g.stuck)
        .map((g) => ({
          caseId: r.id,
          reference: r.reference,
          gateId: g.id,
          title: g.title,
          waitingOn: g.waitingOn.map((id) => ({ id, name: names.get(id) ?? id })),
          dueAt: g.dueAt,
          daysOverdue: Math.floor((Date.now() - Date.parse(g.dueAt)) / 86_400_000),
          remindersSent: g.remindersSent,
          escalationsSent: g.escalationsSent,
        })),
    )
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.dueAt.localeCompare(b.dueAt));
  const described = await Promise.all(
    rows.slice(0, MAX_DESCRIBED).map(async (r) => ({ r, d: await temporal.workflow.getHandle(caseWorkflowId(r.id)).describe().catch(() => undefined) })),
  );
  const failing = described.flatMap(({ r, d }) =>
    (d?.raw.pendingActivities ?? [])
      .filter((a) => (a.attempt ?? 1) > 1)
      .map((a) => ({
        caseId: r.id,
        reference: r.reference,
        activity: a.activityType?.name ?? 'unknown',
        attempt: a.attempt ?? 1,
        lastFailure: a.lastFailure?.message ?? null,
        lastAttemptAt: a.lastStartedTime?.seconds ? new Date(Number(a.lastStartedTime.seconds) * 1000).toISOString() : null,
      })),
  );
  return { overdue, failing };
}

export function boardRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(inboxRoute, async (c) => c.json({ items: await inboxFor(deps.sql, c.get('caller')) }, 200));
  app.openapi(stuckRoute, async (c) => c.json(await stuckBoardFor(deps, c.get('caller')), 200));
  return app;
}
