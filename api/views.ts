/** Saved views (usecases/saved-views.ts): a person's named filters of the case list and the board. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { changeView, deleteView, listViews, NewSavedView, SavedViewChange, saveView, VIEW_LISTS } from '../usecases/saved-views.js';
import type { AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from './idempotency-header.js';
import { KEY_REUSED, problemResponse, v1BodyErrors, v1Errors } from './schemas.js';
import { validationHook } from './validation.js';

const VIEW_ID = '5e3a9c71-2b4d-4e8f-9a60-7c1d2e3f4a5b';

const SavedViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    list: z.enum(VIEW_LISTS),
    query: z.record(z.string(), z.string()).openapi({ description: "The list's filters, as its query string spells them" }),
    shared: z.boolean().openapi({ description: 'Shared with everyone in the owner’s organisation' }),
    mine: z.boolean().openapi({ description: 'You saved it, and may delete it' }),
    owner: z.object({ personId: z.uuid(), name: z.string() }).openapi({ description: 'You, or a colleague of your organisation who shared it' }),
    apiPath: z.string().openapi({ description: 'The list with these filters: `GET` it' }),
    createdAt: z.string(),
  })
  .openapi('SavedView', {
    example: {
      id: VIEW_ID,
      name: 'Municipalities, 7+ days late',
      list: 'board',
      query: { overdueDays: '7', partyKind: 'municipality' },
      shared: true,
      mine: true,
      owner: { personId: '9c4e2a10-3b5d-4f6e-8a7b-1c2d3e4f5a6b', name: 'M. de Vries' },
      apiPath: '/v1/stuck?overdueDays=7&partyKind=municipality',
      createdAt: '2027-01-12T10:04:31.220Z',
    },
  });

const notFound = problemResponse('No such view saved by you or shared with your organisation', { status: 404, title: 'Saved view not found', detail: 'No saved view with this id is visible to you.' });

const listRoute = createRoute({
  method: 'get',
  path: '/v1/views',
  tags: ['views'],
  summary: 'Your saved views and those shared with your organisation, by name',
  request: { query: z.object({ list: z.enum(VIEW_LISTS).optional().openapi({ description: 'Only the views of this list' }) }) },
  responses: {
    200: { description: 'The views', content: { 'application/json': { schema: z.object({ items: z.array(SavedViewSchema) }) } } },
    ...v1Errors('Invalid list'),
  },
});

const saveRoute = createRoute({
  method: 'post',
  path: '/v1/views',
  tags: ['views'],
  summary: 'Save a view: a name for filters of the case list or the board; coordinators may share it with their organisation',
  request: { headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: NewSavedView } } } },
  responses: {
    201: { description: 'Saved (the same answer again for a retry with the same Idempotency-Key: it is saved once)', content: { 'application/json': { schema: SavedViewSchema } } },
    ...v1BodyErrors("Invalid name, list or Idempotency-Key, or a filter the list does not take (`query.<filter>`)"),
    403: problemResponse('Only coordinators share views, and save views of the board', { status: 403, title: 'Coordinators only', detail: 'Only coordinators share views with their organisation.' }),
    409: problemResponse(`You keep 100 views already, or ${KEY_REUSED}`, { status: 409, title: 'Too many saved views', detail: 'A person keeps at most 100 saved views; delete one first.' }),
  },
});

const notYours = problemResponse('A colleague saved this view: only they change or delete it', { status: 403, title: 'Not your view', detail: 'Only the person who saved a view changes or deletes it.' });

const changeRoute = createRoute({
  method: 'patch',
  path: '/v1/views/{id}',
  tags: ['views'],
  summary: 'Rename a view you saved, or share it or stop sharing it (sharing: coordinators only); sent twice, the same',
  request: { params: z.object({ id: z.uuid() }), body: { required: true, content: { 'application/json': { schema: SavedViewChange } } } },
  responses: {
    200: { description: 'Changed', content: { 'application/json': { schema: SavedViewSchema } } },
    ...v1BodyErrors('Invalid id or name, or neither a name nor `shared` given'),
    403: problemResponse('A colleague saved this view (only they change it), or only coordinators share views', { status: 403, title: 'Not your view', detail: 'Only the person who saved a view changes or deletes it.' }),
    404: notFound,
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/views/{id}',
  tags: ['views'],
  summary: 'Delete a view you saved (a shared one too); a colleague’s shared view answers 403',
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    204: { description: 'Deleted' },
    ...v1Errors('Invalid id'),
    403: notYours,
    404: notFound,
  },
});

export function viewRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(listRoute, async (c) => c.json({ items: await listViews(deps.sql, c.get('caller'), c.req.valid('query').list) }, 200));
  app.openapi(saveRoute, async (c) => {
    const { status, body } = await saveView(deps.sql, c.get('caller'), c.req.valid('json'), idempotencyKeyOf(c));
    c.header('Location', `/v1/views/${body.id}`);
    return c.json(body, status);
  });
  app.openapi(changeRoute, async (c) => c.json(await changeView(deps.sql, c.get('caller'), c.req.valid('param').id, c.req.valid('json')), 200));
  app.openapi(deleteRoute, async (c) => {
    await deleteView(deps.sql, c.get('caller'), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
