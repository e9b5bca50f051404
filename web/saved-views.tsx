/**
 * Beside the filters of the case list and the board: "Download CSV" (the list as it is filtered,
 * usecases/export.ts) and the person's saved views — links back to a filtered list, their own and
 * those their organisation's coordinators shared — with a form to save the current one
 * (usecases/saved-views.ts). The downloads and the forms are routes of their own here.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Deps } from '../usecases/deps.js';
import type { Queryable } from '../infra/db.js';
import { attachmentHeaders } from '../usecases/csv.js';
import { BoardExportQuery, CaseExportQuery, exportBoard, exportCases, type CsvWords } from '../usecases/export.js';
import { ProblemError } from '../usecases/problem.js';
import { deleteView, listViews, NewSavedView, saveView, type SavedView, type ViewList } from '../usecases/saved-views.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { redirectWith } from './flash.js';
import { safeNext } from './guard.js';
import { localTitle, type Messages } from './i18n/index.js';
import { Form } from './layout.js';
import { listQuery, withQuery } from './list-controls.js';
import { Forbidden, NotFound } from './problems.js';

/** Dates a spreadsheet reads as dates in any language, `2027-01-31 13:00`, in the pages' time zone (web/dates.ts). */
const sheetDate = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Amsterdam', dateStyle: 'short', timeStyle: 'short' });

/** The CSV in the reader's language: the same headers, statuses and titles as the pages. */
export function csvWords(t: Messages): CsvWords {
  return {
    columns: t.csv.columns,
    fileNames: t.csv.fileNames,
    status: (code) => t.status[code] ?? code,
    onHold: (code) => t.onHold[code] ?? code,
    title: (title) => localTitle(t, title),
    gateKind: (kind) => t.gateKinds[kind] ?? kind,
    date: (iso) => sheetDate.format(new Date(iso)),
    member: (m) => [m.name, m.relation, m.birthYear !== undefined ? t.csv.born(m.birthYear) : undefined, m.age !== null ? t.csv.age(m.age) : undefined].filter(Boolean).join(', '),
  };
}

/** The list's address with these filters, in a stable order (a stored answer's jsonb keeps its own); never a page of it. */
const listPath = (list: ViewList, query: Record<string, string>) => withQuery(`/${list}`, Object.fromEntries(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), {});

function exportPath(list: ViewList, query: Record<string, string>, household: boolean): string {
  const { cursor: _cursor, ...filters } = query;
  const search = new URLSearchParams({ ...filters, ...(household ? { include: 'household' } : {}) }).toString();
  return `/${list}/export.csv${search ? `?${search}` : ''}`;
}

/** "Download CSV", the saved views, and "Save this view", for a list filtered by `query`. */
export async function ListTools(props: { c: WebContext; sql: Queryable; list: ViewList; query: Record<string, string> }) {
  const { c, list, query } = props;
  const t = c.get('t');
  const views = await listViews(props.sql, personOf(c), list);
  const { cursor: _cursor, ...filters } = query;
  const here = listPath(list, filters);
  return (
    <>
      <p class="downloads">
        <a href={exportPath(list, filters, false)} download>{t.csv.download}</a>
        {' · '}
        <a href={exportPath(list, filters, true)} download aria-describedby={`${list}-household-hint`}>{t.csv.downloadHousehold}</a>
        <br />
        <span class="hint" id={`${list}-household-hint`}>{t.csv.householdHint}</span>
      </p>
      <SavedViews c={c} list={list} views={views} here={here} filters={filters} />
    </>
  );
}

