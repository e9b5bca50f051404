/**
 * "Personal data" for admins (`/admin`): the retention the daily run applies, the closed cases that
 * still hold personal data with a link to erase each (a confirm page asking for the reason, GOV.UK
 * error summary when it is missing), the erasure records, and the read log as CSV for the
 * data-protection officer. The rules are the API's: usecases/erasure.ts, retention.ts,
 * read-log-export.ts — every one of them refuses anyone but an admin (403).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { attachmentHeaders } from '../usecases/csv.js';
import type { DoorDeps } from '../usecases/deps.js';
import { caseForErasure, closedCases, eraseCaseAsAdmin, listErasures, requireAdmin, type ErasureRecord } from '../usecases/erasure.js';
import { ProblemError } from '../usecases/problem.js';
import { exportReadLog, listReadLogExports, ReadLogExportQuery } from '../usecases/read-log-export.js';
import { retentionSetting } from '../usecases/retention.js';
import { formatDate, localDay } from './dates.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { ErrorMessage, ErrorSummary, fieldAria } from './error-summary.js';
import { redirectWith, takeFlash } from './flash.js';
import { localTitle, type Messages } from './i18n/index.js';
import { Form, Page, Table } from './layout.js';

export const ADMIN_PATH = '/admin';

/** Why a case's personal data was erased, in the reader's words (the retention run's reason is a setting, not a sentence). */
export const erasureReason = (t: Messages, e: Pick<ErasureRecord, 'actor' | 'reason' | 'retentionMonths'>) =>
  e.actor === 'system' && e.retentionMonths !== null ? t.erasure.retentionReason(e.retentionMonths) : e.reason;

/** The case page's notice on an erased case. */
export function ErasedNotice({ t, erasure }: { t: Messages; erasure: ErasureRecord | null }) {
  if (!erasure) return null;
  return (
    <p class="flash" role="status">
      {t.erasure.caseErased(formatDate(t, erasure.erasedAt), erasureReason(t, erasure))}
    </p>
  );
}

const status = (t: Messages, code: string) => t.erasure.statuses[code] ?? code;

