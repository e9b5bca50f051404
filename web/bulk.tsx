/**
 * Bulk actions on the pages (usecases/bulk-actions.ts), without JavaScript: on the case list a
 * coordinator ticks cases (each checkbox belongs to the bulk form below the list by its `form`
 * attribute) or takes every case the filters show, and chooses an action; a confirm page says how
 * many cases and what will happen, and asks for what the action needs (a date, an organisation, a
 * reason); "Yes" starts it in the background, once per form key, and leads to its result page
 * (web/bulk-results.tsx).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { chosenCases, NewBulkAction, startBulkAction, type ChosenCase, type Selection } from '../usecases/bulk-actions.js';
import type { DoorDeps } from '../usecases/deps.js';
import { ProblemError } from '../usecases/problem.js';
import { BULK_ACTIONS, type BulkActionType } from '../workflows/contract.js';
import { endOfLocalDay, localDay } from './dates.js';
import { personOf, type WebContext, type WebEnv } from './env.js';
import { ErrorMessage, ErrorSummary, fieldAria, type FieldError } from './error-summary.js';
import { redirectWith } from './flash.js';
import type { Messages } from './i18n/index.js';
import { Form, Page } from './layout.js';
import { withQuery } from './list-controls.js';
import { Forbidden, NotFound } from './problems.js';
import { bulkResultPages } from './bulk-results.js';

const FORM_ID = 'bulk-form';
const isAction = (value: unknown): value is BulkActionType => typeof value === 'string' && (BULK_ACTIONS as readonly string[]).includes(value);

/** The checkbox of one row of the case list: part of the bulk form below the list. */
export function BulkSelect(props: { t: Messages; caseId: string; reference: string }) {
  return (
    <>
      <input type="checkbox" name="caseId" value={props.caseId} form={FORM_ID} aria-label={props.t.bulk.selectCase(props.reference)} />{' '}
    </>
  );
}

/** Below the case list, for coordinators: an action, for the ticked cases or for every case the filters show. */
export function BulkForm(props: { t: Messages; query: Record<string, string> }) {
  const { t } = props;
  const { cursor: _cursor, ...filters } = props.query;
  return (
    <form method="get" action="/bulk-actions/new" id={FORM_ID} class="action" aria-labelledby="bulk-title">
      <h2 id="bulk-title">{t.bulk.title}</h2>
      <p class="hint">{t.bulk.intro}</p>
      <input type="hidden" name="filter" value={new URLSearchParams(filters).toString()} />
      <label for="bulk-action">{t.bulk.action}</label>
      <select id="bulk-action" name="action">
        {BULK_ACTIONS.map((a) => (
          <option value={a}>{t.bulk.actions[a]}</option>
        ))}
      </select>
      <div>
        <button type="submit" class="secondary" name="scope" value="selected">{t.bulk.withSelected}</button>{' '}
        <button type="submit" class="secondary" name="scope" value="filter">{t.bulk.withFilter}</button>
      </div>
      <p>
        <a href="/bulk-actions">{t.bulk.earlier}</a>
      </p>
    </form>
  );
}

/** What the confirm page asks, as the form sends it; `selection` from the list's form. */
interface Asked {
  action: BulkActionType;
  scope: 'selected' | 'filter';
  caseIds: string[];
  filter: string;
}

const selectionOf = (a: Asked): Selection => (a.scope === 'selected' ? { caseIds: a.caseIds } : { filter: Object.fromEntries(new URLSearchParams(a.filter)) });
const listBack = (a: Asked) => withQuery('/cases', Object.fromEntries(new URLSearchParams(a.filter)), {});

/** The organisations a step may be given to, by kind: never a coordinating one. */
async function organisationsByKind(deps: DoorDeps): Promise<[string, { id: string; name: string }[]][]> {
  const orgs = await deps.sql<{ id: string; name: string; kind: string }[]>`SELECT id, name, kind FROM organisations WHERE kind <> 'coordinator' ORDER BY kind, name`;
  const byKind = new Map<string, { id: string; name: string }[]>();
  for (const o of orgs) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), { id: o.id, name: o.name }]);
  return [...byKind];
}

const SHOWN_REFERENCES = 12;

