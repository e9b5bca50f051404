/**
 * The case list and the board as CSV (usecases/export.ts): the lists' filters, streamed. Registered
 * before the case routes, whose `/v1/cases/{id}` would otherwise take `export.csv` for an id.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { attachmentHeaders } from '../usecases/csv.js';
import { BoardExportQuery, CaseExportQuery, ENGLISH_CSV_WORDS, exportBoard, exportCases, type CsvExport } from '../usecases/export.js';
import type { AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { problemResponse, v1Errors } from './schemas.js';
import { validationHook } from './validation.js';

const csv = (description: string, example: string) => ({
  description,
  headers: z.object({ 'Content-Disposition': z.string().openapi({ example: 'attachment; filename="cases-2027-01-31.csv"' }) }),
  content: { 'text/csv': { schema: z.string().openapi({ description: 'RFC 4180, UTF-8 with a byte-order mark, CRLF line ends; a cell that a spreadsheet would read as a formula starts with an apostrophe', example }) } },
});

const exportCasesRoute = createRoute({
  method: 'get',
  path: '/v1/cases/export.csv',
  tags: ['cases'],
  summary:
    "The case list as CSV, with the list's filters (`programmeId` for a programme's cases), newest first (or by `reference`); streamed. `include=household` adds the household's columns as far as your part in each case shows it, and records each case read so in its read log",
  request: { query: CaseExportQuery },
  responses: {
    200: csv(
      'Every case the list would show: reference, pathway, programme, status, stage, on hold, whose turn, next step, due, days overdue, opened, updated (ISO 8601); with `include=household` also principal, household size, members, needs',
      '\uFEFFReference,Pathway,Programme,Status,Stage,On hold,Whose turn,Next step,Due,Days overdue,Opened,Updated\r\nCS-2027-002,Community sponsorship,,active,Housing,,Gemeente Utrecht,Housing offer,2027-02-21T12:00:00.000Z,3,2027-01-05T09:12:00.000Z,2027-02-01T10:00:00.000Z\r\n',
    ),
    ...v1Errors('Invalid filter or sort'),
  },
});

const exportBoardRoute = createRoute({
  method: 'get',
  path: '/v1/board/export.csv',
  tags: ['boards'],
  summary: "The stuck board's overdue steps as CSV, with the board's filters, longest overdue first; streamed. Coordinators only. `include=household` as for the case list",
  request: { query: BoardExportQuery },
  responses: {
    200: csv(
      'Every overdue step the board would show: reference, step, kind of step, whose turn, programme, pathway, due, days overdue, reminders and escalations sent',
      '\uFEFFReference,Step,Kind of step,Whose turn,Programme,Pathway,Due,Days overdue,Reminders sent,Escalations sent\r\nCS-2027-002,Housing offer,housing,Gemeente Utrecht,,Community sponsorship,2027-02-21T12:00:00.000Z,3,2,1\r\n',
    ),
    ...v1Errors('Invalid filter'),
    403: problemResponse('Your organisation is not a coordinator', { status: 403, title: 'Coordinators only', detail: 'The stuck-case board is for coordinators.' }),
  },
});

const english = { words: ENGLISH_CSV_WORDS, door: 'api' as const };

export function exportRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const send = (c: { body: (body: ReadableStream, status: 200, headers: Record<string, string>) => Response }, file: CsvExport) => c.body(file.body, 200, attachmentHeaders(file.fileName));
  app.openapi(exportCasesRoute, async (c) => send(c, await exportCases(deps.sql, c.get('caller'), c.req.valid('query'), english)) as never);
  app.openapi(exportBoardRoute, async (c) => send(c, await exportBoard(deps.sql, c.get('caller'), c.req.valid('query'), english)) as never);
  return app;
}
