/**
 * Before opening a case: does the caller's organisation already have one that looks the same? A
 * thin route onto usecases/similar-cases.ts. A POST with a body, not a GET, because the question
 * carries a person's name, and names stay out of URLs (and so out of every log that keeps them).
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { similarCases, SimilarCasesQuery } from '../../usecases/similar-cases.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { v1BodyErrors } from '../schemas.js';
import { validationHook } from '../validation.js';

const SimilarCase = z
  .object({
    id: z.uuid(),
    reference: z.string(),
    matches: z.array(z.enum(['reference', 'principalName'])).openapi({ description: 'What looks the same: the reference (ignoring case, spaces and dashes, or a typo away), the principal’s name, or both' }),
  })
  .openapi('SimilarCase', { example: { id: '3f2b8c1e-9d4a-4e6b-8c2f-1a7d9e0b5c34', reference: 'CS-2027-002', matches: ['reference'] } });

const similarRoute = createRoute({
  method: 'post',
  path: '/v1/cases/similar',
  tags: ['cases'],
  summary: 'Cases of your organisation that look like the one you are about to open (same or near reference, same principal): a duplicate warning, never the stored name',
  request: { body: { required: true, content: { 'application/json': { schema: SimilarCasesQuery.openapi('SimilarCasesQuery', { example: { reference: 'cs 2027/002', principalName: 'A. Example' } }) } } } },
  responses: {
    200: { description: 'Up to 10 similar cases, newest first (none for organisations that do not open cases)', content: { 'application/json': { schema: z.object({ items: z.array(SimilarCase) }) } } },
    ...v1BodyErrors('Invalid input'),
  },
});

export function similarCaseRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(similarRoute, async (c) => c.json({ items: await similarCases(deps.sql, c.get('caller'), c.req.valid('json')) }, 200));
  return app;
}
