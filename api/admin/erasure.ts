/**
 * Admins erase a closed case's personal data (usecases/erasure.ts), read the erasure records and
 * the retention the schedule applies (usecases/retention.ts), and export the read log for the
 * data-protection officer (usecases/read-log-export.ts). Every route answers 403 to anyone else.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { attachmentHeaders } from '../../usecases/csv.js';
import { eraseCaseAsAdmin, listErasures, requireAdmin } from '../../usecases/erasure.js';
import { exportReadLog, ReadLogExportQuery } from '../../usecases/read-log-export.js';
import { retentionSetting } from '../../usecases/retention.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { problemResponse, v1BodyErrors, v1Errors } from '../schemas.js';
import { validationHook } from '../validation.js';

const CASE = '3f0c2a9e-5b7d-4c1e-9a8f-6d2b4e0c8a17';
const ADMIN = 'c4a1e7d2-9b3f-4e60-8d15-7f2a0b9c3e58';

const Erasure = z
  .object({
    caseId: z.uuid(),
    reference: z.string(),
    erasedAt: z.string().openapi({ description: 'When the personal data was erased (ISO 8601)' }),
    actor: z.enum(['admin', 'system']).openapi({ description: '`admin`: erased on request by `personId`; `system`: by the retention schedule' }),
    personId: z.uuid().nullable(),
    reason: z.string(),
    retentionMonths: z.number().int().nullable(),
  })
  .openapi('Erasure', { example: { caseId: CASE, reference: 'CS-2027-004', erasedAt: '2029-03-01T09:00:00.000Z', actor: 'admin', personId: ADMIN, reason: 'request of the principal (art. 17 GDPR)', retentionMonths: null } });

const ErasureListItem = Erasure.extend({ personName: z.string().nullable().openapi({ description: 'The admin who erased it; null for the retention schedule' }) }).openapi('ErasureListItem', {
  example: { caseId: CASE, reference: 'CS-2027-004', erasedAt: '2029-03-01T09:00:00.000Z', actor: 'system', personId: null, reason: 'retention: 24 months', retentionMonths: 24, personName: null },
});

const adminsOnly = { 403: problemResponse('Not an admin', { status: 403, title: 'Admins only', detail: 'Only admins erase personal data and export the read log.' }) };
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

const eraseRoute = createRoute({
  method: 'post',
  path: '/v1/admin/cases/{id}/erasure',
  tags: ['admin'],
  summary:
    "Erase a closed case's personal data: the household, addresses, check-in reports, reasons and comments, agreement texts, files' names and bytes. The case row and its non-personal timeline remain. Once: a second request answers the first record (200)",
  request: {
    params: z.object({ id: z.uuid() }),
    body: { required: true, content: { 'application/json': { schema: z.object({ reason: z.string().max(500) }).openapi('EraseCase', { example: { reason: 'request of the principal (art. 17 GDPR)' } }) } } },
  },
  responses: {
    201: json(Erasure, 'Erased now'),
    200: json(Erasure, 'Erased before: the first record'),
    ...v1BodyErrors('Invalid id, or a reason that is empty or longer than 500 characters'),
    ...adminsOnly,
    404: problemResponse('No such case', { status: 404, title: 'Case not found' }),
    409: problemResponse('The case is not closed', { status: 409, title: 'Case not closed', detail: "Only a closed case's personal data is erased; this case is active.", code: 'case-not-closed', params: { status: 'active' } }),
  },
});

const erasuresRoute = createRoute({
  method: 'get',
  path: '/v1/admin/erasures',
  tags: ['admin'],
  summary: 'Erasure records, newest first: which case, when, by whom (an admin or the retention schedule), why',
  request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }) },
  responses: { 200: json(z.object({ items: z.array(ErasureListItem) }), 'Erasures'), ...v1Errors('Invalid limit'), ...adminsOnly },
});

const retentionRoute = createRoute({
  method: 'get',
  path: '/v1/admin/retention',
  tags: ['admin'],
  summary: "How many months after closing a case's personal data is erased by the retention schedule (RETENTION_MONTHS)",
  responses: {
    200: json(z.object({ months: z.number().int(), source: z.enum(['schedule', 'default']), paused: z.boolean() }).openapi({ example: { months: 24, source: 'schedule', paused: false } }), 'The retention'),
    ...v1Errors('A query value holds text that cannot be stored'),
    ...adminsOnly,
  },
});

const readLogRoute = createRoute({
  method: 'get',
  path: '/v1/admin/personal-data-reads.csv',
  tags: ['admin'],
  summary: "The read log of personal data as CSV for the data-protection officer: a period, optionally one case or one reading organisation, oldest first; streamed. The export is recorded",
  request: { query: ReadLogExportQuery },
  responses: {
    200: {
      description: 'When, case reference and id, reader (id, name, email), organisation (id, name), level, fields, door, file id',
      headers: z.object({ 'Content-Disposition': z.string().openapi({ example: 'attachment; filename="personal-data-reads-2027-01-01-2027-01-31.csv"' }) }),
      content: {
        'text/csv': {
          schema: z.string().openapi({
            description: 'RFC 4180, UTF-8 with a byte-order mark, CRLF line ends; a cell that a spreadsheet would read as a formula starts with an apostrophe',
            example: '\uFEFFWhen,Case reference,Case id,Reader id,Reader name,Reader email,Organisation id,Organisation,Level,Fields,Door,File id\r\n',
          }),
        },
      },
    },
    ...v1Errors('Invalid period or filter'),
    ...adminsOnly,
  },
});

export function erasureRoutes({ sql, temporal }: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });

  app.openapi(eraseRoute, async (c) => {
    const { record, already } = await eraseCaseAsAdmin(sql, c.get('caller'), c.req.valid('param').id, c.req.valid('json').reason);
    return already ? c.json(record, 200) : c.json(record, 201);
  });

  app.openapi(erasuresRoute, async (c) => c.json({ items: await listErasures(sql, c.get('caller'), { limit: c.req.valid('query').limit }) }, 200));

  app.openapi(retentionRoute, async (c) => {
    requireAdmin(c.get('caller'));
    return c.json(await retentionSetting(temporal), 200);
  });

  app.openapi(readLogRoute, async (c) => {
    const file = await exportReadLog(sql, c.get('caller'), c.req.valid('query'), 'api');
    return c.body(file.body, 200, attachmentHeaders(file.fileName)) as never;
  });

  return app;
}
