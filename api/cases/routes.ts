import { createRoute, z } from '@hono/zod-openapi';
import { CaseListQuery } from '../../usecases/case-list.js';
import { CreateCaseBody as CreateCaseBodySchema } from '../../usecases/create-case.js';
import { IdempotencyHeader } from '../idempotency-header.js';

export const CreateCaseBody = CreateCaseBodySchema.openapi('CreateCase', {
  example: {
    reference: 'CS-2026-001',
    pathwayId: 'community-sponsorship',
    parties: { coordinator: '0b3f6a52-51a4-4f0e-9a61-3c3f0d0c1a01', sponsor: '6f1c1e4e-8d0a-4d3c-9a55-1d5a4c0e2b11' },
    household: { principalName: 'A. Example', members: [{ name: 'B. Example', birthYear: 2015 }], needs: ['step-free access'] },
  },
});

export const CaseStateSchema = z
  .object({
    caseId: z.uuid(),
    reference: z.string(),
    status: z.enum(['active', 'waitlisted', 'completed', 'rejected', 'withdrawn']),
    stage: z.object({ id: z.string(), title: z.string(), index: z.number().int(), of: z.number().int(), enteredAt: z.string() }).nullable(),
    waitingOn: z.array(z.string()),
    stuck: z.boolean(),
    nextStep: z.string(),
    version: z.number().int(),
  })
  .passthrough()
  .openapi('CaseState', {
    example: {
      caseId: '3f2b8c1e-0d7a-4f5e-9b1c-2a6d8e4f7a10',
      reference: 'CS-2027-002',
      status: 'active',
      stage: { id: 'housing', title: 'Housing', index: 2, of: 8, enteredAt: '2027-01-10T09:00:00.000Z' },
      waitingOn: ['6f1c1e4e-8d0a-4d3c-9a55-1d5a4c0e2b11'],
      stuck: false,
      nextStep: 'Housing offer — due 2027-02-21; then Sponsorship agreement',
      version: 12,
    },
  });

export const CreatedCaseSchema = z
  .object({ id: z.uuid(), reference: z.string(), workflowId: z.string(), state: CaseStateSchema.nullable() })
  .openapi('CreatedCase');

export const CaseSchema = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    workflowId: z.string(),
    state: CaseStateSchema.nullable(),
    source: z.enum(['workflow', 'projection']).openapi({ description: "`workflow`: the workflow's own answer; `projection`: the state last written to the database (no worker answered within 1.5 s)" }),
    stale: z.boolean().openapi({ description: 'The state may be behind: the workflow did not answer in time' }),
    texts: z.record(z.string(), z.string()).openapi({ description: 'What the state refers to by `reasonRef`, `commentRef` or `textRef` (reasons, comments), by id: kept in PostgreSQL, never in the workflow' }),
  })
  .openapi('Case');

import { problemResponse, unavailableResponse } from '../schemas.js';

export const createCaseRoute = createRoute({
  method: 'post',
  path: '/v1/cases',
  tags: ['cases'],
  summary: 'Open a case: stores the household and starts its workflow',
  request: {
    headers: IdempotencyHeader.extend({
      prefer: z.string().max(200).optional().openapi({
        description: '`return=representation`: wait up to 1.5 s for the case\'s first state and return it in `state`. Without it the answer comes as soon as the workflow is started, with `state: null` (read the case a moment later) — what bulk intake should do.',
      }),
    }),
    body: { required: true, content: { 'application/json': { schema: CreateCaseBody } } },
  },
  responses: {
    201: { description: 'The case is open (a retry with the same Idempotency-Key gets this same answer, and no second case)', content: { 'application/json': { schema: CreatedCaseSchema } } },
    400: problemResponse('Invalid input; `errors` names each field'),
    401: problemResponse('No valid API token'),
    403: problemResponse('Your organisation does not open this case'),
    409: problemResponse('The programme is closed or not running, or the Idempotency-Key was used for another request'),
    413: problemResponse('Request body too large'),
    415: problemResponse('The body is not JSON'),
    503: unavailableResponse,
  },
});

export const getCaseRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}',
  tags: ['cases'],
  summary: "A case with its workflow's live state (or, when no worker answers within 1.5 s, its last projected state, marked stale)",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: 'The case', content: { 'application/json': { schema: CaseSchema } } },
    400: problemResponse('Invalid id'),
    401: problemResponse('No valid API token'),
    404: problemResponse('No such case visible to you'),
    503: unavailableResponse,
  },
});

export const CaseListItem = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    programmeId: z.uuid().nullable(),
    pathwayId: z.string().nullable(),
    pathwayName: z.string().nullable(),
    status: z.string(),
    stage: z.object({ id: z.string(), title: z.string(), index: z.number().int(), of: z.number().int() }).nullable(),
    onHold: z.enum(['held', 'paused']).nullable().openapi({ description: '`held` by its coordinator, or `paused` with its programme' }),
    stuck: z.boolean().openapi({ description: 'A step is overdue and the case is not on hold' }),
    daysOverdue: z.number().int(),
    waitingOn: z.array(z.uuid()),
    nextStep: z.object({ gateId: z.string(), title: z.string(), dueAt: z.string() }).nullable().openapi({ description: 'The open step due first' }),
    nextDueAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('CaseListItem');

export const listCasesRoute = createRoute({
  method: 'get',
  path: '/v1/cases',
  tags: ['cases'],
  summary: 'The cases your organisation takes part in: search by reference, filters, sorting and keyset paging (from the projection)',
  request: { query: CaseListQuery },
  responses: {
    200: { description: 'A page of cases; pass `nextCursor` as `cursor` (with the same sort) for the next', content: { 'application/json': { schema: z.object({ items: z.array(CaseListItem), nextCursor: z.string().nullable() }) } } },
    400: problemResponse('Invalid filter or cursor'),
    401: problemResponse('No valid API token'),
    503: unavailableResponse,
  },
});

export const TimelineEventSchema = z
  .object({ id: z.string(), kind: z.string(), actor: z.string(), gateId: z.string().nullable(), reason: z.string().nullable(), data: z.record(z.string(), z.unknown()), at: z.string() })
  .openapi('TimelineEvent');

export const timelineRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}/timeline',
  tags: ['cases'],
  summary: "The case's append-only timeline: every event with actor, time and reason",
  request: { params: z.object({ id: z.uuid() }), query: z.object({ after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0), limit: z.coerce.number().int().min(1).max(500).default(200) }) },
  responses: {
    200: { description: 'Events in order; `after` the last id pages on', content: { 'application/json': { schema: z.object({ items: z.array(TimelineEventSchema) }) } } },
    400: problemResponse('Invalid id or paging'),
    401: problemResponse('No valid API token'),
    404: problemResponse('No such case visible to you'),
    503: unavailableResponse,
  },
});
