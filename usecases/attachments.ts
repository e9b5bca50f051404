/**
 * Files attached to a case (a settlement plan, a financial pledge), to one of its steps, or to one
 * check-in report (receipts): upload, list, download. Who reads and who adds them is declared in
 * attachment-access.ts (`ATTACHMENT_ACCESS`).
 *
 * The type is judged by the file's first bytes, never by its name or declared type; at most
 * MAX_FILE_BYTES. The id derives from the uploader's Idempotency-Key (the form's `_key`), so a
 * retried upload is stored once. Every download is a read of personal data, recorded in
 * `personal_data_reads` in the same transaction, like a read of the household.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Queryable } from '../infra/db.js';
import { fileStoreFor, type FileStore } from '../infra/file-store.js';
import { caseSteps, checkPlace, mayReadAttachment, type CaseSteps } from './attachment-access.js';
import type { Caller } from './caller.js';
import type { Deps } from './deps.js';
import { MAX_FILE_BYTES, safeFileName, sniffMediaType, type MediaType } from './file-types.js';
import { invalidInput, ProblemError } from './problem.js';
import { readCaseState } from './read-case.js';
import { visibleCase } from './scope.js';
import { derivedId } from './texts.js';
import { erasureOf } from './erasure.js';

/** An attachment as listed: what it is, where it hangs, who uploaded it and when; never its bytes. */
export interface AttachmentView {
  id: string;
  caseId: string;
  /** The step it belongs to; null for the case's own documents. */
  gateId: string | null;
  /** The check-in report (its index on the step) it belongs to. */
  reportIndex: number | null;
  fileName: string;
  mediaType: MediaType;
  size: number;
  sha256: string;
  /** The person's name for readers of the same organisation and the case's coordinator, else null (as on the timeline). */
  uploadedBy: { organisation: { id: string; name: string }; person: { id: string; name: string | null } };
  createdAt: string;
}

type Row = Omit<AttachmentView, 'uploadedBy' | 'createdAt'> & { organisationId: string; organisationName: string; personId: string; personName: string; createdAt: Date };

const rowsOf = (sql: Queryable, caseId: string, id?: string) => sql<Row[]>`
  SELECT a.id, a.case_id AS "caseId", a.gate_id AS "gateId", a.report_index AS "reportIndex", a.file_name AS "fileName", a.media_type AS "mediaType",
         a.size, a.sha256, a.organisation_id AS "organisationId", o.name AS "organisationName", a.person_id AS "personId", p.name AS "personName", a.created_at AS "createdAt"
  FROM attachments a JOIN organisations o ON o.id = a.organisation_id JOIN people p ON p.id = a.person_id
  WHERE a.case_id = ${caseId} AND a.erased_at IS NULL ${id ? sql`AND a.id = ${id}` : sql``}
  ORDER BY a.created_at DESC, a.id`;

function viewOf(caller: Caller, coordinator: string | null, r: Row): AttachmentView {
  const seesName = r.organisationId === caller.organisationId || coordinator === caller.organisationId;
  return {
    id: r.id,
    caseId: r.caseId,
    gateId: r.gateId,
    reportIndex: r.reportIndex,
    fileName: r.fileName,
    mediaType: r.mediaType,
    size: r.size,
    sha256: r.sha256,
    uploadedBy: { organisation: { id: r.organisationId, name: r.organisationName }, person: { id: r.personId, name: seesName ? r.personName : null } },
    createdAt: r.createdAt.toISOString(),
  };
}

// Uploading.

export interface UploadInput {
  /** As the sender named it; cleaned before it is stored (file-types.ts). */
  fileName: string;
  bytes: Uint8Array;
  gateId?: string;
  reportIndex?: number;
}

export const missingFile = () => invalidInput('file', 'send one non-empty file in the field "file"');
export const fileTooLarge = () => new ProblemError(413, 'File too large', `A file may hold at most ${MAX_FILE_BYTES} bytes (10 MiB).`);
export const unsupportedFile = () => new ProblemError(415, 'Unsupported file type', 'Only PDF, PNG, JPEG and plain text files are taken; the type is read from the file itself.');
const keyReused = () => new ProblemError(409, 'Idempotency-Key reused', 'This Idempotency-Key was used before with a different file. Use a new key for a new upload.');

