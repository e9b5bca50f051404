/** The inbox (what waits on me) and the coordinators' board: thin routes onto usecases/board.ts. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { inboxFor, stuckBoardFor } from '../../usecases/board.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { problemResponse, unavailableResponse } from '../schemas.js';
import { validationHook } from '../validation.js';

const InboxItem = z
  .object({ kind: z.enum(['case', 'programme']), id: z.uuid(), reference: z.string(), gateId: z.string().nullable(), title: z.string(), dueAt: z.string().nullable(), stuck: z.boolean() })
  .openapi('InboxItem');
const OverdueGate = z
  .object({ caseId: z.uuid(), reference: z.string(), gateId: z.string(), title: z.string(), waitingOn: z.array(z.object({ id: z.uuid(), name: z.string() })), dueAt: z.string(), daysOverdue: z.number().int(), remindersSent: z.number().int(), escalationsSent: z.number().int() })
  .openapi('OverdueGate');
const FailingStep = z
  .object({ caseId: z.uuid(), reference: z.string(), step: z.string().openapi({ description: 'The activity that fails, or `email: <kind>` for a notification that does not go through' }), attempt: z.number().int(), lastFailure: z.string().nullable(), since: z.string().nullable() })
  .openapi('FailingStep');
const NotMoving = z
  .object({
    caseId: z.uuid(),
    reference: z.string(),
    reason: z.enum(['terminated', 'failed', 'timed-out', 'stalled', 'not-started', 'programme-refused']).openapi({
      description: '`terminated`/`failed`/`timed-out`: its workflow stopped (its place was given back); `stalled`: it did not wake when due; `not-started`: its workflow was never started; `programme-refused`: its programme was closed or not running',
    }),
    since: z.string(),
  })
  .openapi('NotMoving');

const inboxRoute = createRoute({
  method: 'get', path: '/v1/inbox', tags: ['boards'], summary: 'What waits on your organisation now, across cases and programmes, soonest due first',
  responses: {
    200: { description: 'Inbox', content: { 'application/json': { schema: z.object({ items: z.array(InboxItem) }) } } },
    401: problemResponse('No valid API token'),
    503: unavailableResponse,
  },
});
const stuckRoute = createRoute({
  method: 'get', path: '/v1/stuck', tags: ['boards'],
  summary: 'Coordinators: every case you coordinate that does not move — overdue gates, failing steps (activities and emails), stopped, stalled or never-started workflows — and whether Temporal and a worker are up',
  responses: {
    200: {
      description: 'The board. When `system.temporal` is `down` or `system.workers` is 0, cases are not moving for that reason, whatever the lists say.',
      content: { 'application/json': { schema: z.object({ overdue: z.array(OverdueGate), failing: z.array(FailingStep), notMoving: z.array(NotMoving), system: z.object({ temporal: z.enum(['up', 'down']), workers: z.number().int().nullable() }) }) } },
    },
    401: problemResponse('No valid API token'),
    403: problemResponse('Only coordinators have the board'),
    503: unavailableResponse,
  },
});

export function boardRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(inboxRoute, async (c) => c.json({ items: await inboxFor(deps.sql, c.get('caller')) }, 200));
  app.openapi(stuckRoute, async (c) => c.json(await stuckBoardFor(deps, c.get('caller')), 200));
  return app;
}
