/** Sent check-in reports, read back by the sponsor group that writes them and the coordinator: a thin route onto usecases/checkin-reports.ts. */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { caseReports } from '../../usecases/checkin-reports.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { notVisible, problemResponse, v1Errors } from '../schemas.js';
import { validationHook } from '../validation.js';

const SentReportSchema = z
  .object({
    gateId: z.string(),
    number: z.number().int().openapi({ description: '1-based: report `number` of `of`' }),
    of: z.number().int(),
    submittedAt: z.string(),
    by: z.object({ personId: z.uuid(), name: z.string() }),
    text: z.string(),
  })
  .openapi('SentReport', {
    example: { gateId: 'checkins', number: 1, of: 4, submittedAt: '2027-06-02T10:00:00.000Z', by: { personId: '0b7e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4', name: 'J. de Vries' }, text: 'The family has settled in; the children started school.' },
  });

const reportsRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}/reports',
  tags: ['cases'],
  summary: "The case's sent check-in reports: for the sponsor group that writes them and the case's coordinator; every read that returns one is recorded",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: { description: 'Sent reports, oldest first', content: { 'application/json': { schema: z.object({ items: z.array(SentReportSchema) }) } } },
    ...v1Errors('Invalid id'),
    403: problemResponse('Your organisation takes part in the case but does not read its reports', { status: 403, title: 'Not a reader of the reports', detail: 'Check-in reports are read by the sponsor group that writes them and by the coordinator of the case.' }),
    404: notVisible('case'),
  },
});

export function caseReportRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  app.openapi(reportsRoute, async (c) => c.json({ items: (await caseReports(deps, c.get('caller'), c.req.valid('param').id)).items }, 200));
  return app;
}