async function adminPage(c: WebContext, { sql, temporal }: DoorDeps) {
  const t = c.get('t');
  const person = personOf(c);
  requireAdmin(person);
  const reference = (c.req.query('reference') ?? '').trim().slice(0, 100);
  const [retention, closed, records, exports, organisations] = await Promise.all([
    retentionSetting(temporal),
    closedCases(sql, person, { reference: reference || undefined }),
    listErasures(sql, person, { limit: 50 }),
    listReadLogExports(sql, person, 20),
    sql<{ id: string; name: string }[]>`SELECT id, name FROM organisations ORDER BY name`,
  ]);
  return c.html(
    <Page c={c} title={t.erasure.title} section="admin" flash={takeFlash(c)}>
      <h1>{t.erasure.title}</h1>
      <section aria-labelledby="retention-title">
        <h2 id="retention-title">{t.erasure.retentionTitle}</h2>
        <p>{t.erasure.retention(retention.months)}</p>
        <p class="hint">{t.erasure.retentionSource[retention.source]}</p>
        {retention.paused && <p>{t.erasure.retentionPaused}</p>}
      </section>
      <section aria-labelledby="closed-title">
        <h2 id="closed-title">{t.erasure.closedTitle}</h2>
        <p class="hint">{t.erasure.closedIntro}</p>
        <form method="get" action={ADMIN_PATH} class="action">
          <label for="reference">{t.erasure.search}</label>
          <input id="reference" name="reference" type="search" value={reference} autocomplete="off" />
          <button type="submit">{t.erasure.searchButton}</button>
        </form>
        {closed.length === 0 ? (
          <p>{t.erasure.noClosed}</p>
        ) : (
          <Table labelledBy="closed-title" headers={[t.erasure.columns.reference, t.erasure.columns.status, t.erasure.columns.pathway, t.erasure.columns.closed, '']}>
            {closed.map((k) => (
              <tr>
                <td data-label={t.erasure.columns.reference}>{k.reference}</td>
                <td data-label={t.erasure.columns.status}>{status(t, k.status)}</td>
                <td data-label={t.erasure.columns.pathway}>{k.pathwayName ? localTitle(t, k.pathwayName) : ''}</td>
                <td data-label={t.erasure.columns.closed}>{formatDate(t, k.closedAt)}</td>
                <td>
                  <a href={`${ADMIN_PATH}/cases/${k.id}/erase`} aria-label={t.erasure.eraseNamed(k.reference)}>
                    {t.erasure.erase}
                  </a>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      <section aria-labelledby="records-title">
        <h2 id="records-title">{t.erasure.recordsTitle}</h2>
        {records.length === 0 ? (
          <p>{t.erasure.noRecords}</p>
        ) : (
          <Table labelledBy="records-title" headers={[t.erasure.columns.erased, t.erasure.columns.reference, t.erasure.columns.by, t.erasure.columns.reason]}>
            {records.map((r) => (
              <tr>
                <td data-label={t.erasure.columns.erased}>{formatDate(t, r.erasedAt, true)}</td>
                <td data-label={t.erasure.columns.reference}>{r.reference}</td>
                <td data-label={t.erasure.columns.by}>{r.actor === 'system' ? t.erasure.system : (r.personName ?? '')}</td>
                <td data-label={t.erasure.columns.reason}>{erasureReason(t, r)}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      <section aria-labelledby="read-log-title">
        <h2 id="read-log-title">{t.erasure.readLogTitle}</h2>
        <p class="hint">{t.erasure.readLogIntro}</p>
        <form method="get" action={`${ADMIN_PATH}/personal-data-reads.csv`} class="action">
          <label for="from">{t.erasure.from}</label>
          <input id="from" name="from" type="date" required value={localDay(-30)} />
          <label for="to">{t.erasure.to}</label>
          <input id="to" name="to" type="date" required value={localDay(0)} />
          <label for="organisationId">{t.erasure.organisation}</label>
          <select id="organisationId" name="organisationId">
            <option value="">{t.erasure.anyOrganisation}</option>
            {organisations.map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
          <button class="primary" type="submit">{t.erasure.download}</button>
        </form>
        <h3 id="exports-title">{t.erasure.exportsTitle}</h3>
        {exports.length === 0 ? (
          <p>{t.erasure.noExports}</p>
        ) : (
          <Table labelledBy="exports-title" headers={[t.erasure.columns.when, t.erasure.columns.by, t.erasure.columns.period]}>
            {exports.map((x) => (
              <tr>
                <td data-label={t.erasure.columns.when}>{formatDate(t, x.at, true)}</td>
                <td data-label={t.erasure.columns.by}>{x.personName}</td>
                <td data-label={t.erasure.columns.period}>{`${formatDate(t, x.from)} – ${formatDate(t, new Date(new Date(x.to).getTime() - 1))}`}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </Page>,
  );
}

async function confirmPage(c: WebContext, { sql }: DoorDeps, id: string, form: { reason?: string; error?: string }, code: 200 | 400 | 409 = 200) {
  const t = c.get('t');
  const k = await caseForErasure(sql, personOf(c), id);
  const closed = ['completed', 'rejected', 'withdrawn'].includes(k.status);
  return c.html(
    <Page c={c} title={t.erasure.confirmTitle(k.reference)} section="admin">
      <ErrorSummary t={t} errors={form.error ? [{ id: 'reason', message: form.error }] : []} />
      <h1>{t.erasure.confirmTitle(k.reference)}</h1>
      {k.erasure ? (
        <p>
          {t.erasure.already(formatDate(t, k.erasure.erasedAt))} {erasureReason(t, k.erasure)}
        </p>
      ) : !closed ? (
        <p>{t.erasure.notClosed(status(t, k.status))}</p>
      ) : (
        <>
          <p>{t.erasure.confirmWhat}</p>
          <Form c={c} action={`${ADMIN_PATH}/cases/${id}/erase`}>
            <label for="reason">{t.erasure.reason}</label>
            <p class="hint" id="reason-hint">
              {t.erasure.reasonHint}
            </p>
            <ErrorMessage t={t} id="reason" message={form.error} />
            <textarea id="reason" name="reason" rows={3} maxlength={500} {...fieldAria('reason', form.error, 'reason-hint')}>
              {form.reason ?? ''}
            </textarea>
            <button class="danger" type="submit">
              {t.erasure.confirm}
            </button>{' '}
            <a href={ADMIN_PATH}>{t.erasure.cancel}</a>
          </Form>
        </>
      )}
      {(k.erasure || !closed) && (
        <p>
          <a href={ADMIN_PATH}>{t.erasure.cancel}</a>
        </p>
      )}
    </Page>,
    code,
  );
}

export function erasurePages(deps: DoorDeps) {
  const { sql } = deps;
  const app = new Hono<WebEnv>();

  app.get(ADMIN_PATH, (c) => adminPage(c, deps));

  app.get(`${ADMIN_PATH}/cases/:id/erase`, (c) => confirmPage(c, deps, z.uuid().parse(c.req.param('id')), {}));

  app.post(`${ADMIN_PATH}/cases/:id/erase`, async (c) => {
    const id = z.uuid().parse(c.req.param('id'));
    const t = c.get('t');
    const form = await c.req.parseBody();
    const reason = typeof form.reason === 'string' ? form.reason.trim() : '';
    if (reason.length === 0 || reason.length > 500) return confirmPage(c, deps, id, { reason, error: t.erasure.reasonMissing }, 400);
    try {
      const { record } = await eraseCaseAsAdmin(sql, personOf(c), id, reason);
      return redirectWith(c, ADMIN_PATH, { kind: 'ok', text: t.erasure.erased(record.reference) });
    } catch (error) {
      // Reopened meanwhile, or not closed at all: the page says why.
      if (error instanceof ProblemError && error.status === 409) return confirmPage(c, deps, id, { reason }, 409);
      throw error;
    }
  });

  app.get(`${ADMIN_PATH}/personal-data-reads.csv`, async (c) => {
    requireAdmin(personOf(c));
    const { organisationId, caseId, ...rest } = c.req.query();
    const query = ReadLogExportQuery.safeParse({ ...rest, ...(organisationId ? { organisationId } : {}), ...(caseId ? { caseId } : {}) });
    const bad = () => redirectWith(c, `${ADMIN_PATH}#read-log-title`, { kind: 'error', text: c.get('t').erasure.badPeriod });
    if (!query.success) return bad();
    try {
      const file = await exportReadLog(sql, personOf(c), query.data, 'web');
      return c.body(file.body, 200, attachmentHeaders(file.fileName));
    } catch (error) {
      if (error instanceof ProblemError && error.status === 400) return bad();
      throw error;
    }
  });

  return app;
}
