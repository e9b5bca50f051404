/**
 * A case's files (usecases/attachments.ts): upload as multipart/form-data, list, download. The
 * upload is the one /v1 body that is not JSON and may be larger than 256 KiB: api/app.ts asks
 * `isUpload` to give it its own limit and leave its media type to the route.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { downloadAttachment, listAttachments, uploadAttachment } from '../../usecases/attachments.js';
import { bodyOf, downloadHeaders, MAX_FILE_BYTES } from '../../usecases/file-types.js';
import type { AuthEnv } from '../auth.js';
import type { ApiDeps } from '../deps.js';
import { IdempotencyHeader, idempotencyKeyOf } from '../idempotency-header.js';
import { problem } from '../problem.js';
import { KEY_REUSED, notVisible, problemResponse, v1Errors } from '../schemas.js';
import { validationHook } from '../validation.js';

/** The upload's body: the file and the few form fields around it. */
export const MAX_UPLOAD_BODY_BYTES = MAX_FILE_BYTES + 64 * 1024;

const UPLOAD_PATH = /^\/v1\/cases\/[^/]+\/attachments\/?$/;

/** Whether a request is an upload: multipart, with its own body limit (api/app.ts). */
export const isUpload = (c: Context) => c.req.method === 'POST' && UPLOAD_PATH.test(c.req.path);

const requireMultipart: MiddlewareHandler = async (c, next) => {
  if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '')) return problem(c, 415, 'Unsupported media type', 'Send the file as multipart/form-data, in the field "file".');
  await next();
};

const ATTACHMENT_ID = '1c9e7b2a-4d3f-5a6b-8c7d-9e0f1a2b3c4d';
const CASE_ID = '3f2b8c1e-0d7a-4f5e-9b1c-2a6d8e4f7a10';

export const AttachmentSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    gateId: z.string().nullable().openapi({ description: "The step it belongs to; null for the case's own documents" }),
    reportIndex: z.number().int().nullable().openapi({ description: 'The check-in report (its index on the step) it belongs to' }),
    fileName: z.string(),
    mediaType: z.enum(['application/pdf', 'image/png', 'image/jpeg', 'text/plain']).openapi({ description: "Read from the file's first bytes, not from what the uploader declared" }),
    size: z.number().int().openapi({ description: 'In bytes' }),
    sha256: z.string(),
    uploadedBy: z.object({
      organisation: z.object({ id: z.uuid(), name: z.string() }),
      person: z.object({ id: z.uuid(), name: z.string().nullable().openapi({ description: "Shown to the uploader's own organisation and the case's coordinator; null for others" }) }),
    }),
    createdAt: z.string(),
  })
  .openapi('Attachment', {
    example: {
      id: ATTACHMENT_ID,
      caseId: CASE_ID,
      gateId: null,
      reportIndex: null,
      fileName: 'settlement-plan.pdf',
      mediaType: 'application/pdf',
      size: 48213,
      sha256: '9f2c4b…',
      uploadedBy: { organisation: { id: '6f1c1e4e-8d0a-4d3c-9a55-1d5a4c0e2b11', name: 'Kerkgroep De Brug' }, person: { id: '9c4e2a10-3b5d-4f6e-8a7b-1c2d3e4f5a6b', name: 'M. de Vries' } },
      createdAt: '2027-01-12T10:04:31.220Z',
    },
  });

const UploadForm = z.object({
  file: z.instanceof(File, { message: 'send the file in the field "file"' }).openapi({ type: 'string', format: 'binary', description: 'PDF, PNG, JPEG or plain text, at most 10 MiB; the type is read from its first bytes' }),
  gateId: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/).optional().openapi({ description: 'Attach to this step of the case (one your organisation acts on)' }),
  reportIndex: z
    .string()
    .regex(/^\d{1,4}$/, 'a report index (0, 1, 2…)')
    .transform(Number)
    .optional()
    .openapi({ type: 'integer', description: 'With `gateId` of a check-in step: attach to this report (its index)' }),
});