/** `POST /v1/cases/{id}/attachments` and the case page's upload form: stores the file once per key. */
export async function uploadAttachment(
  { sql, temporal }: Deps,
  caller: Caller,
  caseId: string,
  input: UploadInput,
  key: string | undefined,
  store: FileStore = fileStoreFor(),
): Promise<AttachmentView> {
  const { coordinator } = await visibleCase(sql, caller, caseId);
  // An erased case takes no new personal data (usecases/erasure.ts).
  if (await erasureOf(sql, caseId)) throw new ProblemError(409, 'Personal data erased', "This case's personal data was erased; it takes no new files.", { code: 'personal-data-erased', params: {} });
  if (input.bytes.byteLength === 0) throw missingFile();
  if (input.bytes.byteLength > MAX_FILE_BYTES) throw fileTooLarge();
  const mediaType = sniffMediaType(input.bytes);
  if (!mediaType) throw unsupportedFile();
  const { state } = await readCaseState(temporal, sql, caseId);
  checkPlace(caller, await caseSteps(sql, caseId, coordinator, state), input);
  const sha256 = createHash('sha256').update(input.bytes).digest('hex');
  // The same person and key, the same id: a retry finds the first upload instead of storing another.
  const id = derivedId(`attachment:${caller.personId}:${key ?? randomUUID()}`);
  const place = { gateId: input.gateId ?? null, reportIndex: input.reportIndex ?? null };
  await sql.begin(async (tx) => {
    const [inserted] = await tx<{ id: string }[]>`
      INSERT INTO attachments (id, case_id, gate_id, report_index, organisation_id, person_id, file_name, media_type, size, sha256)
      VALUES (${id}, ${caseId}, ${place.gateId}, ${place.reportIndex}, ${caller.organisationId}, ${caller.personId}, ${safeFileName(input.fileName, mediaType)}, ${mediaType}, ${input.bytes.byteLength}, ${sha256})
      ON CONFLICT (id) DO NOTHING
      RETURNING id`;
    if (inserted) return store.put(tx, id, input.bytes);
    const [first] = await tx<{ caseId: string; gateId: string | null; reportIndex: number | null; sha256: string }[]>`
      SELECT case_id AS "caseId", gate_id AS "gateId", report_index AS "reportIndex", sha256 FROM attachments WHERE id = ${id}`;
    if (!first || first.caseId !== caseId || first.gateId !== place.gateId || first.reportIndex !== place.reportIndex || first.sha256 !== sha256) throw keyReused();
  });
  const [row] = await rowsOf(sql, caseId, id);
  return viewOf(caller, coordinator, row!);
}

// Reading.

/** `GET /v1/cases/{id}/attachments`: what the caller may read, newest first. */
export async function listAttachments({ sql, temporal }: Deps, caller: Caller, caseId: string): Promise<AttachmentView[]> {
  const { coordinator } = await visibleCase(sql, caller, caseId);
  const rows = await rowsOf(sql, caseId);
  if (rows.length === 0) return [];
  const { state } = await readCaseState(temporal, sql, caseId);
  const steps = await caseSteps(sql, caseId, coordinator, state);
  return rows.filter((r) => mayReadAttachment(caller, steps, r)).map((r) => viewOf(caller, coordinator, r));
}

/** The same, for the case page: a reader just found to take part in the case, with its steps as the page read them. */
export async function visibleAttachments(sql: Queryable, caller: Caller, caseId: string, steps: CaseSteps): Promise<AttachmentView[]> {
  return (await rowsOf(sql, caseId)).filter((r) => mayReadAttachment(caller, steps, r)).map((r) => viewOf(caller, steps.coordinator, r));
}

export const attachmentNotFound = () => new ProblemError(404, 'Attachment not found', 'No attachment with this id is visible to you in this case.');

/** `GET /v1/cases/{id}/attachments/{attachmentId}` and the page's download link: the bytes, the read recorded. */
export async function downloadAttachment(
  { sql, temporal }: Deps,
  caller: Caller,
  caseId: string,
  attachmentId: string,
  door: 'api' | 'web',
  store: FileStore = fileStoreFor(),
): Promise<{ attachment: AttachmentView; bytes: Uint8Array }> {
  const { coordinator } = await visibleCase(sql, caller, caseId);
  const { state } = await readCaseState(temporal, sql, caseId);
  const steps = await caseSteps(sql, caseId, coordinator, state);
  return sql.begin(async (tx) => {
    const [row] = await rowsOf(tx, caseId, attachmentId);
    if (!row || !mayReadAttachment(caller, steps, row)) throw attachmentNotFound();
    const bytes = await store.get(tx, attachmentId);
    if (!bytes) throw attachmentNotFound();
    await tx`
      INSERT INTO personal_data_reads (case_id, person_id, organisation_id, level, fields, door, attachment_id)
      VALUES (${caseId}, ${caller.personId}, ${caller.organisationId}, 'document', ${['document']}, ${door}, ${attachmentId})`;
    return { attachment: viewOf(caller, coordinator, row), bytes };
  });
}
