import { createRoute, z } from '@hono/zod-openapi';
import { CreateProgrammeBody as CreateProgrammeBodySchema } from '../../usecases/create-programme.js';
import { IdempotencyHeader } from '../idempotency-header.js';
import { problemResponse, unavailableResponse } from '../schemas.js';

export const CreateProgrammeBody = CreateProgrammeBodySchema.openapi('CreateProgramme', {
  example: {
    name: 'Community sponsorship pilot Catalonia',
    pathway: 'community-sponsorship',
    quota: 10,
    coordinatorOrganisationId: '0b3f6a52-51a4-4f0e-9a61-3c3f0d0c1a01',
    mouSignatories: ['0b3f6a52-51a4-4f0e-9a61-3c3f0d0c1a01', '7d0e3c1b-6a59-4c38-8f0e-2d7b9a1e4c22'],
    mouTime: { dueIn: '30 days', remindAt: ['14 days', '25 days'], escalateEvery: '7 days' },
  },
});

export const ProgrammeStateSchema = z
  .object({
    programmeId: z.uuid(),
    name: z.string(),
    pathwayId: z.string(),
    status: z.enum(['draft', 'negotiating', 'active', 'paused', 'closed']),
    quota: z.object({ total: z.number().int(), used: z.number().int(), reserved: z.number().int(), free: z.number().int(), waitlisted: z.number().int() }),
  })
  .passthrough()
  .openapi('ProgrammeState');

export const CreatedProgrammeSchema = z.object({ id: z.uuid(), name: z.string(), workflowId: z.string(), state: ProgrammeStateSchema.nullable() }).openapi('CreatedProgramme');

export const ProgrammeSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    workflowId: z.string(),
    state: ProgrammeStateSchema.nullable(),
    source: z.enum(['workflow', 'projection']).openapi({ description: "`workflow`: the workflow's own answer; `projection`: the state last written to the database (no worker answered within 1.5 s)" }),
    stale: z.boolean().openapi({ description: 'The state may be behind: the workflow did not answer in time' }),
    texts: z.record(z.string(), z.string()).openapi({ description: 'What the state refers to by `reasonRef` or `commentRef` (the pause reason, change requests), by id: kept in PostgreSQL, never in the workflow' }),
  })
  .openapi('Programme');


export const createProgrammeRoute = createRoute({
  method: 'post',
  path: '/v1/programmes',
  tags: ['programmes'],
  summary: 'Create a programme (draft) with its pathway template, quota and MoU signatories',
  request: { headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: CreateProgrammeBody } } } },
  responses: {
    201: { description: 'The programme exists; its MoU can be published (a retry with the same Idempotency-Key gets this same answer)', content: { 'application/json': { schema: CreatedProgrammeSchema } } },
    400: problemResponse('Invalid input, including an invalid template; `errors` names each field'),
    401: problemResponse('No valid API token'),
    403: problemResponse('Only a coordinator of the coordinating organisation creates its programmes'),
    409: problemResponse('The Idempotency-Key was used for another request'),
    413: problemResponse('Request body too large'),
    415: problemResponse('The body is not JSON'),
    503: unavailableResponse,
  },
});

export const getProgrammeRoute = createRoute({
  method: 'get',
  path: '/v1/programmes/{id}',
  tags: ['programmes'],
  summary: "A programme with its workflow's live state: status, quota used/reserved/free, MoU",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: 'The programme', content: { 'application/json': { schema: ProgrammeSchema } } },
    400: problemResponse('Invalid id'),
    401: problemResponse('No valid API token'),
    404: problemResponse('No such programme visible to you'),
    503: unavailableResponse,
  },
});
