import { createRoute, z } from '@hono/zod-openapi';

export const CreateCaseBody = z
  .object({
    reference: z.string().trim().min(1).max(64),
    /** The programme the case runs in; its template and quota apply. */
    programmeId: z.uuid().optional(),
    /** A built-in pathway, for a case outside any programme. */
    pathwayId: z.string().min(1).max(40).optional(),
    /** Which organisation fills each of the pathway's party slots. */
    parties: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/), z.uuid()),
    household: z.object({
      principalName: z.string().trim().min(1).max(200),
      members: z.array(z.object({ name: z.string().trim().min(1).max(200), birthYear: z.number().int().min(1900).max(2100).optional() })).max(20).default([]),
      needs: z.array(z.string().trim().min(1).max(100)).max(20).default([]),
    }),
  })
  .openapi('CreateCase', {
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

export const CaseSchema = z
  .object({ id: z.uuid(), reference: z.string(), workflowId: z.string(), state: CaseStateSchema.nullable() })
  .openapi('Case');

import { problemResponse } from '../schemas.js';

export const createCaseRoute = createRoute({
  method: 'post',
  path: '/v1/cases',
  tags: ['cases'],
  summary: 'Open a case: stores the household and starts its workflow',
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional().openapi({ description: 'The same key (from the same person) and body never make a second case' }) }),
    body: { required: true, content: { 'application/json': { schema: CreateCaseBody } } },
  },
  responses: {
    201: { description: 'The case is open', content: { 'application/json': { schema: CaseSchema } } },
    200: { description: 'The case this Idempotency-Key already created', content: { 'application/json': { schema: CaseSchema } } },
    403: problemResponse('Your organisation does not take part in this case'),
    409: problemResponse('The Idempotency-Key was used before with a different request'),
    400: problemResponse('Invalid input; `errors` names each field'),
    503: problemResponse('Temporal or PostgreSQL unavailable; nothing was created'),
  },
});

export const getCaseRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}',
  tags: ['cases'],
  summary: "A case with its workflow's live state",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: 'The case', content: { 'application/json': { schema: CaseSchema } } },
    404: problemResponse('No such case'),
  },
});

export const CaseListItem = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    programmeId: z.uuid().nullable(),
    pathwayId: z.string().nullable(),
    status: z.string(),
    stage: z.string().nullable(),
    stuck: z.boolean(),
    waitingOn: z.array(z.uuid()),
    nextDueAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('CaseListItem');

export const listCasesRoute = createRoute({
  method: 'get',
  path: '/v1/cases',
  tags: ['cases'],
  summary: 'The cases your organisation takes part in, newest first (from the projection)',
  request: {
    query: z.object({
      status: z.enum(['active', 'waitlisted', 'completed', 'rejected', 'withdrawn']).optional(),
      stage: z.string().max(40).optional(),
      programmeId: z.uuid().optional(),
      stuck: z.enum(['true', 'false']).optional(),
      waitingOnMe: z.enum(['true', 'false']).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      cursor: z.string().max(200).optional(),
    }),
  },
  responses: {
    200: { description: 'A page of cases; pass `nextCursor` as `cursor` for the next', content: { 'application/json': { schema: z.object({ items: z.array(CaseListItem), nextCursor: z.string().nullable() }) } } },
    400: problemResponse('Invalid filter or cursor'),
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
  request: { params: z.object({ id: z.uuid() }), query: z.object({ after: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(200) }) },
  responses: {
    200: { description: 'Events in order; `after` the last id pages on', content: { 'application/json': { schema: z.object({ items: z.array(TimelineEventSchema) }) } } },
    404: problemResponse('No such case visible to you'),
  },
});
