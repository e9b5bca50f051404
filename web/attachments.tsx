/**
 * "Documents" on the case page: the agreements as PDFs, the files the reader may see (with a
 * download link each), and a form to add one — multipart, without JavaScript, carrying the form
 * token and its own key like every form (a second press stores the file once). The rules are the
 * API's, in usecases/attachments.ts and usecases/agreement-pdf.ts.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { z } from 'zod';
import type { Queryable } from '../infra/db.js';
import { caseAgreementPdf, pastAgreements } from '../usecases/agreement-pdf.js';
import { attachablePlaces, caseSteps } from '../usecases/attachment-access.js';
import { downloadAttachment, uploadAttachment, visibleAttachments } from '../usecases/attachments.js';
import type { Deps } from '../usecases/deps.js';
import { bodyOf, downloadHeaders } from '../usecases/file-types.js';
import { ProblemError } from '../usecases/problem.js';
import type { CasePageData } from './case-data.js';
import { formatDate } from './dates.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { redirectWith } from './flash.js';
import { localTitle, type Messages } from './i18n/index.js';
import { Table } from './layout.js';
import { NotFound } from './problems.js';

/** The upload form's address: the one page path whose body may be larger than a form's 256 KiB (web/routes.ts). */
export const UPLOAD_FORM_PATH = /^\/cases\/[^/]+\/attachments\/?$/;

export const casePdfPath = (caseId: string, gateId: string) => `/cases/${caseId}/gates/${encodeURIComponent(gateId)}/document.pdf`;

interface AgreementDetail {
  version: number;
  document: { title: string; contentHash: string } | null;
  executedAt: string | null;
}

/** Where a file belongs, in words: the case, a step, or one report of a step. */
const placeName = (t: Messages, d: CasePageData, gateId: string | null, reportIndex: number | null) =>
  gateId === null ? t.documents.onCase : reportIndex === null ? localTitle(t, d.gateTitles.get(gateId) ?? gateId) : t.documents.onReport(localTitle(t, d.gateTitles.get(gateId) ?? gateId), reportIndex + 1);

export async function DocumentsSection({ c, d, sql }: { c: WebContext; d: CasePageData; sql: Queryable }) {
  const t = c.get('t');
  const person = personOf(c);
  const steps = await caseSteps(sql, d.id, d.coordinatorOrg, d.state);
  const files = await visibleAttachments(sql, person, d.id, steps);
  // The agreements whose text the reader may read: the current stage's (the page read them by the
  // same rules), and the executed ones of stages the case has left.
  const current = (d.state?.gates ?? []).filter((g) => g.kind === 'agreement').map((g) => ({ gateId: g.id, a: g.detail as unknown as AgreementDetail }));
  const past = await pastAgreements(sql, person, { id: d.id, coordinator: d.coordinatorOrg }, new Set(current.map((g) => g.gateId)));
  const agreements = [
    ...current.flatMap(({ gateId, a }) => (a.document && d.documents.has(a.document.contentHash) ? [{ gateId, title: a.document.title, version: a.version, executedAt: a.executedAt }] : [])),
    ...past.map(({ gateId, title, version, executedAt }) => ({ gateId, title, version, executedAt })),
  ];
  const places = attachablePlaces(person, steps);
  return (
    <section aria-labelledby="documents">
      <h2 id="documents">{t.documents.title}</h2>
      <p class="hint">{t.documents.intro}</p>
      {agreements.length > 0 && (
        <>
          <h3>{t.documents.agreements}</h3>
          <ul>
            {agreements.map(({ gateId, title, version, executedAt }) => (
              <li>
                {`${t.documents.agreement(title, version)} — ${executedAt ? t.documents.executed(formatDate(t, executedAt)) : t.documents.notExecuted} — `}
                <a href={casePdfPath(d.id, gateId)}>{t.documents.downloadPdf}</a>
              </li>
            ))}
          </ul>
        </>
      )}
      {files.length === 0 ? (
        <p>{t.documents.none}</p>
      ) : (
        <Table labelledBy="documents" headers={[t.documents.name, t.documents.place, t.documents.who, t.documents.when]}>
          {files.map((f) => (
            <tr>
              <td data-label={t.documents.name}>
                <a href={`/cases/${d.id}/attachments/${f.id}`} download>
                  {f.fileName}
                </a>
                <br />
                <span class="muted">{`${t.documents.types[f.mediaType] ?? f.mediaType} · ${t.documents.size(f.size)}`}</span>
              </td>
              <td data-label={t.documents.place}>{placeName(t, d, f.gateId, f.reportIndex)}</td>
              <td data-label={t.documents.who}>{f.uploadedBy.person.name ? `${f.uploadedBy.person.name} (${f.uploadedBy.organisation.name})` : f.uploadedBy.organisation.name}</td>
              <td data-label={t.documents.when}>
                <time datetime={f.createdAt}>{formatDate(t, f.createdAt, true)}</time>
              </td>
            </tr>
          ))}
        </Table>
      )}
      {/* An erased case takes no new files: its personal data is gone for good (usecases/erasure.ts). */}
      {!d.erasure && (
      <details>
        <summary>{t.documents.uploadTitle}</summary>
        <form method="post" action={`/cases/${d.id}/attachments`} enctype="multipart/form-data" class="action">
          <input type="hidden" name="_csrf" value={c.get('csrf')} />
          <input type="hidden" name="_key" value={randomUUID()} />
          <p class="hint" id="attach-hint">{t.documents.uploadHint}</p>
          <label for="attach-file">{t.documents.file}</label>
          <input id="attach-file" name="file" type="file" required aria-describedby="attach-hint" accept=".pdf,.png,.jpg,.jpeg,.txt,application/pdf,image/png,image/jpeg,text/plain" />
          <label for="attach-place">{t.documents.attachTo}</label>
          <select id="attach-place" name="place">
            <option value="">{t.documents.onCase}</option>
            {places.map((p) => (
              <option value={p.reportIndex === undefined ? p.gateId : `${p.gateId}#${p.reportIndex}`}>{placeName(t, d, p.gateId, p.reportIndex ?? null)}</option>
            ))}
          </select>
          <button class="primary" type="submit">{t.documents.upload}</button>
        </form>
      </details>
      )}
    </section>
  );
}

