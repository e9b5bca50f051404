/**
 * Form posts that act on a case or a programme: the form's fields become the same body the API
 * takes, checked by the same schema, and run by the same function. The person then lands back on
 * the page with what happened, or what to do about it, in plain words.
 */
import { z } from 'zod';
import { isUnavailable } from '../infra/unavailable.js';
import { caseActionOf, caseActions, isGateAction, runCaseAction, wouldRefuse, type CaseActionType } from '../usecases/case-actions.js';
import type { Deps } from '../usecases/deps.js';
import { ProblemError } from '../usecases/problem.js';
import { programmeActionOf, programmeActions, runProgrammeAction, type ProgrammePageActionType } from '../usecases/programme-actions.js';
import { personOf, type FormAction, type WebContext } from './env.js';
import { endOfLocalDay } from './dates.js';
import { redirectWith, type Flash } from './flash.js';
import type { Messages } from './i18n/index.js';
import { dateLookups, refusedActionOf, refusedFlash } from './refusals.js';
import { ConfirmPage, formFields, toConfirm } from './confirm.js';
import { formFieldId, hasField } from './error-summary.js';
import { visibleCase, visibleProgramme } from '../usecases/scope.js';
import { REFUSED_TITLE } from '../usecases/refused-answer.js';

const NUMBERS = new Set(['rooms', 'version', 'reportIndex', 'quota']);
const CHECKBOXES = new Set(['accessible']);
/** Date inputs for instants: the end of that day in Amsterdam, so "until the 5th" includes the 5th. */
const END_OF_DAY = new Set(['validUntil', 'dueAt']);

/** The API body from a form: numbers, checkboxes and dates converted, empty optional fields left out. */
export function formToBody(form: Record<string, string | File>, skip: string[] = []): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  // A list in order from numbered fields: a shortlist's `candidate-1`, `candidate-2`… (web/gate-forms/match.tsx).
  const listed: [number, string][] = [];
  for (const name of CHECKBOXES) body[name] = form[name] === 'on';
  for (const [name, raw] of Object.entries(form)) {
    if (name === '_csrf' || name === '_key' || name === 'confirmed' || skip.includes(name) || CHECKBOXES.has(name) || typeof raw !== 'string') continue;
    const value = raw.trim();
    if (value === '') continue;
    const choice = /^candidate-(\d{1,2})$/.exec(name);
    if (choice) listed.push([Number(choice[1]), value]);
    else if (NUMBERS.has(name)) body[name] = /^-?\d+$/.test(value) ? Number(value) : value;
    else if (END_OF_DAY.has(name)) body[name] = /^\d{4}-\d{2}-\d{2}$/.test(value) ? endOfLocalDay(value) : value;
    else body[name] = value;
  }
  if (listed.length) body.candidates = listed.sort((a, b) => a[0] - b[0]).map(([, id]) => id);
  return body;
}

/** The names of the fields the schema, or the API's 400 answer, found wrong. */
function invalidFields(error: z.ZodError | ProblemError): string[] {
  return error instanceof z.ZodError ? error.issues.map((i) => String(i.path[0] ?? '')) : ((error.extensions.errors as { field: string }[] | undefined) ?? []).map((e) => e.field);
}

/** "reason, number of rooms (1 to 20)": the fields a person must fix, in their words. */
function fieldsToFix(t: Messages, error: z.ZodError | ProblemError): string {
  const named = [...new Set(invalidFields(error).map((f) => t.fields[f] ?? f).filter(Boolean))];
  return named.length ? named.join(', ') : error instanceof ProblemError ? (error.detail ?? error.title) : '';
}

/**
 * `flash` with, for each of `names` the form shows, a line of the error summary that leads to it.
 * The draft keeps the same per field, so a form can say it at the field too (`fieldError`).
 * Hidden fields (the step, an offer's id) get no line: there is nothing to go to.
 */
function withFields(c: WebContext, flash: Flash, names: string[], message: (field: string) => string): Flash {
  const draft = c.get('draft');
  const shown = draft ? [...new Set(names)].filter((f) => hasField(draft.action, f)) : [];
  if (!draft || shown.length === 0) return flash;
  const errors = Object.fromEntries(shown.map((f) => [f, message(f)]));
  c.set('draft', { ...draft, errors });
  return { ...flash, fields: shown.map((f) => ({ id: formFieldId(draft.action, f, draft.gateId), message: errors[f]! })) };
}