/** The confirm step: how many cases, which, what happens, and what the action needs. */
async function ConfirmBulk(props: { c: WebContext; deps: DoorDeps; asked: Asked; cases: ChosenCase[]; fields?: Record<string, string>; errors?: FieldError[]; message?: string; formKey?: string }) {
  const { c, asked, cases } = props;
  const t = c.get('t');
  const fields = props.fields ?? {};
  const n = cases.length;
  const others = cases.filter((x) => !x.coordinated).length;
  const errorOf = (name: string) => props.errors?.find((e) => e.id === `bulk-${name}`)?.message;
  const orgs = asked.action === 'reassign' ? await organisationsByKind(props.deps) : [];
  return (
    <Page c={c} title={t.bulk.confirmTitle}>
      {props.errors?.length ? <ErrorSummary t={t} errors={props.errors} intro={props.message} /> : props.message && <div class="flash error" role="alert">{props.message}</div>}
      <h1>{t.bulk.confirmTitle}</h1>
      <p>
        <strong>{t.bulk.what[asked.action](n)}</strong>
      </p>
      {(asked.action === 'nudge' || asked.action === 'extend' || asked.action === 'reassign') && <p>{t.bulk.stepNote}</p>}
      {others > 0 && <p>{t.bulk.notCoordinated(others)}</p>}
      <h2>{t.bulk.casesHeading(n)}</h2>
      <p>
        {cases.slice(0, SHOWN_REFERENCES).map((x) => x.reference).join(', ')}
        {n > SHOWN_REFERENCES && ` ${t.bulk.andMore(n - SHOWN_REFERENCES)}`}
      </p>
      <p class="hint">{t.confirm.nothingYet}</p>
      <Form c={c} action="/bulk-actions">
        {props.formKey && <input type="hidden" name="_retry" value={props.formKey} />}
        <input type="hidden" name="action" value={asked.action} />
        <input type="hidden" name="scope" value={asked.scope} />
        <input type="hidden" name="filter" value={asked.filter} />
        {asked.scope === 'selected' && asked.caseIds.map((id) => <input type="hidden" name="caseId" value={id} />)}
        {asked.action === 'extend' && (
          <>
            <label for="bulk-dueAt">{t.coordinator.newDue}</label>
            <ErrorMessage t={t} id="bulk-dueAt" message={errorOf('dueAt')} />
            <input id="bulk-dueAt" name="dueAt" type="date" required min={localDay(1)} value={fields.dueAt ?? localDay(14)} {...fieldAria('bulk-dueAt', errorOf('dueAt'))} />
          </>
        )}
        {asked.action === 'reassign' && (
          <>
            <label for="bulk-organisationId">{t.coordinator.organisation}</label>
            <p class="hint">{t.bulk.sameKind}</p>
            <select id="bulk-organisationId" name="organisationId" required>
              {orgs.map(([kind, list]) => (
                <optgroup label={t.organisationKinds[kind] ?? kind}>
                  {list.map((o) => (
                    <option value={o.id} selected={fields.organisationId === o.id}>{o.name}</option>
                  ))}
                </optgroup>
              ))}
            </select>
          </>
        )}
        {(asked.action === 'extend' || asked.action === 'reassign' || asked.action === 'hold') && (
          <>
            <label for="bulk-reason">{t.bulk.reason}</label>
            <p class="hint">{t.bulk.reasonHint}</p>
            <ErrorMessage t={t} id="bulk-reason" message={errorOf('reason')} />
            <textarea id="bulk-reason" name="reason" required maxlength={2000} {...fieldAria('bulk-reason', errorOf('reason'))}>
              {fields.reason}
            </textarea>
          </>
        )}
        <button type="submit" class={asked.action === 'hold' ? 'danger' : 'primary'}>{t.bulk.yes(n)}</button> <a href={listBack(asked)}>{t.confirm.cancel}</a>
      </Form>
    </Page>
  );
}

/** What the list's form (GET) or the confirm page's form (POST) asks for; undefined when it cannot be read. */
function askedOf(values: { action: unknown; scope: unknown; caseIds: unknown[]; filter: unknown }): Asked | undefined {
  const caseIds = values.caseIds.filter((v): v is string => typeof v === 'string');
  if (!isAction(values.action) || (values.scope !== 'selected' && values.scope !== 'filter') || caseIds.some((id) => !z.uuid().safeParse(id).success)) return undefined;
  return { action: values.action, scope: values.scope, caseIds, filter: typeof values.filter === 'string' ? values.filter : '' };
}