const Place = z.union([z.literal(''), z.string().regex(/^([a-z][a-z0-9-]{0,39})(#\d{1,4})?$/)]);

/** The upload, a file's download and an agreement's PDF, as the signed-in person. */
export function attachmentPages(deps: Deps) {
  const app = new Hono<WebEnv>();
  const isId = (id: string) => z.uuid().safeParse(id).success;

  app.post('/cases/:id/attachments', async (c) => {
    const t = c.get('t');
    const id = c.req.param('id');
    if (!isId(id)) return NotFound(c);
    // Parsed already by the form check (web/guard.ts); Hono keeps the parsed body.
    const body = await c.req.parseBody();
    const place = Place.safeParse(body.place ?? '');
    const back = `/cases/${id}#documents`;
    const file = body.file;
    if (!place.success || typeof body._key !== 'string') return redirectWith(c, back, { kind: 'error', text: t.documents.refused[400]! });
    if (!(file instanceof File) || file.size === 0) return redirectWith(c, back, { kind: 'error', text: t.documents.refused[400]! });
    const [gateId, report] = place.data ? place.data.split('#') : [];
    try {
      const stored = await uploadAttachment(deps, personOf(c), id, { fileName: file.name, bytes: new Uint8Array(await file.arrayBuffer()), gateId: gateId || undefined, reportIndex: report === undefined ? undefined : Number(report) }, body._key);
      return redirectWith(c, back, { kind: 'ok', text: t.documents.uploaded(stored.fileName) });
    } catch (error) {
      // A refusal the person can act on comes back as a message on the case page; the rest as an error page.
      const text = error instanceof ProblemError ? t.documents.refused[error.status] : undefined;
      if (text) return redirectWith(c, back, { kind: 'error', text });
      throw error;
    }
  });

  app.get('/cases/:id/attachments/:attachmentId', async (c) => {
    const { id, attachmentId } = c.req.param();
    if (!isId(id) || !isId(attachmentId)) return NotFound(c);
    const { attachment, bytes } = await downloadAttachment(deps, personOf(c), id, attachmentId, 'web');
    return c.body(bodyOf(bytes), 200, downloadHeaders(attachment.mediaType, attachment.fileName, bytes.byteLength));
  });

  app.get('/cases/:id/gates/:gateId/document.pdf', async (c) => {
    const t = c.get('t');
    const { id, gateId } = c.req.param();
    if (!isId(id) || gateId.length > 40) return NotFound(c);
    const { fileName, bytes } = await caseAgreementPdf(deps, personOf(c), id, gateId, { words: t.agreementPdf, date: (iso) => formatDate(t, iso, true) });
    return c.body(bodyOf(bytes), 200, downloadHeaders('application/pdf', fileName, bytes.byteLength));
  });

  return app;
}
