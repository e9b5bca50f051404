/** A case's agreement and a programme's MoU as PDFs, in English, for those who read their text (usecases/agreement-pdf.ts). */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { caseAgreementPdf, englishDate, ENGLISH_PDF_WORDS, programmeAgreementPdf } from '../usecases/agreement-pdf.js';
import { bodyOf, downloadHeaders } from '../usecases/file-types.js';
import type { AuthEnv } from './auth.js';
import type { ApiDeps } from './deps.js';
import { notVisible, problemResponse, v1Errors } from './schemas.js';
import { validationHook } from './validation.js';

const pdf = (what: string) => ({
  description: `${what} as a PDF: the current version's text, and a table of who signed that version (organisation, person, version, when; dates in UTC)`,
  content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
});
const unpublished = (what: string, extra = '') =>
  problemResponse(`No such ${what} visible to you${extra}, or no version published yet`, { status: 404, title: 'Agreement not published', detail: 'No version of this agreement has been published yet.' });

export const caseAgreementPdfRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}/gates/{gateId}/document.pdf',
  tags: ['cases'],
  summary: "A case's agreement as a PDF, ending with its signatures: for its signatories and the case's coordinator",
  request: { params: z.object({ id: z.uuid(), gateId: z.string().min(1).max(40) }) },
  responses: {
    200: pdf("The case's agreement"),
    ...v1Errors('Invalid id or gate id'),
    403: problemResponse('Your organisation takes part in the case but does not sign this agreement', { status: 403, title: 'Not a signatory', detail: 'Only the signatories of this agreement and the coordinator of the case read its text.' }),
    404: unpublished('case', ', no agreement step with this id in it'),
  },
});

export const mouPdfRoute = createRoute({
  method: 'get',
  path: '/v1/programmes/{id}/agreement.pdf',
  tags: ['programmes'],
  summary: "A programme's MoU as a PDF, ending with its signatures: for its coordinator and signatories",
  request: { params: z.object({ id: z.uuid() }) },
  responses: {
    200: pdf("The programme's MoU"),
    ...v1Errors('Invalid id'),
    404: { ...notVisible('programme'), description: 'No such programme visible to you, or no MoU version published yet (`title` says which)' },
  },
});

const pdfResponse = (c: Context, { fileName, bytes }: { fileName: string; bytes: Buffer }) => c.body(bodyOf(bytes), 200, downloadHeaders('application/pdf', fileName, bytes.byteLength));

export function agreementPdfRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });
  const english = { words: ENGLISH_PDF_WORDS, date: englishDate };

  app.openapi(caseAgreementPdfRoute, async (c) => {
    const { id, gateId } = c.req.valid('param');
    return pdfResponse(c, await caseAgreementPdf(deps, c.get('caller'), id, gateId, english)) as never;
  });

  app.openapi(mouPdfRoute, async (c) => pdfResponse(c, await programmeAgreementPdf(deps, c.get('caller'), c.req.valid('param').id, english)) as never);

  return app;
}
