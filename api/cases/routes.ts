import { createRoute, z } from '@hono/zod-openapi';
import { CaseListQuery } from '../../usecases/case-list.js';
import { CreateCaseBody as CreateCaseBodySchema } from '../../usecases/create-case.js';
import { READ_FIELDS, READ_LEVELS, ReadLogQuery } from '../../usecases/household.js';
import { IdempotencyHeader } from '../idempotency-header.js';
import { TimelinePageSchema, TimelineQuery } from '../timeline-schemas.js';
import { changeUnavailableResponse, KEY_REUSED, notVisible, problemResponse, v1BodyErrors, v1Errors } from '../schemas.js';

// Example ids, the same throughout the reference so that one answer leads to the next.
const CASE_ID = '3f2b8c1e-0d7a-4f5e-9b1c-2a6d8e4f7a10';
const COORDINATOR = '0b3f6a52-51a4-4f0e-9a61-3c3f0d0c1a01';
const SPONSOR = '6f1c1e4e-8d0a-4d3c-9a55-1d5a4c0e2b11';
const MUNICIPALITY = '7d0e3c1b-6a59-4c38-8f0e-2d7b9a1e4c22';

export const CreateCaseBody = CreateCaseBodySchema.openapi('CreateCase', {
  example: {
    reference: 'CS-2027-002',
    pathwayId: 'community-sponsorship',
    parties: {
      coordinator: COORDINATOR,
      sponsor: SPONSOR,
      municipality: MUNICIPALITY,
      immigration: '2a9c4e61-7b3d-4f08-9e25-6c1d8b0a3f47',
      iom: '5e8d1f23-4a6b-4c79-b0e2-9f3a7c5d1e86',
    },
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
      caseId: CASE_ID,
      reference: 'CS-2027-002',
      status: 'active',
      stage: { id: 'housing', title: 'Housing', index: 2, of: 8, enteredAt: '2027-01-10T09:00:00.000Z' },
      waitingOn: [SPONSOR],
      stuck: false,
      nextStep: 'Housing offer — due 2027-02-21; then Sponsorship agreement',
      version: 12,
    },
  });

export const CreatedCaseSchema = z
  .object({ id: z.uuid(), reference: z.string(), workflowId: z.string(), state: CaseStateSchema.nullable() })
  .openapi('CreatedCase', { example: { id: CASE_ID, reference: 'CS-2027-002', workflowId: `case:${CASE_ID}`, state: null } });

