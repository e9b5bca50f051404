/**
 * Departure batches on the pages (usecases/departure-batches.ts), without JavaScript: a programme's
 * batches and the form to plan one; a batch's page with its cases (state and result), the cases
 * ready to travel to tick and add, a button per case to take it out, and the departure, arrival and
 * cancellation each through a confirm page. Every form carries its key, so a second press is the
 * same request; bad input comes back with an error summary (400), a refusal with why (409).
 * `DepartureBatchLine` is the case page's line for the case's parties.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { Queryable } from '../infra/db.js';
import type { DoorDeps } from '../usecases/deps.js';
import {
  actOnBatch,
  addCases,
  BATCH_ACTIONS,
  caseDepartureBatch,
  createBatch,
  listBatches,
  NewDepartureBatch,
  readBatch,
  readyCases,
  removeCase,
  type BatchAction,
  type BatchDetail,
} from '../usecases/departure-batches.js';
import { ProblemError } from '../usecases/problem.js';
import { visibleProgramme } from '../usecases/scope.js';
import { formatDate, localDay } from './dates.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { ErrorMessage, ErrorSummary, fieldAria, type FieldError } from './error-summary.js';
import { redirectWith, takeFlash, type Flash } from './flash.js';
import { localTitle, type Messages } from './i18n/index.js';
import { Form, Page, Table } from './layout.js';
import { NotFound } from './problems.js';

const isAction = (value: string): value is BatchAction => (BATCH_ACTIONS as readonly string[]).includes(value);
const why = (t: Messages, code: string | null | undefined) => (code ? (t.departureBatches.why[code] ?? t.departureBatches.whyOther) : t.departureBatches.whyOther);
/** A 409 in the reader's words: the refusal's, or (without a code) a form sent before with other fields. */
const refusedText = (t: Messages, error: ProblemError) => (typeof error.extensions.code === 'string' ? t.departureBatches.refused(why(t, error.extensions.code)) : t.formSentBefore);
/** A day (`YYYY-MM-DD`) in the reader's words. */
const day = (t: Messages, date: string) => formatDate(t, `${date}T12:00:00Z`);

/** The key a form was sent with (or, after an unknown outcome, the one to send again). */
function formKey(form: Record<string, unknown>): string | undefined {
  const sent = typeof form._retry === 'string' ? form._retry : form._key;
  return typeof sent === 'string' && /^[\w-]{8,64}$/.test(sent) ? `form:${sent}` : undefined;
}

/** The line on a case's page: the batch the case is in or travelled with; nothing when none. */
export async function DepartureBatchLine(props: { t: Messages; sql: Queryable; caseId: string }) {
  const batch = await caseDepartureBatch(props.sql, props.caseId);
  const line = batch && props.t.departureBatches.caseLine[batch.caseStatus];
  if (!batch || !line) return null;
  return <p class="notice">{line(batch.name, day(props.t, batch.departureDate))}</p>;
}

