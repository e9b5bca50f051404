/** Departure batches (usecases/departure-batches.ts): a programme's cases that travel together, confirmed once for all. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  actOnBatch,
  AddBatchCases,
  addCases,
  BATCH_STATUSES,
  createBatch,
  listBatches,
  MEMBER_STATUSES,
  NewDepartureBatch,
  NOT_READY_CODES,
  readBatch,
  readyCases,
  removeCase,
  type BatchAction,
} from '../usecases/departure-batches.js';
import type { AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from './idempotency-header.js';
import { changeUnavailableResponse, KEY_REUSED, notVisible, problemResponse, v1BodyErrors, v1Errors } from './schemas.js';
import { validationHook } from './validation.js';

const BATCH_ID = '5a1d3c7e-2b4f-4e6a-9c8d-0f1e2d3c4b5a';
const PROGRAMME_ID = '7c2e4a6b-8d0f-4a1c-9e3b-5d7f9a1c3e5b';
const CASE_ID = '0b7d4e2a-6c1f-4a3b-8e59-7f2d1c0a9b64';

const counts = z.object(Object.fromEntries(MEMBER_STATUSES.map((s) => [s, z.number().int()])) as Record<(typeof MEMBER_STATUSES)[number], z.ZodNumber>);
const result = z.enum(['pending', 'done', 'dropped']).nullable();

const summaryShape = {
  id: z.uuid(),
  programmeId: z.uuid(),
  name: z.string(),
  departureDate: z.string().openapi({ description: 'YYYY-MM-DD' }),
  status: z.enum(BATCH_STATUSES),
  createdAt: z.string(),
  departedAt: z.string().nullable(),
  arrivedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  remindedAt: z.string().nullable().openapi({ description: 'When you were reminded that the departure date came unconfirmed' }),
  counts: counts.openapi({ description: 'Cases by state: `in` (planned to travel), `dropped` (left the batch), `travelled`, `arrived`. A case of a planned batch that ended, is held or whose travel step is no longer open counts as dropped' }),
  pending: z.number().int().openapi({ description: 'Cases still being sent their travel or arrival step in the background' }),
};
const example = {
  id: BATCH_ID,
  programmeId: PROGRAMME_ID,
  name: 'March flight',
  departureDate: '2027-03-12',
  status: 'departed',
  createdAt: '2027-02-20T09:12:00.000Z',
  departedAt: '2027-03-12T15:40:00.000Z',
  arrivedAt: null,
  cancelledAt: null,
  remindedAt: null,
  counts: { in: 0, dropped: 1, travelled: 2, arrived: 0 },
  pending: 0,
};

const BatchSummarySchema = z.object(summaryShape).openapi('DepartureBatchSummary', { example });

const BatchSchema = z
  .object({
    ...summaryShape,
    cases: z.array(
      z.object({
        caseId: z.uuid(),
        reference: z.string(),
        stage: z.string().nullable().openapi({ description: "The case's stage now" }),
        status: z.enum(MEMBER_STATUSES),
        code: z.string().nullable().openapi({ description: 'Why a dropped case left: the code the case refused its step with (`case-on-hold`, `case-final`, `gate-not-open`, `programme-paused`…), or `no-answer`, `case-closed`' }),
        params: z.record(z.string(), z.unknown()),
        departure: result.openapi({ description: 'Its result at the departure: `pending` while being sent, `done` (travel step completed), `dropped`' }),
        arrival: result.openapi({ description: 'Its result at the arrival' }),
      }),
    ),
  })
  .openapi('DepartureBatch', {
    example: {
      ...example,
      cases: [
        { caseId: CASE_ID, reference: 'HC-2027-004', stage: 'Arrival', status: 'travelled', code: null, params: {}, departure: 'done', arrival: null },
        { caseId: '1c9e7a52-3b4d-4e6f-8a0b-2c4d6e8f0a1b', reference: 'HC-2027-007', stage: 'Travel', status: 'dropped', code: 'case-on-hold', params: { since: '2027-03-01T10:00:00.000Z' }, departure: 'dropped', arrival: null },
      ],
    },
  });

const ReadySchema = z
  .object({ caseId: z.uuid(), reference: z.string(), stage: z.string().nullable(), gateId: z.string().openapi({ description: 'Its open travel step' }), dueAt: z.string() })
  .openapi('ReadyToTravel', { example: { caseId: CASE_ID, reference: 'HC-2027-004', stage: 'Travel', gateId: 'travel', dueAt: '2027-05-01T12:00:00.000Z' } });

const batchNotFound = problemResponse('No such departure batch of a programme your organisation coordinates', { status: 404, title: 'Departure batch not found', detail: 'No departure batch with this id is visible to you.' });
const coordinatorsOnly = problemResponse("Your organisation signed the programme's MoU but does not coordinate it, or you are not a coordinator", {
  status: 403,
  title: 'Coordinators only',
  detail: "Only the programme's coordinators read and plan its departure batches.",
});
const changed = (what: string) => ({ 200: { description: `${what} (the same answer again for a retry with the same Idempotency-Key)`, content: { 'application/json': { schema: BatchSchema } } } });
const programmeParams = z.object({ id: z.uuid() });
const batchParams = z.object({ id: z.uuid() });

const listRoute = createRoute({
  method: 'get',
  path: '/v1/programmes/{id}/departure-batches',
  tags: ['departure batches'],
  summary: "A programme's departure batches, soonest departure first (its coordinators)",
  request: { params: programmeParams },
  responses: { 200: { description: 'The batches', content: { 'application/json': { schema: z.object({ items: z.array(BatchSummarySchema) }) } } }, ...v1Errors('Invalid id'), 403: coordinatorsOnly, 404: notVisible('programme') },
});

const createBatchRoute = createRoute({
  method: 'post',
  path: '/v1/programmes/{id}/departure-batches',
  tags: ['departure batches'],
  summary: 'Coordinator: plan a departure batch with a departure date',
  request: { params: programmeParams, headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: NewDepartureBatch } } } },
  responses: {
    201: { description: 'Planned, empty (the same answer again for a retry with the same Idempotency-Key)', content: { 'application/json': { schema: BatchSchema } } },
    ...v1BodyErrors('Invalid id, name, departure date (today or later) or Idempotency-Key', changeUnavailableResponse),
    403: coordinatorsOnly,
    404: notVisible('programme'),
    409: problemResponse(`The ${KEY_REUSED}`, { status: 409, title: 'Idempotency-Key reused', detail: 'This Idempotency-Key was used before with a different request. Use a new key for a new request.' }),
  },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/v1/programmes/{id}/departure-batches/ready',
  tags: ['departure batches'],
  summary: "The programme's cases ready to travel (their stage has an open travel step), active, not held and in no planned batch",
  request: { params: programmeParams },
  responses: { 200: { description: 'Soonest due first', content: { 'application/json': { schema: z.object({ items: z.array(ReadySchema) }) } } }, ...v1Errors('Invalid id'), 403: coordinatorsOnly, 404: notVisible('programme') },
});

const readRoute = createRoute({
  method: 'get',
  path: '/v1/departure-batches/{id}',
  tags: ['departure batches'],
  summary: 'A departure batch and each of its cases with its state and result',
  request: { params: batchParams },
  responses: { 200: { description: 'The batch', content: { 'application/json': { schema: BatchSchema } } }, ...v1Errors('Invalid id'), 404: batchNotFound },
});

const refusedBatch = (detail: string, code: string, params: Record<string, string | number>) =>
  problemResponse(`Refused in the batch's current state (\`code\`, \`params\`), or ${KEY_REUSED}`, { status: 409, title: code === 'not-ready-to-travel' ? 'Not ready to travel' : 'Action refused', detail, code, params });

const addRoute = createRoute({
  method: 'post',
  path: '/v1/departure-batches/{id}/cases',
  tags: ['departure batches'],
  summary: 'Coordinator: add cases that are ready to travel to a planned batch',
  description: `Every case must be a case of the batch's programme whose current stage has an open travel step, active, not held, and in no other planned batch; otherwise nothing is added and the 409 says why (\`code\`: one of ${NOT_READY_CODES.map((c) => `\`${c}\``).join(', ')}, or \`batch-not-planned\`; \`cases\` lists each refused case). A case already in the batch stays.`,
  request: { params: batchParams, headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: AddBatchCases } } } },
  responses: {
    ...changed('Added'),
    ...v1BodyErrors('Invalid id, case ids or Idempotency-Key', changeUnavailableResponse),
    403: coordinatorsOnly,
    404: batchNotFound,
    409: refusedBatch('case HC-2027-009 is not ready to travel: its current stage has no open travel step', 'not-ready-to-travel', { reference: 'HC-2027-009' }),
  },
});

const removeRoute = createRoute({
  method: 'delete',
  path: '/v1/departure-batches/{id}/cases/{caseId}',
  tags: ['departure batches'],
  summary: 'Coordinator: take a case out of a planned batch',
  request: { params: z.object({ id: z.uuid(), caseId: z.uuid() }), headers: IdempotencyHeader },
  responses: { ...changed('Removed'), ...v1Errors('Invalid id or Idempotency-Key', changeUnavailableResponse), 403: coordinatorsOnly, 404: batchNotFound, 409: refusedBatch('the batch is departed: its cases can no longer change', 'batch-not-planned', { status: 'departed' }) },
});

function actionRoute(path: string, summary: string, refusal: [string, string, Record<string, string>]) {
  return createRoute({
    method: 'post',
    path: `/v1/departure-batches/{id}/${path}`,
    tags: ['departure batches'],
    summary,
    description:
      "Answers once the batch's workflow has taken it; each case's step is then completed in the background (`pending` counts those still to go; reload the batch). A case that refuses — held, withdrawn, its step not open — is dropped with the case's refusal code, and never holds the others. Send an Idempotency-Key: a retry applies it once.",
    request: { params: batchParams, headers: IdempotencyHeader },
    responses: { ...changed('Taken'), ...v1Errors('Invalid id or Idempotency-Key', changeUnavailableResponse), 403: coordinatorsOnly, 404: batchNotFound, 409: refusedBatch(...refusal) },
  });
}

const ACTIONS: [BatchAction, ReturnType<typeof actionRoute>][] = [
  ['departure', actionRoute('confirm-departure', "Coordinator: the batch departed — every case's travel step is completed", ['the batch is not planned any more', 'batch-not-planned', { phase: 'departed' }])],
  ['arrival', actionRoute('confirm-arrival', "Coordinator: the batch arrived — every travelled case's arrival step is completed", ['the batch has not departed', 'batch-not-departed', { phase: 'planned' }])],
  ['cancel', actionRoute('cancel', 'Coordinator: cancel a planned batch (its cases are free to join another)', ['the batch is not planned any more', 'batch-not-planned', { phase: 'arrived' }])],
];

export function departureBatchRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(listRoute, async (c) => c.json({ items: await listBatches(deps.sql, c.get('caller'), c.req.valid('param').id) }, 200));
  app.openapi(readyRoute, async (c) => c.json({ items: await readyCases(deps.sql, c.get('caller'), c.req.valid('param').id) }, 200));
  app.openapi(createBatchRoute, async (c) => {
    const { body } = await createBatch(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json'), idempotencyKeyOf(c));
    c.header('Location', `/v1/departure-batches/${body.id}`);
    return c.json(body, 201);
  });
  app.openapi(readRoute, async (c) => c.json(await readBatch(deps.sql, c.get('caller'), c.req.valid('param').id), 200));
  app.openapi(addRoute, async (c) => c.json(await addCases(deps, c.get('caller'), c.req.valid('param').id, c.req.valid('json'), idempotencyKeyOf(c)), 200));
  app.openapi(removeRoute, async (c) => {
    const { id, caseId } = c.req.valid('param');
    return c.json(await removeCase(deps, c.get('caller'), id, caseId, idempotencyKeyOf(c)), 200);
  });
  for (const [action, route] of ACTIONS) {
    app.openapi(route, async (c) => c.json(await actOnBatch(deps, c.get('caller'), c.req.valid('param').id, action, idempotencyKeyOf(c)), 200));
  }
  return app;
}
