/** The caller's own settings (usecases/notification-settings.ts): how messages reach them, and their absences with a delegate. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { DELIVERIES, NOTIFICATION_KINDS } from '../domain/notification-preferences.js';
import { AbsenceInput, addAbsence, endAbsence, listAbsences, PreferencesInput, readPreferences, savePreferences } from '../usecases/notification-settings.js';
import type { AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from './idempotency-header.js';
import { KEY_REUSED, problemResponse, v1BodyErrors, v1Errors } from './schemas.js';
import { validationHook } from './validation.js';

const PreferencesSchema = z
  .object({
    kinds: z.array(
      z.object({
        kind: z.enum(NOTIFICATION_KINDS),
        delivery: z.enum(DELIVERIES),
        essential: z.boolean().openapi({ description: 'Always sent immediately: never held or switched off' }),
        allowed: z.array(z.enum(DELIVERIES)),
      }),
    ),
    digestHour: z.number().int().nullable().openapi({ description: 'The local hour of the daily digest; null: none' }),
    timeZone: z.string(),
  })
  .openapi('NotificationPreferences', {
    example: {
      kinds: [
        { kind: 'reminder', delivery: 'digest', essential: false, allowed: ['immediately', 'digest', 'off'] },
        { kind: 'escalation', delivery: 'immediately', essential: true, allowed: ['immediately'] },
      ],
      digestHour: 8,
      timeZone: 'Europe/Amsterdam',
    },
  });

const AbsenceSchema = z
  .object({
    id: z.uuid(),
    startsAt: z.string(),
    endsAt: z.string(),
    delegate: z.object({ personId: z.uuid(), name: z.string() }),
    current: z.boolean().openapi({ description: 'Under way now' }),
  })
  .openapi('Absence', {
    example: { id: '2b7c1e90-5d4f-4a3b-9c8d-7e6f5a4b3c2d', startsAt: '2027-07-11T22:00:00.000Z', endsAt: '2027-07-30T22:00:00.000Z', delegate: { personId: '9c4e2a10-3b5d-4f6e-8a7b-1c2d3e4f5a6b', name: 'M. de Vries' }, current: false },
  });

const getPreferences = createRoute({
  method: 'get',
  path: '/v1/me/notification-preferences',
  tags: ['me'],
  summary: 'How each kind of message reaches you: immediately, in the daily digest, or not at all',
  responses: { 200: { description: 'Your preferences', content: { 'application/json': { schema: PreferencesSchema } } }, ...v1Errors('Invalid request') },
});

const putPreferences = createRoute({
  method: 'put',
  path: '/v1/me/notification-preferences',
  tags: ['me'],
  summary: 'Replace your preferences (kinds left out: immediately); essential kinds are always immediate',
  request: { body: { required: true, content: { 'application/json': { schema: PreferencesInput } } } },
  responses: {
    200: { description: 'Saved', content: { 'application/json': { schema: PreferencesSchema } } },
    ...v1BodyErrors('An unknown kind or delivery, an essential kind not `immediately`, no digest hour for held messages, or an unknown time zone'),
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/me/absences',
  tags: ['me'],
  summary: 'Your absences under way or to come, with who stands in for you',
  responses: { 200: { description: 'Soonest first', content: { 'application/json': { schema: z.object({ items: z.array(AbsenceSchema) }) } } }, ...v1Errors('Invalid request') },
});

const addRoute = createRoute({
  method: 'post',
  path: '/v1/me/absences',
  tags: ['me'],
  summary: 'Mark an absence: meanwhile your messages go to the colleague you name, and what they do on cases reads "for you"',
  request: { headers: IdempotencyHeader, body: { required: true, content: { 'application/json': { schema: AbsenceInput } } } },
  responses: {
    201: { description: 'Recorded', content: { 'application/json': { schema: AbsenceSchema } } },
    ...v1BodyErrors('Invalid days (the last before the first, or past), or a delegate who is not another person of your organisation'),
    409: problemResponse(`You are away already for part of this time, or ${KEY_REUSED}`, { status: 409, title: 'Overlapping absence', detail: 'You are away already for part of this time: end or delete that absence first.' }),
  },
});

const endRoute = createRoute({
  method: 'delete',
  path: '/v1/me/absences/{id}',
  tags: ['me'],
  summary: 'Call an absence off: one to come is deleted, one under way ends now (and stays on record)',
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    204: { description: 'Deleted or ended' },
    ...v1Errors('Invalid id'),
    404: problemResponse('No absence of yours with this id is to come or under way', { status: 404, title: 'Absence not found', detail: 'No absence of yours with this id is still to come or under way.' }),
  },
});

export function meRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(getPreferences, async (c) => c.json(await readPreferences(deps.sql, c.get('caller')), 200));
  app.openapi(putPreferences, async (c) => c.json(await savePreferences(deps.sql, c.get('caller'), c.req.valid('json')), 200));
  app.openapi(listRoute, async (c) => c.json({ items: await listAbsences(deps.sql, c.get('caller')) }, 200));
  app.openapi(addRoute, async (c) => {
    const absence = await addAbsence(deps.sql, c.get('caller'), c.req.valid('json'), idempotencyKeyOf(c));
    c.header('Location', `/v1/me/absences/${absence.id}`);
    return c.json(absence, 201);
  });
  app.openapi(endRoute, async (c) => {
    await endAbsence(deps.sql, c.get('caller'), c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