export function bulkPages(deps: DoorDeps) {
  const { sql } = deps;
  const app = new Hono<WebEnv>();

  app.get('/bulk-actions/new', async (c) => {
    const t = c.get('t');
    const person = personOf(c);
    if (person.role !== 'coordinator') return Forbidden(c);
    const asked = askedOf({ action: c.req.query('action'), scope: c.req.query('scope'), caseIds: c.req.queries('caseId') ?? [], filter: c.req.query('filter') });
    if (!asked) return redirectWith(c, '/cases', { kind: 'error', text: t.bulk.noneSelected });
    if (asked.scope === 'selected' && asked.caseIds.length === 0) return redirectWith(c, listBack(asked), { kind: 'error', text: t.bulk.noneSelected });
    let cases: ChosenCase[];
    try {
      cases = await chosenCases(sql, person, selectionOf(asked));
    } catch (error) {
      // Too many, or filters the list would refuse: said on the list.
      if (error instanceof ProblemError && error.status === 400) return redirectWith(c, '/cases?clear=1', { kind: 'error', text: t.bulk.tooMany });
      throw error;
    }
    if (cases.length === 0) return redirectWith(c, listBack(asked), { kind: 'error', text: t.bulk.noneSelected });
    return c.html(await ConfirmBulk({ c, deps, asked, cases }));
  });

  app.post('/bulk-actions', async (c) => {
    const t = c.get('t');
    const person = personOf(c);
    if (person.role !== 'coordinator') return Forbidden(c);
    const form = await c.req.parseBody({ all: true });
    const one = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const caseIds = ([] as unknown[]).concat(form.caseId ?? []);
    const asked = askedOf({ action: one('action'), scope: one('scope'), caseIds, filter: one('filter') });
    if (!asked) return NotFound(c);
    // The key this confirm page was rendered with; after an unknown outcome the same one again.
    const sentKey = one('_retry') ?? one('_key');
    const key = sentKey && /^[\w-]{8,64}$/.test(sentKey) ? sentKey : undefined;
    const fields = { dueAt: one('dueAt') ?? '', organisationId: one('organisationId') ?? '', reason: one('reason') ?? '' };
    const dueAt = /^\d{4}-\d{2}-\d{2}$/.test(fields.dueAt) ? endOfLocalDay(fields.dueAt) : fields.dueAt || undefined;
    const body = {
      action: asked.action,
      ...(asked.scope === 'selected' ? { caseIds: asked.caseIds } : { filter: Object.fromEntries(new URLSearchParams(asked.filter)) }),
      ...(asked.action === 'extend' ? { dueAt } : {}),
      ...(asked.action === 'reassign' ? { organisationId: fields.organisationId || undefined } : {}),
      ...(['extend', 'reassign', 'hold'].includes(asked.action) ? { reason: fields.reason.trim() || undefined } : {}),
    };
    const again = async (status: 400 | 409 | 503, message: string, errors: FieldError[] = [], retryKey?: string) =>
      c.html(await ConfirmBulk({ c, deps, asked, cases: await chosenCases(sql, person, selectionOf(asked)), fields, errors, message, formKey: retryKey }), status);
    const parsed = NewBulkAction.safeParse(body);
    const fieldErrors = (names: string[]) =>
      [...new Set(names)].filter((f) => f === 'dueAt' || f === 'reason').map((f) => ({ id: `bulk-${f}`, message: (body[f as 'reason'] === undefined ? t.formErrors.empty : t.formErrors.field)(t.fields[f] ?? f) }));
    if (!parsed.success) {
      const named = parsed.error.issues.map((i) => String(i.path[0]));
      return again(400, t.errors.invalid([...new Set(named)].map((f) => t.fields[f] ?? t.bulk.cases).join(', ')), fieldErrors(named));
    }
    try {
      const { body: started } = await startBulkAction(deps, person, parsed.data, key ? `form:${key}` : undefined);
      return redirectWith(c, `/bulk-actions/${started.id}`, { kind: 'ok', text: t.bulk.started });
    } catch (error) {
      if (!(error instanceof ProblemError)) throw error;
      if (error.status === 400) {
        const named = ((error.extensions.errors as { field: string }[] | undefined) ?? []).map((e) => e.field);
        const errors = fieldErrors(named);
        return again(400, t.errors.invalid(named.map((f) => t.fields[f] ?? t.bulk.cases).join(', ')), errors);
      }
      if (error.status === 409) return again(409, t.formSentBefore);
      // Unknown outcome: the page comes back with the same key, so pressing again starts it once.
      if (error.status === 503) return again(503, t.errors.outcomeUnknown, [], key);
      throw error;
    }
  });

  app.route('/', bulkResultPages(deps));
  return app;
}
