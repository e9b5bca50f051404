/**
 * An agreement as a PDF: a case's agreement or a programme's MoU, its current version's words as
 * published, and who signed that version when — organisation, person, version, time — from the
 * timeline's signature events. Read by the same people as its text (agreement-texts.ts decides
 * while its step is open; `pastAgreement` once the case has moved on). A signed agreement names
 * the people who signed it: that is what signing means, and only its signatories and its
 * coordinator read it.
 *
 * The words around the text (headings, the table's columns) and the dates come from the door: the
 * API's in English, the pages' in the reader's language. The file is the same bytes for the same
 * version and signatures: its creation date is when the version was executed (or published).
 */
import PDFDocument from 'pdfkit';
import type { Queryable } from '../infra/db.js';
import { caseAgreementText, programmeAgreementText, type AgreementText } from './agreement-texts.js';
import type { Caller } from './caller.js';
import type { Deps } from './deps.js';
import { ProblemError } from './problem.js';
import { visibleCase } from './scope.js';

/** The words of the PDF around the agreement's own text. */
export interface PdfWords {
  version: (n: number) => string;
  executed: (date: string) => string;
  notExecuted: string;
  onlyUrl: (url: string) => string;
  contentHash: string;
  signatures: string;
  noSignatures: string;
  organisation: string;
  person: string;
  versionSigned: string;
  signedAt: string;
}

export const ENGLISH_PDF_WORDS: PdfWords = {
  version: (n) => `Version ${n}`,
  executed: (date) => `Executed on ${date}: every signatory signed this version.`,
  notExecuted: 'Not executed yet: not every signatory has signed this version.',
  onlyUrl: (url) => `The text of this version is published at ${url}`,
  contentHash: 'SHA-256 of the text',
  signatures: 'Signatures',
  noSignatures: 'Nobody has signed this version yet.',
  organisation: 'Organisation',
  person: 'Signed by',
  versionSigned: 'Version',
  signedAt: 'When',
};

/** A date in English for the API's PDFs: unambiguous, in UTC. */
export const englishDate = (iso: string) => `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso))} UTC`;

export interface PdfOptions {
  words: PdfWords;
  date: (iso: string) => string;
  /** Tests read the text without inflating it. */
  compress?: boolean;
}

interface Signature {
  organisationId: string | null;
  organisation: string;
  person: string;
  version: number;
  at: string;
}

type Events = { table: 'case_events'; caseId: string; gateId: string } | { table: 'programme_events'; programmeId: string };

/** What the timeline holds of `version`: its signatures, when it was published and with which text. */
async function versionEvents(sql: Queryable, of: Events, version: number): Promise<{ signatures: Signature[]; publishedAt: string | null; contentHash: string | null }> {
  const [sign, publish] = of.table === 'case_events' ? ['agreement_signed', 'agreement_published'] : ['mou_signed', 'mou_published'];
  const rows = await sql<{ kind: string; organisationId: string | null; organisation: string | null; person: string | null; contentHash: string | null; at: Date }[]>`
    SELECT e.kind, o.id AS "organisationId", o.name AS organisation, p.name AS person, e.data->>'contentHash' AS "contentHash", e.at
    FROM ${sql(of.table)} e
      LEFT JOIN people p ON p.id = (CASE WHEN e.actor ~ '^[0-9a-fA-F-]{36}$' THEN e.actor::uuid END)
      LEFT JOIN organisations o ON o.id = p.organisation_id
    WHERE ${of.table === 'case_events' ? sql`e.case_id = ${of.caseId} AND e.data->>'gateId' = ${of.gateId}` : sql`e.programme_id = ${of.programmeId}`}
      AND e.kind IN (${sign}, ${publish}) AND e.data->>'version' = ${String(version)}
    ORDER BY e.id`;
  const published = rows.filter((r) => r.kind === publish).at(-1);
  return {
    signatures: rows.filter((r) => r.kind === sign).map((r) => ({ organisationId: r.organisationId, organisation: r.organisation ?? '—', person: r.person ?? '—', version, at: r.at.toISOString() })),
    publishedAt: published?.at.toISOString() ?? null,
    contentHash: published?.contentHash ?? null,
  };
}

/**
 * An executed agreement of a stage the case has left (the case's state holds only the current
 * stage's steps), from what PostgreSQL kept: the executed version, its text and its signatures.
 * Every signatory signed that version, so those who signed it are its signatories: they and the
 * coordinator read it, other parties get 403. Undefined when the step was never executed.
 */