const Params = z.object({ id: z.uuid() });
const sizeLimit = { status: 413, title: 'File too large', detail: `A file may hold at most ${MAX_FILE_BYTES} bytes (10 MiB).` };

export const uploadRoute = createRoute({
  method: 'post',
  path: '/v1/cases/{id}/attachments',
  tags: ['cases'],
  summary: 'Attach a file to the case, to one of its steps or to a check-in report',
  middleware: [requireMultipart] as const,
  request: { params: Params, headers: IdempotencyHeader, body: { required: true, content: { 'multipart/form-data': { schema: UploadForm } } } },
  responses: {
    201: { description: 'Stored (the same answer again for a retry with the same Idempotency-Key: the file is stored once)', content: { 'application/json': { schema: AttachmentSchema } } },
    ...v1Errors('Invalid id or Idempotency-Key, no file (or an empty one), or a step or report the case does not have'),
    403: problemResponse('Your organisation does not act on this step, or does not write these check-in reports', { status: 403, title: 'Not your step', detail: 'Attach files to the case, or to a step your organisation acts on.' }),
    404: notVisible('case'),
    409: problemResponse(KEY_REUSED, { status: 409, title: 'Idempotency-Key reused', detail: 'This Idempotency-Key was used before with a different file. Use a new key for a new upload.' }),
    413: problemResponse('The file is larger than 10 MiB (or the whole body larger than 10 MiB and 64 KiB)', sizeLimit),
    415: problemResponse('The body is not multipart/form-data, or the file is not a PDF, PNG, JPEG or plain text file by its content', {
      status: 415,
      title: 'Unsupported file type',
      detail: 'Only PDF, PNG, JPEG and plain text files are taken; the type is read from the file itself.',
    }),
  },
});

export const listRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}/attachments',
  tags: ['cases'],
  summary: "The case's files your organisation may read (its own uploads, and by its part in the case), newest first; never their bytes",
  request: { params: Params },
  responses: {
    200: { description: 'What each file is and who uploaded it when', content: { 'application/json': { schema: z.object({ items: z.array(AttachmentSchema) }) } } },
    ...v1Errors('Invalid id'),
    404: notVisible('case'),
  },
});

export const downloadRoute = createRoute({
  method: 'get',
  path: '/v1/cases/{id}/attachments/{attachmentId}',
  tags: ['cases'],
  summary: "A file's bytes; every download is recorded for the case's coordinator (`GET /v1/cases/{id}/reads`)",
  request: { params: z.object({ id: z.uuid(), attachmentId: z.uuid() }) },
  responses: {
    200: {
      description: 'The file as uploaded, as an attachment (`Content-Disposition`) of its real type',
      content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary', description: 'Content-Type says its type: application/pdf, image/png, image/jpeg or text/plain' }) } },
    },
    ...v1Errors('Invalid id'),
    404: problemResponse('No such case visible to you, or no file with this id that your organisation may read in it', { status: 404, title: 'Attachment not found', detail: 'No attachment with this id is visible to you in this case.' }),
  },
});

export function attachmentRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<AuthEnv>({ defaultHook: validationHook });

  app.openapi(uploadRoute, async (c) => {
    const { id } = c.req.valid('param');
    const { file, gateId, reportIndex } = c.req.valid('form');
    const bytes = new Uint8Array(await file.arrayBuffer());
    const attachment = await uploadAttachment(deps, c.get('caller'), id, { fileName: file.name, bytes, gateId, reportIndex }, idempotencyKeyOf(c));
    c.header('Location', `/v1/cases/${id}/attachments/${attachment.id}`);
    return c.json(attachment, 201);
  });

  app.openapi(listRoute, async (c) => c.json({ items: await listAttachments(deps, c.get('caller'), c.req.valid('param').id) }, 200));

  app.openapi(downloadRoute, async (c) => {
    const { id, attachmentId } = c.req.valid('param');
    const { attachment, bytes } = await downloadAttachment(deps, c.get('caller'), id, attachmentId, 'api');
    return c.body(bodyOf(bytes), 200, downloadHeaders(attachment.mediaType, attachment.fileName, bytes.byteLength)) as never;
  });

  return app;
}
