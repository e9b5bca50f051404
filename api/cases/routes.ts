import { createRoute, z } from '@hono/zod-openapi';
import { ProblemSchema } from '../schemas.js';

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
  .openapi('CaseState');

export const CaseSchema = z
  .object({ id: z.uuid(), reference: z.string(), workflowId: z.string(), state: CaseStateSchema.nullable() })
  .openapi('Case');

const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } });

export const createCaseRoute = createRoute({
  method: 'post',
  path: '/v1/cases',
  tags: ['cases'],
  summary: 'Open a case: stores the household and starts its workflow',
  request: { body: { required: true, content: { 'application/json': { schema: CreateCaseBody } } } },
  responses: {
    201: { description: 'The case is open', content: { 'application/json': { schema: CaseSchema } } },
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
