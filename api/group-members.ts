/** A sponsor group's roster (usecases/group-members.ts): its members and the checks each completed. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { changeRoster, NewMember, readRoster, RecordCheck, type RosterChange } from '../usecases/group-members.js';
import type { AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from './idempotency-header.js';
import { changeUnavailableResponse, KEY_REUSED, problemResponse, v1BodyErrors, v1Errors } from './schemas.js';
import { validationHook } from './validation.js';

const GROUP_ID = '6a1f3c2e-9d4b-4e7a-8c51-0b2d3e4f5a61';
const MEMBER_ID = '2c7e9a14-5b3d-4f6a-9e80-1d2c3b4a5f67';

const MemberSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string().nullable().openapi({ description: 'For the group’s own people only (null for a coordinator, or when none was given)' }),
    joinedAt: z.string(),
    leftAt: z.string().nullable().openapi({ description: 'When the member left; a member who left counts for no requirement' }),
    checks: z.array(
      z.object({
        check: z.string().openapi({ example: 'good-conduct' }),
        completedOn: z.string().openapi({ example: '2027-01-15' }),
        validUntil: z.string().nullable(),
        current: z.boolean().openapi({ description: 'It counts today (no end, or its last day is today or later)' }),
      }),
    ),
  })
  .openapi('GroupMember', {
    example: {
      id: MEMBER_ID,
      name: 'Anna de Vries',
      email: 'anna@example.org',
      joinedAt: '2027-01-10T09:12:00.000Z',
      leftAt: null,
      checks: [{ check: 'good-conduct', completedOn: '2027-01-15', validUntil: '2028-01-15', current: true }],
    },
  });

const RosterSchema = z
  .object({
    organisationId: z.uuid(),
    name: z.string(),
    rosterVersion: z.number().int().openapi({ description: 'Raised by every change of members or checks; a case reads the group again at a newer one' }),
    members: z.array(MemberSchema),
  })
  .openapi('GroupRoster');

const notFound = problemResponse('No such sponsor group visible to you (its own people read it; a coordinator for a case of theirs, with `caseId`), or no such member in it', {
  status: 404,
  title: 'Group not found',
  detail: "No sponsor group with this id is visible to you. A case's coordinator reads its group's members for that case: add `caseId`.",
});
const groupParams = z.object({ id: z.uuid().openapi({ description: 'The sponsor group (an organisation id)', example: GROUP_ID }) });
const memberParams = groupParams.extend({ memberId: z.uuid().openapi({ example: MEMBER_ID }) });
const changeAnswers = (left: boolean) => ({
  ...v1BodyErrors('Invalid id, body or Idempotency-Key', changeUnavailableResponse),
  404: notFound,
  409: left
    ? problemResponse(`The member has left the group, or ${KEY_REUSED}`, { status: 409, title: 'Member has left', detail: 'This member has left the group; checks are recorded for current members.' })
    : problemResponse(`The ${KEY_REUSED}`, { status: 409, title: 'Idempotency-Key reused', detail: 'This Idempotency-Key was used before with a different request. Use a new key for a new request.' }),
});
const retryNote =
  "Every change tells the group's open cases (a step checking the group reads it again). A 503 here means the change is saved but the cases could not be told yet: send it again with the same Idempotency-Key (it is applied once); SafeRoutes also tells them by itself.";

const readRoute = createRoute({
  method: 'get',
  path: '/v1/groups/{id}/members',
  tags: ['groups'],
  summary: "A sponsor group's members and their checks: for the group's own people; for the coordinator of a case the group takes part in (`caseId`), the current members' names and checks, the read recorded",
  request: { params: groupParams, query: z.object({ caseId: z.uuid().optional().openapi({ description: "A coordinator's case in which the group takes part: the read is recorded against it" }) }) },
  responses: {
    200: { description: 'The roster', content: { 'application/json': { schema: RosterSchema } } },
    ...v1Errors('Invalid id or caseId'),
    404: notFound,
  },
});

const addRoute = createRoute({
  method: 'post',
  path: '/v1/groups/{id}/members',
  tags: ['groups'],
  summary: 'Add a member to your sponsor group',
  description: retryNote,
  request: { headers: IdempotencyHeader, params: groupParams, body: { required: true, content: { 'application/json': { schema: NewMember } } } },
  responses: {
    201: { description: 'Added (the same answer again for a retry with the same Idempotency-Key: one member)', content: { 'application/json': { schema: MemberSchema } } },
    ...changeAnswers(false),
  },
});

const leaveRoute = createRoute({
  method: 'post',
  path: '/v1/groups/{id}/members/{memberId}/leave',
  tags: ['groups'],
  summary: 'Mark a member of your sponsor group as left (kept for the record; counts for nothing any more). Sent again: the same',
  description: retryNote,
  request: { headers: IdempotencyHeader, params: memberParams },
  responses: {
    200: { description: 'Marked as left', content: { 'application/json': { schema: MemberSchema } } },
    ...changeAnswers(false),
  },
});

const checkRoute = createRoute({
  method: 'post',
  path: '/v1/groups/{id}/members/{memberId}/checks',
  tags: ['groups'],
  summary: 'Record a check a member of your sponsor group completed (replaces an earlier record of the same check)',
  description: retryNote,
  request: { headers: IdempotencyHeader, params: memberParams, body: { required: true, content: { 'application/json': { schema: RecordCheck } } } },
  responses: {
    200: { description: 'Recorded', content: { 'application/json': { schema: MemberSchema } } },
    ...changeAnswers(true),
  },
});

export function groupMemberRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const change = (c: Context<AuthEnv>, organisationId: string, rosterChange: RosterChange) => changeRoster(deps, c.get('caller'), organisationId, rosterChange, idempotencyKeyOf(c));

  app.openapi(readRoute, async (c) => c.json(await readRoster(deps, c.get('caller'), c.req.valid('param').id, { caseId: c.req.valid('query').caseId, door: 'api' }), 200));
  app.openapi(addRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { body } = await change(c, id, { kind: 'add', member: c.req.valid('json') });
    c.header('Location', `/v1/groups/${id}/members`);
    return c.json(body, 201);
  });
  app.openapi(leaveRoute, async (c) => {
    const { id, memberId } = c.req.valid('param');
    return c.json((await change(c, id, { kind: 'leave', memberId: memberId.toLowerCase() })).body, 200);
  });
  app.openapi(checkRoute, async (c) => {
    const { id, memberId } = c.req.valid('param');
    return c.json((await change(c, id, { kind: 'check', memberId: memberId.toLowerCase(), record: c.req.valid('json') })).body, 200);
  });
  return app;
}
