/** The inbox (what waits on me) and the coordinators' board: thin routes onto usecases/inbox.ts and usecases/board.ts. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { OrganisationKind } from '../../domain/organisation.js';
import { GATE_KINDS } from '../../domain/pathway.js';
import { BoardQuery, OVERDUE_FOR, stuckBoardFor } from '../../usecases/board.js';
import { InboxQuery, inboxFor } from '../../usecases/inbox.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { problemResponse, v1Errors } from '../schemas.js';
import { validationHook } from '../validation.js';
import { TODO_CODES } from '../../domain/case-turn.js';

// Example ids, the same throughout the reference so that one answer leads to the next.
const CASE_ID = '3f2b8c1e-0d7a-4f5e-9b1c-2a6d8e4f7a10';
const MUNICIPALITY = '7d0e3c1b-6a59-4c38-8f0e-2d7b9a1e4c22';

const InboxStep = z
  .object({
    caseId: z.uuid(), reference: z.string(), gateId: z.string(), kind: z.enum(GATE_KINDS), title: z.string().openapi({ description: "The step's title" }),
    todo: z.enum(TODO_CODES).nullable().openapi({ description: 'What you are to do: `decide`, `complete` (the template may word it in `todoParams.text`), `make-offer`, `answer-offer`, `choose-another` (the municipality declined: give the step to another), `publish-agreement`, `sign-agreement` (`todoParams.version`), `send-report` (`todoParams.report` of `todoParams.of`); null for a row saved before steps were named so' }),
    todoParams: z.record(z.string(), z.union([z.string(), z.number()])),
    dueAt: z.string().openapi({ description: 'The date you must act by (for an offer to answer: the day it lapses)' }),
    stuck: z.boolean().openapi({ description: 'Overdue, and the case is not on hold' }),
    onHold: z.enum(['held', 'paused']).nullable(),
  })
  .openapi('InboxStep', {
    example: { caseId: CASE_ID, reference: 'CS-2027-002', gateId: 'housing', kind: 'housing', title: 'Housing offer', todo: 'make-offer', todoParams: {}, dueAt: '2027-02-21T12:00:00.000Z', stuck: false, onHold: null },
  });
const InboxMou = z
  .object({ programmeId: z.uuid(), name: z.string(), version: z.number().int(), dueAt: z.string().nullable() })
  .openapi('InboxMou', { example: { programmeId: 'a4d8c2e6-5f1b-4a3c-9e7d-0b2f4a6c8e10', name: 'Community sponsorship pilot Catalonia', version: 2, dueAt: '2027-02-01T12:00:00.000Z' } });

const Party = z.object({ id: z.uuid(), name: z.string(), kind: OrganisationKind }).openapi('Party');
const OverdueGate = z
  .object({
    caseId: z.uuid(), reference: z.string(), gateId: z.string(), kind: z.enum(GATE_KINDS), title: z.string(), waitingOn: z.array(Party),
    programmeId: z.uuid().nullable(), pathwayId: z.string(),
    dueAt: z.string().openapi({ description: 'When it fell due: stuck since then' }),
    daysOverdue: z.number().int(), remindersSent: z.number().int(), escalationsSent: z.number().int(),
  })
  .openapi('OverdueGate', {
    example: {
      caseId: CASE_ID, reference: 'CS-2027-002', gateId: 'housing', kind: 'housing', title: 'Housing offer',
      waitingOn: [{ id: MUNICIPALITY, name: 'Gemeente Utrecht', kind: 'municipality' }],
      programmeId: null, pathwayId: 'community-sponsorship', dueAt: '2027-02-21T12:00:00.000Z', daysOverdue: 3, remindersSent: 2, escalationsSent: 1,
    },
  });
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
const ReopenedStep = z
  .object({
    caseId: z.uuid(),
    reference: z.string(),
    gateId: z.string(),
    title: z.string(),
    reason: z.enum(['expired', 'group-changed']).openapi({ description: "`expired`: the step's outcome passed its validity (e.g. a municipal consent valid six months) before the case stopped needing it; `group-changed`: the sponsor group's members changed and no longer meet the step's requirements" }),
    since: z.string(),
    waitingOn: z.array(Party),
    dueAt: z.string(),
  })
  .openapi('ReopenedStep');
const BoardGroups = z
  .object({
    party: z.array(Party.extend({ count: z.number().int() })).openapi({ description: 'Overdue steps waiting on each organisation (a step waiting on two counts for both)' }),
    partyKind: z.array(z.object({ kind: OrganisationKind, count: z.number().int() })),
    programme: z.array(z.object({ id: z.uuid().nullable(), name: z.string().nullable(), count: z.number().int() })),
    pathway: z.array(z.object({ id: z.string(), name: z.string(), count: z.number().int() })),
    gateKind: z.array(z.object({ kind: z.enum(GATE_KINDS), count: z.number().int() })),
    overdueFor: z.array(z.object({ bucket: z.enum(OVERDUE_FOR), count: z.number().int() })),
  })
  .openapi('BoardGroups', { description: 'Counts within the filter; the party counts ignore the party filters, so every party to switch to is listed' });

const inboxRoute = createRoute({
  method: 'get', path: '/v1/inbox', tags: ['boards'], summary: "What waits on your organisation now: the cases' open steps, soonest due first, and the programme agreements to sign",
  request: { query: InboxQuery },
  responses: {
    200: { description: 'Inbox: `items` a page at a time; `programmes` on the first page', content: { 'application/json': { schema: z.object({ items: z.array(InboxStep), nextCursor: z.string().nullable(), programmes: z.array(InboxMou) }) } } },
    ...v1Errors('Invalid cursor or limit'),
  },
});
const stuckRoute = createRoute({
  method: 'get', path: '/v1/stuck', tags: ['boards'],
  summary: 'Coordinators: whose turn is it, since when — every overdue step of the cases you coordinate (filtered, counted, paged), steps open again (an expired consent, a changed group), failing steps (activities and emails), stopped, stalled or never-started workflows, and whether Temporal and a worker are up',
  request: {
    query: BoardQuery,
  },
  responses: {
    200: {
      description: 'The board, longest overdue first. When `system.temporal` is `down` or `system.workers` is 0, cases are not moving for that reason, whatever the lists say.',
      content: {
        'application/json': {
          schema: z.object({
            overdue: z.object({
              total: z.number().int(),
              countedAt: z.string().openapi({ description: 'When `total` and `groups` were counted: now, or on a board of thousands of overdue steps up to 10 s ago (the steps listed are always current)' }),
              items: z.array(OverdueGate),
              nextCursor: z.string().nullable(),
            }),
            groups: BoardGroups,
            failing: z.array(FailingStep),
            notMoving: z.array(NotMoving),
            reopened: z.array(ReopenedStep).openapi({ description: 'Steps that were done and are open again, newest first: the board\'s "expired consent"' }),
            system: z.object({ temporal: z.enum(['up', 'down']), workers: z.number().int().nullable() }),
          }),
        },
      },
    },
    ...v1Errors('Invalid filter or paging'),
    403: problemResponse('Only coordinators have the board', { status: 403, title: 'Coordinators only', detail: 'The stuck-case board is for coordinators.' }),
  },
});

export function boardRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(inboxRoute, async (c) => c.json(await inboxFor(deps.sql, c.get('caller'), c.req.valid('query')), 200));
  app.openapi(stuckRoute, async (c) => c.json(await stuckBoardFor(deps, c.get('caller'), c.req.valid('query')), 200));
  return app;
}
