/** Admins manage organisations, people and API tokens (a token is shown once; only its hash is kept). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Language, OrganisationKind, Role } from '../../domain/organisation.js';
import { issueToken } from '../../usecases/tokens.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { invalidInput, ProblemError } from '../../usecases/problem.js';
import { problemResponse, v1BodyErrors, v1Errors } from '../schemas.js';
import { validationHook } from '../validation.js';

const MUNICIPALITY = '7d0e3c1b-6a59-4c38-8f0e-2d7b9a1e4c22';
const PERSON = 'c4a1e7d2-9b3f-4e60-8d15-7f2a0b9c3e58';
const TOKEN_ID = 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b';

const Organisation = z.object({ id: z.uuid(), name: z.string(), kind: OrganisationKind }).openapi('Organisation', { example: { id: MUNICIPALITY, name: 'Gemeente Utrecht', kind: 'municipality' } });
const Person = z
  .object({ id: z.uuid(), organisationId: z.uuid(), name: z.string(), email: z.email(), role: Role, language: Language })
  .openapi('Person', { example: { id: PERSON, organisationId: MUNICIPALITY, name: 'Anna de Vries', email: 'anna@example.org', role: 'municipal_officer', language: 'nl' } });
const IssuedToken = z
  .object({ id: z.uuid(), token: z.string().openapi({ description: 'Shown once; store it now' }) })
  .openapi('IssuedToken', { example: { id: TOKEN_ID, token: 'sr_x8Kq2nV7cT4mW1bZ9yR3hJ6dF0gL5pA2sE8uN4kM7vQ' } });

const adminOnly = {
  403: problemResponse('Only admins manage organisations, people and tokens', { status: 403, title: 'Admins only', detail: 'Only admins manage organisations, people and tokens.' }),
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const routes = {
  createOrganisation: createRoute({
    method: 'post', path: '/v1/organisations', tags: ['admin'], summary: 'Create an organisation',
    request: { body: { required: true, content: { 'application/json': { schema: z.object({ name: z.string().trim().min(1).max(200), kind: OrganisationKind }).openapi('CreateOrganisation', { example: { name: 'Gemeente Utrecht', kind: 'municipality' } }) } } } },
    responses: { 201: json(Organisation, 'Created'), ...v1BodyErrors('Invalid name or kind'), ...adminOnly },
  }),
  listOrganisations: createRoute({
    method: 'get', path: '/v1/organisations', tags: ['admin'], summary: 'Every organisation (names and kinds are not personal data; any signed-in caller may list them to pick parties)',
    responses: { 200: json(z.object({ items: z.array(Organisation) }), 'Organisations'), ...v1Errors('A query value holds text that cannot be stored') },
  }),
  createPerson: createRoute({
    method: 'post', path: '/v1/people', tags: ['admin'], summary: 'Add a person to an organisation with a role and a language',
    request: { body: { required: true, content: { 'application/json': { schema: Person.omit({ id: true }).openapi('CreatePerson', { example: { organisationId: '6f1c1e4e-8d0a-4d3c-9a55-1d5a4c0e2b11', name: 'Anna de Vries', email: 'anna@example.org', role: 'sponsor', language: 'nl' } }) } } } },
    responses: {
      201: json(Person, 'Created'),
      ...v1BodyErrors('Invalid input, or no organisation with this `organisationId`'),
      ...adminOnly,
      409: problemResponse('Another person has this email address', { status: 409, title: 'Email already in use', detail: 'Another person has this email address.' }),
    },
  }),
  issueToken: createRoute({
    method: 'post', path: '/v1/people/{id}/tokens', tags: ['admin'], summary: 'Issue an API token for a person (shown once)',
    request: {
      params: z.object({ id: z.uuid() }),
      body: { required: true, content: { 'application/json': { schema: z.object({ label: z.string().max(100).default('') }).openapi('IssueToken', { example: { label: 'case-intake script' } }) } } },
    },
    responses: {
      201: json(IssuedToken, 'The token; only its hash is stored'),
      ...v1BodyErrors('Invalid person id or label'),
      ...adminOnly,
      404: problemResponse('No such person', { status: 404, title: 'Person not found' }),
    },
  }),
  revokeToken: createRoute({
    method: 'post', path: '/v1/tokens/{id}/revoke', tags: ['admin'], summary: 'Revoke a token',
    request: { params: z.object({ id: z.uuid() }) },
    responses: {
      200: json(z.object({ id: z.uuid(), revokedAt: z.string() }).openapi({ example: { id: TOKEN_ID, revokedAt: '2027-01-12T08:30:00.000Z' } }), 'Revoked (a token revoked before keeps its first time)'),
      ...v1Errors('Invalid token id'),
      ...adminOnly,
      404: problemResponse('No such token', { status: 404, title: 'Token not found' }),
    },
  }),
};

export function adminRoutes({ sql }: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const requireAdmin = (role: string) => {
    if (role !== 'admin') throw new ProblemError(403, 'Admins only', 'Only admins manage organisations, people and tokens.');
  };

  app.openapi(routes.createOrganisation, async (c) => {
    requireAdmin(c.get('caller').role);
    const { name, kind } = c.req.valid('json');
    const [row] = await sql<{ id: string }[]>`INSERT INTO organisations (name, kind) VALUES (${name}, ${kind}) RETURNING id`;
    return c.json({ id: row!.id, name, kind }, 201);
  });

  app.openapi(routes.listOrganisations, async (c) => {
    const items = await sql<{ id: string; name: string; kind: OrganisationKind }[]>`SELECT id, name, kind FROM organisations ORDER BY name`;
    return c.json({ items: [...items] }, 200);
  });

  app.openapi(routes.createPerson, async (c) => {
    requireAdmin(c.get('caller').role);
    const p = c.req.valid('json');
    const [org] = await sql`SELECT 1 FROM organisations WHERE id = ${p.organisationId}`;
    if (!org) throw invalidInput('organisationId', 'no organisation with this id');
    const [row] = await sql<{ id: string }[]>`
      INSERT INTO people (organisation_id, name, email, role, language) VALUES (${p.organisationId}, ${p.name}, ${p.email}, ${p.role}, ${p.language})
      ON CONFLICT (email) DO NOTHING RETURNING id`;
    if (!row) throw new ProblemError(409, 'Email already in use', 'Another person has this email address.');
    return c.json({ id: row.id, ...p }, 201);
  });

  app.openapi(routes.issueToken, async (c) => {
    requireAdmin(c.get('caller').role);
    const { id } = c.req.valid('param');
    const [person] = await sql`SELECT 1 FROM people WHERE id = ${id}`;
    if (!person) throw new ProblemError(404, 'Person not found');
    return c.json(await issueToken(sql, id, c.req.valid('json').label), 201);
  });

  app.openapi(routes.revokeToken, async (c) => {
    requireAdmin(c.get('caller').role);
    const { id } = c.req.valid('param');
    const [row] = await sql<{ revokedAt: Date }[]>`UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = ${id} RETURNING revoked_at AS "revokedAt"`;
    if (!row) throw new ProblemError(404, 'Token not found');
    return c.json({ id, revokedAt: row.revokedAt.toISOString() }, 200);
  });

  return app;
}