export const CaseSchema = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    workflowId: z.string(),
    state: CaseStateSchema.nullable().openapi({
      description:
        "Each housing offer (`gates[].detail.offers[]`) carries its `address` only for the organisation that offered it, the organisation that must answer it (the housing step's `respondent`) and the case's coordinator; other parties see the offer without it",
    }),
    source: z.enum(['workflow', 'projection']).openapi({ description: "`workflow`: the workflow's own answer; `projection`: the state last written to the database (no worker answered within 1.5 s)" }),
    stale: z.boolean().openapi({ description: 'The state may be behind: the workflow did not answer in time' }),
    texts: z.record(z.string(), z.string()).openapi({ description: 'What the state refers to by `reasonRef`, `commentRef` or `textRef` (reasons, comments), by id: kept in PostgreSQL, never in the workflow' }),
    erasure: z
      .object({ erasedAt: z.string(), reason: z.string(), actor: z.enum(['admin', 'system']) })
      .nullable()
      .openapi({ description: "When and why the case's personal data was erased (household, addresses, reports, texts, files); `null` while it is held. Erased texts are absent from `texts`" }),
    departureBatch: z
      .object({ id: z.uuid(), name: z.string(), departureDate: z.string(), status: z.enum(['planned', 'departed', 'arrived', 'cancelled']), caseStatus: z.enum(['in', 'dropped', 'travelled', 'arrived']) })
      .nullable()
      .optional()
      .openapi({ description: 'The departure batch the case is in or travelled with: its name, departure date and state, and this case\'s own (`in`, `travelled`, `arrived`); nothing of the other cases in it' }),
  })
  .openapi('Case', {
    example: {
      id: CASE_ID,
      reference: 'CS-2027-002',
      workflowId: `case:${CASE_ID}`,
      state: null,
      source: 'workflow',
      stale: false,
      texts: { '1c9e7a52-3b4d-4e6f-8a0b-2c4d6e8f0a1b': 'Please send the registration certificate.' },
      erasure: null,
    },
  });

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
    ...v1BodyErrors('Invalid input, including a pathway, programme or party that does not fit', changeUnavailableResponse),
    403: problemResponse('Your organisation is neither the coordinator nor the sponsor group of this case', { status: 403, title: 'Not your case to open', detail: 'Cases are opened by their coordinator or their sponsor group.' }),
    409: problemResponse(`The programme is closed or not running, or ${KEY_REUSED}`, { status: 409, title: 'Programme closed', detail: 'The programme is closed: it takes no new cases.' }),
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
    ...v1Errors('Invalid id'),
    404: notVisible('case'),
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
  .openapi('CaseListItem', {
    example: {
      id: CASE_ID,
      reference: 'CS-2027-002',
      programmeId: null,
      pathwayId: 'community-sponsorship',
      pathwayName: 'Community sponsorship',
      status: 'active',
      stage: { id: 'housing', title: 'Housing', index: 2, of: 8 },
      onHold: null,
      stuck: true,
      daysOverdue: 3,
      waitingOn: [MUNICIPALITY],
      nextStep: { gateId: 'housing', title: 'Housing offer', dueAt: '2027-02-21T12:00:00.000Z' },
      nextDueAt: '2027-02-21T12:00:00.000Z',
      createdAt: '2027-01-03T10:15:00.000Z',
      updatedAt: '2027-01-10T09:00:00.000Z',
    },
  });

export const listCasesRoute = createRoute({
  method: 'get',
  path: '/v1/cases',
  tags: ['cases'],
  summary: 'The cases your organisation takes part in: search by reference, filters, sorting and keyset paging (from the projection)',
  request: { query: CaseListQuery },
  responses: {
    200: { description: 'A page of cases; pass `nextCursor` as `cursor` (with the same sort) for the next', content: { 'application/json': { schema: z.object({ items: z.array(CaseListItem), nextCursor: z.string().nullable() }) } } },
    ...v1Errors('Invalid filter, sort or cursor'),
  },
});

export const timelineRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}/timeline',
  tags: ['cases'],
  summary: "The case's append-only timeline: every event with actor (named), time and reason",
  request: { params: z.object({ id: z.uuid() }), query: TimelineQuery },
  responses: {
    200: { description: 'Events in order; `after` the last id pages on', content: { 'application/json': { schema: TimelinePageSchema } } },
    ...v1Errors('Invalid id or paging'),
    404: notVisible('case'),
  },
});

export const AgreementTextSchema = z
  .object({
    gateId: z.string(),
    version: z.number().int().min(1),
    title: z.string(),
    url: z.string().nullable(),
    text: z.string().nullable().openapi({ description: 'The text as published; null when only a url was given' }),
    contentHash: z.string().openapi({ description: 'sha256 of the text (or of the url): the same hash as in the case state, so a signatory sees it signs these words' }),
    executedAt: z.string().nullable(),
  })
  .openapi('CaseAgreementText', {
    example: {
      gateId: 'sponsorship-agreement',
      version: 2,
      title: 'Sponsorship agreement',
      url: null,
      text: 'The sponsor group supports the household for 12 months.',
      contentHash: '9f2b4c6d8e0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c',
      executedAt: null,
    },
  });

export const agreementTextRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}/gates/{gateId}/document',
  tags: ['cases'],
  summary: "The current version of a case's agreement with its text: for its signatories and the case's coordinator",
  request: { params: z.object({ id: z.uuid(), gateId: z.string().min(1).max(40) }) },
  responses: {
    200: { description: 'The version being signed (or signed), with its words', content: { 'application/json': { schema: AgreementTextSchema } } },
    ...v1Errors('Invalid id or gate id'),
    403: problemResponse('Your organisation takes part in the case but does not sign this agreement', { status: 403, title: 'Not a signatory', detail: 'Only the signatories of this agreement and the coordinator of the case read its text.' }),
    404: problemResponse('No such case visible to you, no agreement step with this id in it, or no version published yet', { status: 404, title: 'Agreement not published', detail: 'No version of this agreement has been published yet.' }),
  },
});

