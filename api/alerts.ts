/** A programme's alerts on thresholds: thin routes onto usecases/programme-alerts.ts. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { createAlert, deleteAlert, listAlerts, NewAlert } from '../usecases/programme-alerts.js';
import type { AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from './idempotency-header.js';
import { notVisible, problemResponse, v1BodyErrors, v1Errors } from './schemas.js';
import { validationHook } from './validation.js';

const Alert = z
  .object({
    id: z.uuid(),
    kind: z.enum(['overdue-steps', 'step-age']),
    threshold: z.number().int(),
    crossedSince: z.string().nullable().openapi({ description: 'Crossed now, since when (the email went out then); null when clear' }),
    lastValue: z.number().int().nullable().openapi({ description: 'What the last evaluation (every ten minutes) measured' }),
    evaluatedAt: z.string().nullable(),
    timesCrossed: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('ProgrammeAlert', {
    example: { id: '6c1f0e2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b', kind: 'overdue-steps', threshold: 10, crossedSince: null, lastValue: 4, evaluatedAt: '2027-02-01T09:10:00.000Z', timesCrossed: 0, createdAt: '2027-01-15T12:00:00.000Z' },
  });

const params = z.object({ id: z.uuid() });
const forbidden = problemResponse("Your organisation signs the programme's MoU but does not coordinate it", { status: 403, title: 'Coordinators only', detail: "Only the programme's coordinators set its alerts." });

const listRoute = createRoute({
  method: 'get',
  path: '/v1/programmes/{id}/alerts',
  tags: ['programmes'],
  summary: "The programme's alerts on thresholds, each with what it last measured and whether it is crossed",
  request: { params },
  responses: { 200: { description: 'Oldest first', content: { 'application/json': { schema: z.object({ items: z.array(Alert) }) } } }, ...v1Errors('Invalid id'), 403: forbidden, 404: notVisible('programme') },
});

const createAlertRoute = createRoute({
  method: 'post',
  path: '/v1/programmes/{id}/alerts',
  tags: ['programmes'],
  summary: "Add an alert: the programme's coordinators are emailed when it is crossed, once, until it clears",
  request: { params, headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: NewAlert.openapi('NewProgrammeAlert', { example: { kind: 'overdue-steps', threshold: 10 } }) } } } },
  responses: {
    201: { description: 'The alert (the same Idempotency-Key adds it once)', content: { 'application/json': { schema: Alert } } },
    ...v1BodyErrors('Invalid kind or threshold'),
    403: forbidden,
    404: notVisible('programme'),
    409: problemResponse('The programme has 20 alerts already', { status: 409, title: 'Too many alerts', detail: 'A programme keeps at most 20 alerts: delete one first.' }),
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/programmes/{id}/alerts/{alertId}',
  tags: ['programmes'],
  summary: 'Remove an alert',
  request: { params: params.extend({ alertId: z.uuid() }) },
  responses: { 204: { description: 'Removed' }, ...v1Errors('Invalid id'), 403: forbidden, 404: problemResponse('No such programme visible to you, or no such alert', { status: 404, title: 'Alert not found', detail: 'This programme has no such alert.' }) },
});

export function alertRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(listRoute, async (c) => c.json({ items: await listAlerts(deps.sql, c.get('caller'), c.req.valid('param').id) }, 200));
  app.openapi(createAlertRoute, async (c) => c.json(await createAlert(deps.sql, c.get('caller'), c.req.valid('param').id, c.req.valid('json'), idempotencyKeyOf(c)), 201));
  app.openapi(deleteRoute, async (c) => {
    const { id, alertId } = c.req.valid('param');
    await deleteAlert(deps.sql, c.get('caller'), id, alertId);
    return c.body(null, 204);
  });
  return app;
}
