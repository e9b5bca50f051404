import { createRoute, z } from '@hono/zod-openapi';
import { CreateProgrammeBody as CreateProgrammeBodySchema } from '../../usecases/create-programme.js';
import { ProgrammeListQuery } from '../../usecases/programme-list.js';
import { IdempotencyHeader } from '../idempotency-header.js';
import { TimelinePageSchema, TimelineQuery } from '../timeline-schemas.js';
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

const MouChangeRequestSchema = z
  .object({
    organisation: z.object({ id: z.uuid(), name: z.string() }),
    version: z.number().int(),
    comment: z.string().nullable().openapi({ description: 'What the organisation asked to change' }),
    at: z.string(),
  })
  .openapi('MouChangeRequest');

export const ProgrammeSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    workflowId: z.string(),
    state: ProgrammeStateSchema.nullable(),
    source: z.enum(['workflow', 'projection']).openapi({ description: "`workflow`: the workflow's own answer; `projection`: the state last written to the database (no worker answered within 1.5 s)" }),
    stale: z.boolean().openapi({ description: 'The state may be behind: the workflow did not answer in time' }),
    texts: z.record(z.string(), z.string()).openapi({ description: 'What the state refers to by `reasonRef` or `commentRef` (the pause reason, change requests), by id: kept in PostgreSQL, never in the workflow' }),
    changeRequests: z.array(MouChangeRequestSchema).openapi({ description: "The MoU's newest change requests (the state keeps five), oldest first; the programme's timeline has every one" }),
  })
  .openapi('Programme', {
    example: {
      id: PROGRAMME_ID,
      name: NAME,
      workflowId: `programme:${PROGRAMME_ID}`,
      state: null,
      source: 'workflow',
      stale: false,
      texts: {},
      changeRequests: [{ organisation: { id: MUNICIPALITY, name: 'Gemeente Utrecht' }, version: 1, comment: 'Article 4 should name the reception budget.', at: '2027-01-03T10:00:00.000Z' }],
    },
  });

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

export const ProgrammeListItemSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    pathwayId: z.string(),
    status: z.enum(['draft', 'negotiating', 'active', 'paused', 'closed']),
    coordinating: z.boolean().openapi({ description: 'Your organisation runs the programme' }),
    signatory: z.boolean().openapi({ description: "Your organisation signs the programme's MoU" }),
    summary: z
      .object({
        status: z.enum(['draft', 'negotiating', 'active', 'paused', 'closed']),
        paused: z.object({ since: z.string() }).nullable(),
        quota: z.object({ total: z.number().int(), used: z.number().int(), reserved: z.number().int(), free: z.number().int(), waitlisted: z.number().int() }),
        mou: z.object({ version: z.number().int(), executedAt: z.string().nullable(), unsigned: z.array(z.uuid()) }),
      })
      .nullable()
      .openapi({ description: "Places and MoU from the programme's projected state; null until its workflow has written one" }),
    toSign: z.boolean().openapi({ description: 'The current MoU version waits for your organisation to sign it' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('ProgrammeListItem', {
    example: {
      id: PROGRAMME_ID,
      name: NAME,
      pathwayId: 'community-sponsorship',
      status: 'negotiating',
      coordinating: false,
      signatory: true,
      summary: { status: 'negotiating', paused: null, quota: { total: 10, used: 0, reserved: 0, free: 10, waitlisted: 0 }, mou: { version: 1, executedAt: null, unsigned: [MUNICIPALITY] } },
      toSign: true,
      createdAt: '2027-01-02T09:00:00.000Z',
      updatedAt: '2027-01-02T09:05:00.000Z',
    },
  });

export const listProgrammesRoute = createRoute({
  method: 'get',
  path: '/v1/programmes',
  tags: ['programmes'],
  summary: 'The programmes your organisation coordinates or whose MoU it signs, newest first, with keyset paging',
  request: { query: ProgrammeListQuery },
  responses: {
    200: {
      description: 'A page of programmes; pass `nextCursor` as `cursor` for the next',
      content: { 'application/json': { schema: z.object({ items: z.array(ProgrammeListItemSchema), nextCursor: z.string().nullable() }) } },
    },
    ...v1Errors('Invalid limit or cursor'),
  },
});

export const programmeTimelineRoute = createRoute({
  method: 'get',
  path: '/v1/programmes/{id}/timeline',
  tags: ['programmes'],
  summary: "The programme's append-only timeline: MoU versions, signatures and change requests (with their comments), pauses, quota and places, actors named",
  request: { params: z.object({ id: z.uuid() }), query: TimelineQuery },
  responses: {
    200: { description: 'Events in order; `after` the last id pages on', content: { 'application/json': { schema: TimelinePageSchema } } },
    ...v1Errors('Invalid id or paging'),
    404: notVisible('programme'),
  },
});

export const MouTextSchema = z
  .object({
    programmeId: z.uuid(),
    version: z.number().int().min(1),
    title: z.string(),
    url: z.string().nullable(),
    text: z.string().nullable().openapi({ description: 'The text as published; null when only a url was given' }),
    contentHash: z.string().openapi({ description: 'sha256 of the text (or of the url): the same hash as in the programme state' }),
    executedAt: z.string().nullable(),
  })
  .openapi('MouText', {
    example: {
      programmeId: PROGRAMME_ID,
      version: 2,
      title: 'Memorandum of understanding',
      url: 'https://docs.example.org/mou-v2.pdf',
      text: null,
      contentHash: '4f2a9c0e7b1d3e5f',
      executedAt: '2027-01-05T14:00:00.000Z',
    },
  });

export const mouTextRoute = createRoute({
  method: 'get',
  path: '/v1/programmes/{id}/agreement',
  tags: ['programmes'],
  summary: "The current version of the programme's MoU with its text: for its coordinator and signatories",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: 'The version being signed (or signed), with its words', content: { 'application/json': { schema: MouTextSchema } } },
    ...v1Errors('Invalid id'),
    404: problemResponse('No such programme visible to you (it is read by its coordinator and MoU signatories only), or no MoU version published yet', {
      status: 404,
      title: 'Agreement not published',
      detail: 'No version of the MoU has been published yet.',
    }),
  },
});