// The household, as each party of the case may see it, and who read it (usecases/household.ts).

export const HouseholdSchema = z
  .object({
    caseId: z.uuid(),
    level: z.enum(['full', 'principal', 'housing', 'candidate', 'none']).openapi({
      description:
        "What your organisation sees: `full` (the case's coordinator, its sponsor group, national agencies): every name, birth year, age, relation and need; `principal` (a university): the principal's name, the members' ages and relations, needs; `housing` (the municipality asked for housing): size, ages, relations and needs, no name; `candidate` (an organisation a match step asks to take the case, while it is asked): the same as `housing`",
    }),
    size: z.number().int().min(1).openapi({ description: 'The principal and the members' }),
    principal: z.object({ name: z.string() }).nullable().openapi({ description: "The principal's name; null where your level does not show it" }),
    members: z.array(
      z.object({
        name: z.string().optional().openapi({ description: 'Only at level `full`' }),
        birthYear: z.number().int().optional().openapi({ description: 'Only at level `full`' }),
        age: z.number().int().nullable().openapi({ description: 'The age reached this year; null when no birth year is recorded' }),
        relation: z.string().nullable().openapi({ description: 'To the principal, e.g. `child`' }),
      }),
    ),
    needs: z.array(z.string()),
  })
  .openapi('Household', {
    example: { caseId: CASE_ID, level: 'housing', size: 3, principal: null, members: [{ age: 38, relation: 'spouse' }, { age: 12, relation: 'child' }], needs: ['step-free access'] },
  });

export const householdRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}/household',
  tags: ['cases'],
  summary: "The case's household as your organisation may see it; every read that returns personal data is recorded for the case's coordinator",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: 'The household at your level (`level`); fields your level does not show are null or absent', content: { 'application/json': { schema: HouseholdSchema } } },
    ...v1Errors('Invalid id'),
    404: notVisible('case'),
  },
});

export const PersonalDataReadSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    reader: z.object({ personId: z.uuid(), name: z.string(), organisation: z.object({ id: z.uuid(), name: z.string(), kind: z.string() }) }),
    level: z.enum(READ_LEVELS).openapi({ description: 'The household level read, `document` for a download of an attached file, `reports` for check-in reports read back, or `group-roster` for a sponsor group’s members read by the case’s coordinator' }),
    fields: z.array(z.enum(READ_FIELDS)).openapi({ description: 'The personal fields the read returned (`document`: an attached file; `reports`: check-in reports)' }),
    door: z.enum(['api', 'web']).openapi({ description: 'Read through the API or on the case page' }),
  })
  .openapi('PersonalDataRead', {
    example: {
      id: '412',
      at: '2027-01-12T10:04:31.220Z',
      reader: { personId: '9c4e2a10-3b5d-4f6e-8a7b-1c2d3e4f5a6b', name: 'J. Jansen', organisation: { id: MUNICIPALITY, name: 'Gemeente Utrecht', kind: 'municipality' } },
      level: 'housing',
      fields: ['ages', 'relations', 'needs'],
      door: 'web',
    },
  });

export const readLogRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}/reads',
  tags: ['cases'],
  summary: "Who read the case's household, when and what: newest first, keyset paged; for the case's coordinator",
  request: { params: z.object({ id: z.uuid() }), query: ReadLogQuery },
  responses: {
    200: { description: 'A page of reads; pass `nextCursor` as `cursor` for the next', content: { 'application/json': { schema: z.object({ items: z.array(PersonalDataReadSchema), nextCursor: z.string().nullable() }) } } },
    ...v1Errors('Invalid id, limit or cursor'),
    403: problemResponse('Your organisation takes part in the case but does not coordinate it', { status: 403, title: 'Not the coordinator', detail: 'Only the coordinator of the case reads who read its household.' }),
    404: notVisible('case'),
  },
});