/** The message of a form to fix; `left` tells a field left empty (to fill in) from one filled in wrongly (to check). */
function toFix(c: WebContext, error: z.ZodError | ProblemError, left: (field: string) => boolean = () => false): Flash {
  const t = c.get('t');
  const flash: Flash = { kind: 'error', text: t.errors.invalid(fieldsToFix(t, error)) };
  return withFields(c, flash, invalidFields(error), (f) => (left(f) ? t.formErrors.empty : t.formErrors.field)(t.fields[f] ?? f));
}

export type RefusedStatus = 400 | 409 | 503;

/** What went wrong, for the person who pressed the button; anything unexpected is thrown on. */
function failure(c: WebContext, error: unknown): { flash: Flash; status: RefusedStatus } {
  const t = c.get('t');
  const said = (text: string, status: RefusedStatus) => ({ flash: { kind: 'error' as const, text }, status });
  if (error instanceof ProblemError) {
    // Worded without the case's titles here; the case page words it again with them (withCaseTitles).
    // The form's key came with other fields before (a changed form sent again): said plainly, never the API's words.
    if (error.status === 409 && error.title !== REFUSED_TITLE) return said(t.formSentBefore, 409);
    if (error.status === 409) {
      const refused = refusedActionOf(error);
      const flash = refusedFlash(t, refused, dateLookups(t));
      // A reason the rules need (to reject, to hold, …) is a field left empty: the summary leads to it.
      return { flash: refused.refusal?.code === 'reason-needed' ? withFields(c, flash, ['reason', 'comment'], (f) => t.formErrors.empty(t.fields[f] ?? f)) : flash, status: 409 };
    }
    // 422: a value of the right shape the rules refuse (a shortlist's candidate of the wrong kind): a field to fix too.
    if (error.status === 400 || error.status === 422) return { flash: toFix(c, error), status: 400 };
    if (error.status === 503) return said(error.title === 'Outcome not known yet' ? t.errors.outcomeUnknown : t.errors.unavailable, 503);
  }
  if (isUnavailable(error)) return said(t.errors.unavailable, 503);
  throw error;
}

/** Shows the page again after a refused form, with the message (and, where it can, what was typed). */
export type ShowAgain = (c: WebContext, flash: Flash, status: RefusedStatus) => Response | Promise<Response>;

/** Asks first, for an action that cannot be undone and was not confirmed yet (web/confirm.tsx). */
type AskFirst = () => Promise<Response | undefined>;

async function perform(c: WebContext, schema: z.ZodType, body: Record<string, unknown>, run: (body: unknown) => Promise<unknown>, done: { back: string; text: string }, showAgain: ShowAgain, retryKey: string | undefined, askFirst: AskFirst): Promise<Response> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) return showAgain(c, toFix(c, parsed.error, (f) => body[f] === undefined), 400);
  // Only a form that would be taken as it is asks: one to fix says so first.
  const asked = await askFirst();
  if (asked) return asked;
  try {
    await run(parsed.data);
  } catch (error) {
    const { flash, status } = failure(c, error);
    // Unknown outcome: the form comes back with the key it was sent with, so pressing again is a retry.
    const draft = c.get('draft');
    if (status === 503 && draft && retryKey !== undefined) c.set('draft', { ...draft, retryKey });
    return showAgain(c, flash, status);
  }
  // Success redirects (post/redirect/get): a reload does not send the form again.
  return redirectWith(c, done.back, { kind: 'ok', text: done.text });
}

// The actions a form may post, from their declarations: every case action, and the programme
// actions declared for the pages (the others, such as closing a programme, are the API's only).
const caseActionTypes = new Set<string>(caseActions.map((a) => a.type));
const programmeActionTypes = new Set<string>(programmeActions.filter((a) => a.onPages).map((a) => a.type));
const isCaseAction = (type: string): type is CaseActionType => caseActionTypes.has(type);
const isProgrammePageAction = (type: string): type is ProgrammePageActionType => programmeActionTypes.has(type);

/** Where a case page's form for `type` posts (`caseActionHandler`). */
export const caseActionPath = (caseId: string, type: CaseActionType): string => `/cases/${caseId}/actions/${type}`;
/** Where a programme page's form for `type` posts (`programmeActionHandler`). */
export const programmeActionPath = (programmeId: string, type: ProgrammePageActionType): string => `/programmes/${programmeId}/actions/${type}`;

/**
 * GET of a form's address (a link from the confirm page, such as the language switch, or a reload):
 * back to the case's or programme's page, with nothing done.
 */
export const toActionsPage = (c: WebContext): Response => c.redirect(c.req.path.replace(/\/actions\/[^/]*$/, ''), 303);