function SavedViews(props: { c: WebContext; list: ViewList; views: SavedView[]; here: string; filters: Record<string, string> }) {
  const { c, list, views, here, filters } = props;
  const t = c.get('t');
  return (
    <section class="saved-views" aria-labelledby={`${list}-views-title`}>
      <h2 id={`${list}-views-title`}>{t.views.title}</h2>
      {views.length === 0 ? (
        <p>{t.views.none}</p>
      ) : (
        <ul>
          {views.map((v) => (
            <li>
              <a href={listPath(list, v.query)}>{v.name}</a>
              {v.shared && <span class="muted">{` (${v.mine ? t.views.shared : t.views.sharedBy(v.owner.name)})`}</span>}
              {v.mine && (
                <Form c={c} action={`/views/${v.id}/delete`} class="inline">
                  <input type="hidden" name="back" value={here} />
                  <button type="submit" class="secondary" aria-label={t.views.deleteNamed(v.name)}>{t.views.delete}</button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>{t.views.save}</summary>
        <Form c={c} action="/views">
          <input type="hidden" name="list" value={list} />
          <input type="hidden" name="query" value={new URLSearchParams(filters).toString()} />
          <label for={`${list}-view-name`}>{t.views.name}</label>
          <input type="text" id={`${list}-view-name`} name="name" required maxlength={80} />
          {personOf(c).role === 'coordinator' && (
            <label class="inline">
              <input type="checkbox" name="shared" value="true" /> {t.views.share}
            </label>
          )}
          <button type="submit" class="primary">{t.views.saveButton}</button>
        </Form>
      </details>
    </section>
  );
}

/** The downloads and the saved views' forms, as the signed-in person. */
export function savedViewPages(deps: Deps) {
  const { sql } = deps;
  const app = new Hono<WebEnv>();

  /**
   * A download is asked for from our own pages. Another site could still send a signed-in person
   * here by a link (the session cookie is SameSite=Lax), recording household reads in their name
   * that they never meant: a browser's Sec-Fetch-Site says so, and it is refused.
   */
  const fromElsewhere = (c: WebContext) => c.req.header('sec-fetch-site') === 'cross-site';

  app.get('/cases/export.csv', async (c) => {
    if (fromElsewhere(c)) return Forbidden(c);
    const file = await exportCases(sql, personOf(c), CaseExportQuery.parse(listQuery(c.req.query())), { words: csvWords(c.get('t')), door: 'web' });
    return c.body(file.body, 200, attachmentHeaders(file.fileName));
  });

  app.get('/board/export.csv', async (c) => {
    const person = personOf(c);
    if (person.role !== 'coordinator' || fromElsewhere(c)) return Forbidden(c);
    const file = await exportBoard(sql, person, BoardExportQuery.parse(listQuery(c.req.query())), { words: csvWords(c.get('t')), door: 'web' });
    return c.body(file.body, 200, attachmentHeaders(file.fileName));
  });

  app.post('/views', async (c) => {
    const t = c.get('t');
    // Parsed already by the form check (web/guard.ts); Hono keeps the parsed body.
    const form = await c.req.parseBody();
    const list: ViewList = form.list === 'board' ? 'board' : 'cases';
    const query = Object.fromEntries(new URLSearchParams(typeof form.query === 'string' ? form.query : ''));
    const input = NewSavedView.safeParse({ name: form.name, list, query, shared: form.shared === 'true' });
    const key = typeof form._key === 'string' && /^[\w-]{8,64}$/.test(form._key) ? form._key : undefined;
    try {
      if (!input.success) throw new ProblemError(400, 'Invalid input');
      const { body: view } = await saveView(sql, personOf(c), input.data, key);
      return redirectWith(c, listPath(list, view.query), { kind: 'ok', text: t.views.saved(view.name) });
    } catch (error) {
      // A refusal the person can act on comes back as a message on the list; the rest as an error page.
      const text = error instanceof ProblemError ? t.views.refused[error.status] : undefined;
      if (!text) throw error;
      // Filters the list would refuse are not sent back to it: that would be an error page.
      const back = error instanceof ProblemError && error.extensions.errors ? `/${list}?clear=1` : listPath(list, query);
      return redirectWith(c, back, { kind: 'error', text });
    }
  });

  app.post('/views/:id/delete', async (c) => {
    const t = c.get('t');
    const id = c.req.param('id');
    if (!z.uuid().safeParse(id).success) return NotFound(c);
    const form = await c.req.parseBody();
    const back = safeNext(typeof form.back === 'string' ? form.back : undefined);
    try {
      await deleteView(sql, personOf(c), id);
      return redirectWith(c, back, { kind: 'ok', text: t.views.deleted });
    } catch (error) {
      // Pressed twice, or a colleague's view: said on the list, not an error page.
      if (error instanceof ProblemError && (error.status === 404 || error.status === 403)) return redirectWith(c, back, { kind: 'error', text: t.views.refused[error.status]! });
      throw error;
    }
  });

  return app;
}