export async function pastAgreement(sql: Queryable, caller: Caller, c: { id: string; coordinator: string | null }, gateId: string): Promise<(AgreementText & { gateId: string }) | undefined> {
  const [executed] = await sql<{ version: number; at: Date }[]>`
    SELECT (data->>'version')::int AS version, at FROM case_events
    WHERE case_id = ${c.id} AND kind = 'agreement_executed' AND data->>'gateId' = ${gateId} ORDER BY id DESC LIMIT 1`;
  if (!executed) return undefined;
  const { signatures, contentHash } = await versionEvents(sql, { table: 'case_events', caseId: c.id, gateId }, executed.version);
  if (c.coordinator !== caller.organisationId && !signatures.some((s) => s.organisationId === caller.organisationId)) {
    throw new ProblemError(403, 'Not a signatory', 'Only the signatories of this agreement and the coordinator of the case read its text.');
  }
  const [doc] = contentHash
    ? await sql<{ title: string; url: string | null; body: string | null }[]>`
        SELECT title, url, body FROM agreement_documents WHERE case_id = ${c.id} AND content_hash = ${contentHash} ORDER BY created_at DESC LIMIT 1`
    : [];
  if (!doc || !contentHash) return undefined;
  return { gateId, version: executed.version, title: doc.title, url: doc.url, text: doc.body, contentHash, executedAt: executed.at.toISOString() };
}

/** The executed agreements of stages the case has left that the caller reads (signed them, or coordinates), for the case page. */
export async function pastAgreements(sql: Queryable, caller: Caller, c: { id: string; coordinator: string | null }, current: Set<string>): Promise<(AgreementText & { gateId: string })[]> {
  const gates = await sql<{ gateId: string }[]>`SELECT DISTINCT data->>'gateId' AS "gateId" FROM case_events WHERE case_id = ${c.id} AND kind = 'agreement_executed'`;
  const found: (AgreementText & { gateId: string })[] = [];
  for (const { gateId } of gates.filter((g) => !current.has(g.gateId))) {
    const text = await pastAgreement(sql, caller, c, gateId).catch((error: unknown) => {
      if (error instanceof ProblemError && error.status === 403) return undefined;
      throw error;
    });
    if (text) found.push(text);
  }
  return found;
}

function render(text: AgreementText, signatures: Signature[], publishedAt: string | null, o: PdfOptions): Promise<Buffer> {
  const stamp = new Date(text.executedAt ?? publishedAt ?? 0);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    compress: o.compress ?? true,
    info: { Title: text.title, Producer: 'SafeRoutes', Creator: 'SafeRoutes', CreationDate: stamp, ModDate: stamp },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(18).text(text.title);
  doc.font('Helvetica').fontSize(10).fillColor('#444').text(o.words.version(text.version)).text(`${o.words.contentHash}: ${text.contentHash}`);
  doc.moveDown().fillColor('#000').fontSize(11);
  if (text.text) doc.text(text.text, { align: 'left' });
  else if (text.url) doc.text(o.words.onlyUrl(text.url));
  doc.moveDown(2).font('Helvetica-Bold').fontSize(14).text(o.words.signatures);
  doc.font('Helvetica').fontSize(10).text(text.executedAt ? o.words.executed(o.date(text.executedAt)) : o.words.notExecuted).moveDown(0.5);
  if (signatures.length === 0) doc.text(o.words.noSignatures);
  else {
    doc.table({
      columnStyles: ['*', '*', 60, '*'],
      rowStyles: (i: number) => (i === 0 ? { backgroundColor: '#e8e8e8' } : undefined),
      data: [[o.words.organisation, o.words.person, o.words.versionSigned, o.words.signedAt], ...signatures.map((s) => [s.organisation, s.person, String(s.version), o.date(s.at)])],
    });
  }
  doc.end();
  return done;
}

/** A file name for the PDF: the title and version, without characters a file system or header would refuse. */
export const pdfFileName = (text: AgreementText) => `${text.title.replace(/[^\p{L}\p{N} ._-]+/gu, '').trim().slice(0, 100) || 'agreement'} v${text.version}.pdf`;

/** `GET /v1/cases/{id}/gates/{gateId}/document.pdf` and the case page: the agreement as a PDF. */
export async function caseAgreementPdf(deps: Deps, caller: Caller, caseId: string, gateId: string, o: PdfOptions): Promise<{ fileName: string; bytes: Buffer }> {
  const text = await caseAgreementText(deps, caller, caseId, gateId).catch(async (error: unknown) => {
    // Its step is gone from the state once the case moved on: an executed agreement is still read.
    if (!(error instanceof ProblemError && error.title === 'Agreement not found')) throw error;
    return (await pastAgreement(deps.sql, caller, { id: caseId, ...(await visibleCase(deps.sql, caller, caseId)) }, gateId)) ?? Promise.reject(error);
  });
  const { signatures, publishedAt } = await versionEvents(deps.sql, { table: 'case_events', caseId, gateId }, text.version);
  return { fileName: pdfFileName(text), bytes: await render(text, signatures, publishedAt, o) };
}

/** `GET /v1/programmes/{id}/agreement.pdf` and the programme page: the MoU as a PDF. */
export async function programmeAgreementPdf(deps: Deps, caller: Caller, programmeId: string, o: PdfOptions): Promise<{ fileName: string; bytes: Buffer }> {
  const text = await programmeAgreementText(deps, caller, programmeId);
  const { signatures, publishedAt } = await versionEvents(deps.sql, { table: 'programme_events', programmeId }, text.version);
  return { fileName: pdfFileName(text), bytes: await render(text, signatures, publishedAt, o) };
}