export function departureBatchPages(deps: DoorDeps) {
  const { sql } = deps;
  const app = new Hono<WebEnv>();

  /** The programme's batches and the form to plan one; after a refused form, its errors and what was typed. */
  async function showList(c: WebContext, programmeId: string, flash?: Flash, form?: { name: string; date: string; errors: FieldError[] }, status: 200 | 400 = 200) {
    const t = c.get('t');
    const tb = t.departureBatches;
    const person = personOf(c);
    const batches = await listBatches(sql, person, programmeId);
    const { name } = await visibleProgramme(sql, person, programmeId);
    const errorOf = (id: string) => form?.errors.find((e) => e.id === id)?.message;
    return c.html(
      <Page c={c} title={tb.title(name)} section="programmes" flash={flash}>
        {form && <ErrorSummary t={t} errors={form.errors} />}
        <h1 id="batches-title">{tb.title(name)}</h1>
        {batches.length === 0 ? (
          <p>{tb.none}</p>
        ) : (
          <Table labelledBy="batches-title" headers={[tb.name, tb.departure, tb.status, tb.cases]}>
            {batches.map((b) => (
              <tr>
                <td data-label={tb.name}>
                  <a href={`/departure-batches/${b.id}`}>{b.name}</a>
                </td>
                <td data-label={tb.departure}>{day(t, b.departureDate)}</td>
                <td data-label={tb.status}>{tb.statusLabel[b.status] ?? b.status}</td>
                <td data-label={tb.cases}>{tb.countsLine(b.counts.in, b.counts.travelled, b.counts.arrived, b.counts.dropped)}</td>
              </tr>
            ))}
          </Table>
        )}
        {person.role === 'coordinator' && (
          <section aria-labelledby="new-batch-title">
            <h2 id="new-batch-title">{tb.newTitle}</h2>
            <p class="hint">{tb.newHint}</p>
            <Form c={c} action={`/programmes/${programmeId}/departure-batches`}>
              <label for="batch-name">{tb.nameLabel}</label>
              <p class="hint" id="batch-name-hint">{tb.nameHint}</p>
              <ErrorMessage t={t} id="batch-name" message={errorOf('batch-name')} />
              <input id="batch-name" name="name" type="text" required maxlength={200} value={form?.name ?? ''} {...fieldAria('batch-name', errorOf('batch-name'), 'batch-name-hint')} />
              <label for="batch-date">{tb.dateLabel}</label>
              <ErrorMessage t={t} id="batch-date" message={errorOf('batch-date')} />
              <input id="batch-date" name="departureDate" type="date" required min={localDay(0)} value={form?.date ?? ''} {...fieldAria('batch-date', errorOf('batch-date'))} />
              <button type="submit" class="primary">{tb.create}</button>
            </Form>
          </section>
        )}
        <p>
          <a href={`/programmes/${programmeId}`}>{tb.back}</a>
        </p>
      </Page>,
      status,
    );
  }

  /** A batch's page; after a refused form, with its errors (400, 409). */
  async function showBatch(c: WebContext, batchId: string, flash?: Flash, errors: FieldError[] = [], status: 200 | 400 | 409 = 200) {
    const t = c.get('t');
    const tb = t.departureBatches;
    const person = personOf(c);
    const batch = await readBatch(sql, person, batchId);
    const planned = batch.status === 'planned';
    const changing = person.role === 'coordinator';
    const ready = planned && changing ? await readyCases(sql, person, batch.programmeId) : [];
    const stateOf = (m: BatchDetail['cases'][number]) =>
      m.departure === 'pending' || m.arrival === 'pending' ? tb.pendingState : m.status === 'dropped' ? `${tb.state.dropped}: ${why(t, m.code)}` : (tb.state[m.status] ?? m.status);
    const here = `/departure-batches/${batchId}`;
    const addError = errors.find((e) => e.id === 'batch-cases')?.message;
    return c.html(
      <Page c={c} title={batch.name} section="programmes" flash={flash}>
        {errors.length > 0 && <ErrorSummary t={t} errors={errors} />}
        <h1 id="batch-cases-title">{batch.name}</h1>
        <p>{tb.departs(day(t, batch.departureDate), tb.statusLabel[batch.status] ?? batch.status)}</p>
        {batch.pending > 0 && (
          <p role="status">
            {tb.pending(batch.pending)} <a href={here}>{tb.reload}</a>
          </p>
        )}
        {batch.cases.length === 0 ? (
          <p>{tb.noCases}</p>
        ) : (
          <Table labelledBy="batch-cases-title" headers={[tb.caseColumn, tb.stageColumn, tb.stateColumn, ...(planned && changing ? [''] : [])]}>
            {batch.cases.map((m) => (
              <tr>
                <td data-label={tb.caseColumn}>
                  <a href={`/cases/${m.caseId}`}>{m.reference}</a>
                </td>
                <td data-label={tb.stageColumn}>{m.stage ? localTitle(t, m.stage) : '—'}</td>
                <td data-label={tb.stateColumn}>{stateOf(m)}</td>
                {planned && changing && (
                  <td>
                    <Form c={c} action={`${here}/cases/${m.caseId}/remove`} class="inline">
                      <button type="submit" class="secondary" aria-label={tb.remove(m.reference)}>{tb.removeButton}</button>
                    </Form>
                  </td>
                )}
              </tr>
            ))}
          </Table>
        )}
        {planned && changing && (
          <section aria-labelledby="batch-add-title">
            <h2 id="batch-add-title">{tb.addTitle}</h2>
            <p class="hint">{tb.addHint}</p>
            {ready.length === 0 ? (
              <p id="batch-cases">{tb.noneReady}</p>
            ) : (
              <Form c={c} action={`${here}/cases`}>
                <fieldset id="batch-cases" aria-describedby={addError ? 'batch-cases-error' : undefined}>
                  <legend>{tb.addTitle}</legend>
                  <ErrorMessage t={t} id="batch-cases" message={addError} />
                  {ready.map((r) => (
                    <div>
                      <input type="checkbox" id={`ready-${r.caseId}`} name="caseId" value={r.caseId} />{' '}
                      <label for={`ready-${r.caseId}`} class="inline">
                        {r.reference} <span class="muted">{r.stage ? localTitle(t, r.stage) : ''}</span>
                      </label>
                    </div>
                  ))}
                </fieldset>
                <button type="submit" class="primary">{tb.addButton}</button>
              </Form>
            )}
          </section>
        )}
        {changing && (batch.status === 'planned' || batch.status === 'departed') && (
          <section aria-labelledby="batch-actions-title">
            <h2 id="batch-actions-title">{tb.actionsTitle}</h2>
            <p>
              {planned ? (
                <>
                  <a href={`${here}/confirm/departure`}>{tb.confirmDeparture}</a> · <a href={`${here}/confirm/cancel`}>{tb.cancel}</a>
                </>
              ) : (
                <a href={`${here}/confirm/arrival`}>{tb.confirmArrival}</a>
              )}
            </p>
          </section>
        )}
        <p>
          <a href={`/programmes/${batch.programmeId}/departure-batches`}>{tb.backToList}</a>
        </p>
      </Page>,
      status,
    );
  }

  /** The confirm step: what will happen to how many cases; "Yes" posts once per key. */
  async function showConfirm(c: WebContext, batchId: string, action: BatchAction, retryKey?: string, message?: string, status: 200 | 503 = 200) {
    const t = c.get('t');
    const tb = t.departureBatches;
    const batch = await readBatch(sql, personOf(c), batchId);
    // Not offered when it would be refused now (a colleague confirmed it meanwhile): the batch page says where it is.
    if (batch.status !== (action === 'arrival' ? 'departed' : 'planned')) {
      return redirectWith(c, `/departure-batches/${batchId}`, { kind: 'error', text: tb.refused(why(t, action === 'arrival' ? 'batch-not-departed' : 'batch-not-planned')) });
    }
    const moving = action === 'departure' ? batch.counts.in : action === 'arrival' ? batch.counts.travelled : 0;
    const here = `/departure-batches/${batchId}`;
    return c.html(
      <Page c={c} title={tb.confirmTitle[action]!} section="programmes">
        {message && (
          <div class="flash error" role="alert">
            {message}
          </div>
        )}
        <h1>{tb.confirmTitle[action]}</h1>
        <p>{`${batch.name} · ${day(t, batch.departureDate)}`}</p>
        <p>
          <strong>{tb.confirmWhat[action](moving)}</strong>
        </p>
        {action !== 'cancel' && batch.counts.dropped > 0 && <p>{tb.confirmDropped(batch.counts.dropped)}</p>}
        <p class="hint">{tb.cannotUndo}</p>
        <Form c={c} action={`${here}/confirm/${action}`}>
          {retryKey && <input type="hidden" name="_retry" value={retryKey} />}
          <button type="submit" class={action === 'cancel' ? 'danger' : 'primary'}>{tb.yes[action]}</button> <a href={here}>{tb.no}</a>
        </Form>
      </Page>,
      status,
    );
  }

  const uuid = (id: string | undefined) => (id && z.uuid().safeParse(id).success ? id : undefined);

  app.get('/programmes/:id/departure-batches', (c) => {
    const id = uuid(c.req.param('id'));
    return id ? showList(c, id, takeFlash(c)) : NotFound(c);
  });

  app.post('/programmes/:id/departure-batches', async (c) => {
    const id = uuid(c.req.param('id'));
    if (!id) return NotFound(c);
    const t = c.get('t');
    const form = await c.req.parseBody();
    const name = typeof form.name === 'string' ? form.name : '';
    const date = typeof form.departureDate === 'string' ? form.departureDate : '';
    const parsed = NewDepartureBatch.safeParse({ name, departureDate: date });
    const errors: FieldError[] = [];
    if (!parsed.success) {
      const fields = new Set(parsed.error.issues.map((i) => String(i.path[0])));
      if (fields.has('name')) errors.push({ id: 'batch-name', message: t.departureBatches.errors.name });
      if (fields.has('departureDate')) errors.push({ id: 'batch-date', message: t.departureBatches.errors.date });
    }
    if (parsed.success) {
      try {
        const { body } = await createBatch(deps, personOf(c), id, parsed.data, formKey(form));
        return redirectWith(c, `/departure-batches/${body.id}`, { kind: 'ok', text: t.departureBatches.created });
      } catch (error) {
        // This form's key was used for another request (sent back, changed and sent again): nothing more done.
        if (error instanceof ProblemError && error.status === 409) return redirectWith(c, `/programmes/${id}/departure-batches`, { kind: 'error', text: t.formSentBefore });
        if (!(error instanceof ProblemError && error.status === 400)) throw error;
        errors.push({ id: 'batch-date', message: t.departureBatches.errors.date });
      }
    }
    return showList(c, id, undefined, { name, date, errors }, 400);
  });

  app.get('/departure-batches/:id', (c) => {
    const id = uuid(c.req.param('id'));
    return id ? showBatch(c, id, takeFlash(c)) : NotFound(c);
  });

  app.post('/departure-batches/:id/cases', async (c) => {
    const id = uuid(c.req.param('id'));
    if (!id) return NotFound(c);
    const t = c.get('t');
    const form = await c.req.parseBody({ all: true });
    const caseIds = ([] as unknown[]).concat(form.caseId ?? []).filter((v): v is string => typeof v === 'string' && z.uuid().safeParse(v).success);
    if (caseIds.length === 0) return showBatch(c, id, undefined, [{ id: 'batch-cases', message: t.departureBatches.noneTicked }], 400);
    try {
      await addCases(deps, personOf(c), id, { caseIds }, formKey(form));
      return redirectWith(c, `/departure-batches/${id}`, { kind: 'ok', text: t.departureBatches.added(caseIds.length) });
    } catch (error) {
      if (!(error instanceof ProblemError && error.status === 409)) throw error;
      const cases = (error.extensions.cases as { code: string; params: { reference?: string }; caseId: string }[] | undefined) ?? [];
      const errors = cases.length
        ? cases.map((x) => ({ id: 'batch-cases', message: t.departureBatches.notReady(x.params.reference ?? x.caseId, why(t, x.code)) }))
        : [{ id: 'batch-cases', message: refusedText(t, error) }];
      return showBatch(c, id, undefined, errors, 409);
    }
  });

  app.post('/departure-batches/:id/cases/:caseId/remove', async (c) => {
    const id = uuid(c.req.param('id'));
    const caseId = uuid(c.req.param('caseId'));
    if (!id || !caseId) return NotFound(c);
    const t = c.get('t');
    const form = await c.req.parseBody();
    try {
      await removeCase(deps, personOf(c), id, caseId, formKey(form));
      return redirectWith(c, `/departure-batches/${id}`, { kind: 'ok', text: t.departureBatches.removed });
    } catch (error) {
      if (!(error instanceof ProblemError && error.status === 409)) throw error;
      return redirectWith(c, `/departure-batches/${id}`, { kind: 'error', text: refusedText(t, error) });
    }
  });

  app.get('/departure-batches/:id/confirm/:action', (c) => {
    const id = uuid(c.req.param('id'));
    const action = c.req.param('action');
    return id && isAction(action) ? showConfirm(c, id, action) : NotFound(c);
  });

  app.post('/departure-batches/:id/confirm/:action', async (c) => {
    const id = uuid(c.req.param('id'));
    const action = c.req.param('action');
    if (!id || !isAction(action)) return NotFound(c);
    const t = c.get('t');
    const form = await c.req.parseBody();
    const key = formKey(form);
    try {
      await actOnBatch(deps, personOf(c), id, action, key);
      return redirectWith(c, `/departure-batches/${id}`, { kind: 'ok', text: t.departureBatches.done[action]! });
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      if (error.status === 409) return redirectWith(c, `/departure-batches/${id}`, { kind: 'error', text: refusedText(t, error) });
      // Not known yet: the confirm page again with the same key, so pressing again does it once.
      if (error.status === 503) return showConfirm(c, id, action, key?.slice('form:'.length), t.errors.outcomeUnknown, 503);
      throw error;
    }
  });

  return app;
}