/** The key the form was rendered with: pressing twice, or retrying after an unknown outcome, is one action. */
const renderedKey = (form: Record<string, string | File>): string | undefined => (typeof form._key === 'string' && /^[\w-]{8,64}$/.test(form._key) ? form._key : undefined);
const idempotencyKeyOf = (key: string | undefined): string | undefined => (key === undefined ? undefined : `form:${key}`);

/** What was typed into the form, kept so a refused form comes back filled in. */
function keepDraft(c: WebContext, action: FormAction, form: Record<string, string | File>, gateId?: string): void {
  const fields = Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => e[0] !== '_csrf' && e[0] !== '_key' && e[0] !== 'confirmed' && typeof e[1] === 'string'));
  c.set('draft', { path: c.req.path, action, gateId, fields });
}

/**
 * POST /cases/:id/actions/:type — the gate (for gate actions) comes as the form field `gateId`.
 * A refused form shows the case page again with what was typed (`showCase`), not a redirect.
 */
export function caseActionHandler(deps: Deps, showCase: (c: WebContext, id: string, flash: Flash, status: RefusedStatus) => Promise<Response>) {
  return async (c: WebContext) => {
    const id = c.req.param('id')!;
    const actionType = c.req.param('type')!;
    if (!isCaseAction(actionType) || !z.uuid().safeParse(id).success) return c.notFound();
    const form = await c.req.parseBody();
    const gated = isGateAction(actionType);
    const gateId = typeof form.gateId === 'string' ? form.gateId : '';
    const t = c.get('t');
    keepDraft(c, actionType, form, gateId || undefined);
    const showAgain: ShowAgain = (cc, flash, status) => showCase(cc, id, flash, status);
    if (gated && !gateId) return showAgain(c, { kind: 'error', text: t.errors.invalid(t.fields.gateId!) }, 400);
    const body = formToBody(form, gated ? ['gateId'] : []);
    const key = renderedKey(form);
    const run = (b: unknown) => runCaseAction(deps, personOf(c), id, actionType, b, { gateId: gated ? gateId : undefined, idempotencyKey: idempotencyKeyOf(key) });
    const fields = formFields(form);
    const askFirst: AskFirst = async () => {
      const action = toConfirm(actionType, fields);
      if (!action) return undefined;
      // Only for a case the person takes part in (404 otherwise, as for the action itself).
      const { reference } = await visibleCase(deps.sql, personOf(c), id);
      // Nobody confirms what will be refused: a stale page (decided by a colleague, held since) says so at once.
      const refusal = await wouldRefuse(deps, personOf(c), id, actionType, caseActionOf(actionType).body.parse(body), gated ? gateId : undefined);
      if (refusal) {
        const { flash, status } = failure(c, refusal);
        return showAgain(c, flash, status);
      }
      return c.html(ConfirmPage({ c, action, subject: reference, fields, formKey: key, back: `/cases/${id}${gated ? `#gate-${gateId}` : ''}` }));
    };
    return perform(c, caseActionOf(actionType).body, body, run, { back: `/cases/${id}`, text: t.done[actionType] }, showAgain, key, askFirst);
  };
}

/** POST /programmes/:id/actions/:type — a refused form shows the programme page again, like a case's. */
export function programmeActionHandler(deps: Deps, showProgramme: (c: WebContext, id: string, flash: Flash, status: RefusedStatus) => Promise<Response>) {
  return async (c: WebContext) => {
    const id = c.req.param('id')!;
    const actionType = c.req.param('type')!;
    if (!isProgrammePageAction(actionType) || !z.uuid().safeParse(id).success) return c.notFound();
    const t = c.get('t');
    const done = t.programmeDone[actionType];
    const back = `/programmes/${id}`;
    const form = await c.req.parseBody();
    keepDraft(c, actionType, form);
    const key = renderedKey(form);
    const run = (b: unknown) => runProgrammeAction(deps, personOf(c), id, actionType, b, idempotencyKeyOf(key));
    const fields = formFields(form);
    const askFirst: AskFirst = async () => {
      const action = toConfirm(actionType, fields);
      if (!action) return undefined;
      const { name } = await visibleProgramme(deps.sql, personOf(c), id);
      return c.html(ConfirmPage({ c, action, subject: name, fields, formKey: key, back }));
    };
    return perform(c, programmeActionOf(actionType).body, formToBody(form), run, { back, text: done }, (cc, flash, status) => showProgramme(cc, id, flash, status), key, askFirst);
  };
}
