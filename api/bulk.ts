/** Bulk actions (usecases/bulk-actions.ts): one coordinator's action over many cases, carried out in the background. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { BULK_ACTIONS } from '../workflows/contract.js';
import { NewBulkAction, startBulkAction } from '../usecases/bulk-actions.js';
import { bulkActionItems, BulkItemsQuery, BulkListQuery, ITEM_RESULTS, listBulkActions, readBulkAction } from '../usecases/bulk-results.js';
import type { AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from './idempotency-header.js';
import { changeUnavailableResponse, KEY_REUSED, problemResponse, v1BodyErrors, v1Errors } from './schemas.js';
import { validationHook } from './validation.js';

const BULK_ID = '3f6c2a1e-8b4d-4c7e-9a51-2d0e7f6b1c93';
const CASE_ID = '0b7d4e2a-6c1f-4a3b-8e59-7f2d1c0a9b64';

const BulkStartedSchema = z
  .object({
    id: z.uuid(),
    action: z.enum(BULK_ACTIONS),
    total: z.number().int().openapi({ description: 'Cases chosen' }),
    refusedAtOnce: z.number().int().openapi({ description: 'Of them, cases your organisation does not coordinate: refused (`coordinator-only`) without being sent' }),
    status: z.enum(['running', 'done']),
    workflowId: z.string(),
  })
  .openapi('BulkStarted', { example: { id: BULK_ID, action: 'nudge', total: 30, refusedAtOnce: 1, status: 'running', workflowId: `bulk:${BULK_ID}` } });

const counts = z.object(Object.fromEntries(ITEM_RESULTS.map((r) => [r, z.number().int()])) as Record<(typeof ITEM_RESULTS)[number], z.ZodNumber>);

const BulkActionSchema = z
  .object({
    id: z.uuid(),
    action: z.enum(BULK_ACTIONS),
    params: z.object({ gateId: z.string().optional(), dueAt: z.string().optional(), organisationId: z.uuid().optional() }),
    selection: z.enum(['cases', 'filter']).openapi({ description: 'Cases chosen one by one, or by a filter of the case list' }),
    filter: z.record(z.string(), z.string()).nullable(),
    startedBy: z.uuid().openapi({ description: 'The person who started it (of your organisation)' }),
    total: z.number().int(),
    status: z.enum(['running', 'done']).openapi({ description: '`done` once every item has its result' }),
    counts: counts.openapi({ description: 'Items by result: `pending` (not carried out yet), `done`, `refused` (by the case\'s rules, or not coordinated by you), `failed`' }),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi('BulkAction', {
    example: {
      id: BULK_ID,
      action: 'nudge',
      params: {},
      selection: 'filter',
      filter: { stuck: 'true' },
      startedBy: '9c4e2a10-3b5d-4f6e-8a7b-1c2d3e4f5a6b',
      total: 30,
      status: 'done',
      counts: { pending: 0, done: 27, refused: 3, failed: 0 },
      createdAt: '2027-01-12T10:04:31.220Z',
      finishedAt: '2027-01-12T10:04:39.870Z',
    },
  });

const BulkItemSchema = z
  .object({
    caseId: z.uuid(),
    reference: z.string(),
    gateId: z.string().nullable().openapi({ description: 'The step acted on (nudge, extend, reassign), once chosen' }),
    result: z.enum(ITEM_RESULTS),
    code: z.string().nullable().openapi({ description: 'Why it was refused or failed: a refusal code (as a 409 of the single action carries it), or the bulk action\'s own: `no-open-step`, `organisation-kind-mismatch`, `no-answer` (the case did not answer, time after time; it may still apply, once), `update-failed`' }),
    params: z.record(z.string(), z.unknown()).openapi({ description: 'What the refusal concerns, by name' }),
    detail: z.string().nullable().openapi({ description: 'The same in English' }),
    finishedAt: z.string().nullable(),
  })
  .openapi('BulkItem', {
    example: { caseId: CASE_ID, reference: 'CS-2027-014', gateId: 'housing', result: 'refused', code: 'case-on-hold', params: { since: '2027-01-02T09:00:00.000Z' }, detail: 'the case is on hold since 2027-01-02T09:00:00.000Z', finishedAt: '2027-01-12T10:04:33.120Z' },
  });

const notFound = problemResponse('No such bulk action started by your organisation', { status: 404, title: 'Bulk action not found', detail: 'No bulk action with this id is visible to you.' });
const params = z.object({ id: z.uuid() });

const startRoute = createRoute({
  method: 'post',
  path: '/v1/bulk-actions',
  tags: ['bulk actions'],
  summary: 'Coordinator: nudge, extend, reassign, hold or resume many cases at once — listed, or every case a filter of the list shows',
  description:
    'Answers 202 at once; the cases are acted on in the background, each once, with a result per case (`GET /v1/bulk-actions/{id}/items`). Every case must be visible to your organisation; those it does not coordinate are refused. Send an Idempotency-Key: a retry gets the same bulk action, never a second one.',
  request: { headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: NewBulkAction } } } },
  responses: {
    202: { description: 'Started (the same answer again for a retry with the same Idempotency-Key)', content: { 'application/json': { schema: BulkStartedSchema } } },
    ...v1BodyErrors('Invalid action, selection (a case not visible to you, a filter the list does not take, more cases than allowed), a field the action needs, or Idempotency-Key', changeUnavailableResponse),
    403: problemResponse('Only coordinators start bulk actions', { status: 403, title: 'Coordinators only', detail: 'Bulk actions are for coordinators.' }),
    409: problemResponse(`The ${KEY_REUSED}`, { status: 409, title: 'Idempotency-Key reused', detail: 'This Idempotency-Key was used before with a different request. Use a new key for a new request.' }),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/bulk-actions',
  tags: ['bulk actions'],
  summary: 'The bulk actions your organisation started, newest first (keyset-paged; empty for anyone but coordinators)',
  request: { query: BulkListQuery },
  responses: {
    200: { description: 'A page of bulk actions', content: { 'application/json': { schema: z.object({ items: z.array(BulkActionSchema), nextCursor: z.string().nullable() }) } } },
    ...v1Errors('Invalid limit or cursor'),
  },
});

const readRoute = createRoute({
  method: 'get',
  path: '/v1/bulk-actions/{id}',
  tags: ['bulk actions'],
  summary: 'A bulk action your organisation started: whether it is done, and its items counted by result',
  request: { params },
  responses: {
    200: { description: 'The bulk action', content: { 'application/json': { schema: BulkActionSchema } } },
    ...v1Errors('Invalid id'),
    404: notFound,
  },
});

const itemsRoute = createRoute({
  method: 'get',
  path: '/v1/bulk-actions/{id}/items',
  tags: ['bulk actions'],
  summary: 'The result for each case of a bulk action, in the order chosen (keyset-paged)',
  request: { params, query: BulkItemsQuery },
  responses: {
    200: { description: 'A page of items', content: { 'application/json': { schema: z.object({ items: z.array(BulkItemSchema), nextCursor: z.string().nullable() }) } } },
    ...v1Errors('Invalid id, result, limit or cursor'),
    404: notFound,
  },
});

export function bulkRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(startRoute, async (c) => {
    const { status, body } = await startBulkAction(deps, c.get('caller'), c.req.valid('json'), idempotencyKeyOf(c));
    c.header('Location', `/v1/bulk-actions/${body.id}`);
    return c.json(body, status);
  });
  app.openapi(listRoute, async (c) => c.json(await listBulkActions(deps.sql, c.get('caller'), c.req.valid('query')), 200));
  app.openapi(readRoute, async (c) => c.json(await readBulkAction(deps.sql, c.get('caller'), c.req.valid('param').id), 200));
  app.openapi(itemsRoute, async (c) => {
    const page = await bulkActionItems(deps.sql, c.get('caller'), c.req.valid('param').id, c.req.valid('query'));
    return c.json({ items: page.items.map(({ refusal: _r, pathwayId: _p, ...item }) => item), nextCursor: page.nextCursor }, 200);
  });
  return app;
}
