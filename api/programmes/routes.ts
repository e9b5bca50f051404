import { createRoute, z } from '@hono/zod-openapi';
import { CreateProgrammeBody as CreateProgrammeBodySchema } from '../../usecases/create-programme.js';
import { IdempotencyHeader } from '../idempotency-header.js';
import { changeUnavailableResponse, KEY_REUSED, notVisible, problemResponse, v1BodyErrors, v1Errors } from '../schemas.js';

// Example ids, the same throughout the reference so that one answer leads to the next.
const PROGRAMME_ID = 'a4d8c2e6-5f1b-4a3c-9e7d-0b2f4a6c8e10';
const COORDINATOR = '0b3f6a52-51a4-4f0e-9a61-3c3f0d0c1a01';
const MUNICIPALITY = '7d0e3c1b-6a59-4c38-8f0e-2d7b9a1e4c22';
const NAME = 'Community sponsorship pilot Catalonia';

export const CreateProgrammeBody = CreateProgrammeBodySchema.openapi('CreateProgramme', {
  example: {
    name: NAME,
    pathway: 'community-sponsorship',
    quota: 10,
    coordinatorOrganisationId: COORDINATOR,
    mouSignatories: [COORDINATOR, MUNICIPALITY],
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
  .openapi('ProgrammeState', {
    example: {
      programmeId: PROGRAMME_ID,
      name: NAME,
      pathwayId: 'community-sponsorship',
      status: 'active',
      paused: null,
      quota: { total: 10, used: 3, reserved: 1, free: 6, waitlisted: 0 },
      mou: {
        version: 2,
        document: { title: 'Memorandum of understanding', url: 'https://docs.example.org/mou-v2.pdf', contentHash: '4f2a9c0e7b1d3e5f' },
        signatories: [COORDINATOR, MUNICIPALITY],
        unsigned: [],
        executedAt: '2027-01-05T14:00:00.000Z',
        dueAt: null,
        remindersSent: 1,
        changeRequestCount: 1,
        changeRequests: [],
      },
      openCases: 4,
      casesTold: true,
      coordinatorOrg: COORDINATOR,
      version: 9,
    },
  });

export const CreatedProgrammeSchema = z
  .object({ id: z.uuid(), name: z.string(), workflowId: z.string(), state: ProgrammeStateSchema.nullable() })
  .openapi('CreatedProgramme', { example: { id: PROGRAMME_ID, name: NAME, workflowId: `programme:${PROGRAMME_ID}`, state: null } });

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
  .openapi('Programme', { example: { id: PROGRAMME_ID, name: NAME, workflowId: `programme:${PROGRAMME_ID}`, state: null, source: 'workflow', stale: false, texts: {} } });

export const createProgrammeRoute = createRoute({
  method: 'post',
  path: '/v1/programmes',
  tags: ['programmes'],
  summary: 'Create a programme (draft) with its pathway template, quota and MoU signatories',
  request: { headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: CreateProgrammeBody } } } },
  responses: {
    201: { description: 'The programme exists; its MoU can be published (a retry with the same Idempotency-Key gets this same answer)', content: { 'application/json': { schema: CreatedProgrammeSchema } } },
    ...v1BodyErrors('Invalid input, including an unknown pathway, an invalid template or an organisation that does not exist', changeUnavailableResponse),
    403: problemResponse('Only a coordinator of the coordinating organisation creates its programmes', { status: 403, title: 'Only coordinators create programmes', detail: 'A programme is created by a coordinator of its coordinating organisation.' }),
    409: problemResponse(`Refused: ${KEY_REUSED}`, { status: 409, title: 'Idempotency-Key reused', detail: 'This Idempotency-Key was used before with a different request. Use a new key for a new request.' }),
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
    ...v1Errors('Invalid id'),
    404: notVisible('programme'),
  },
});
