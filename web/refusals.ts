/**
 * A refused action in the reader's words: the refusal's code and parameters (the 409's `code` and
 * `params`) worded by the reader's language (i18n/refusals-*.ts), with the case's step and stage
 * titles instead of ids and dates as the pages write them. A refusal without a code — from a
 * worker older than refusal codes, or an answer stored before them — has only the workflow's
 * English `detail`, which is shown as it is: still the true reason.
 */
import { asRefusal, refusalParams, type Refusal } from '../domain/refusal.js';
import type { ProblemError } from '../usecases/problem.js';
import { formatDate } from './dates.js';
import type { Flash } from './flash.js';
import { localTitle, type Messages } from './i18n/index.js';
import type { RefusalLookups } from './i18n/refusal-words.js';

/** What the pages know of a refused action. */
export interface RefusedAction {
  refusal?: Refusal;
  /** The API's English words, for a refusal without a (known) code. */
  detail: string;
}

/** The refusal a 409 problem carries (usecases/refused-answer.ts), when it carries one. */
export function refusedActionOf(problem: ProblemError): RefusedAction {
  const { code, params } = problem.extensions;
  const fields = typeof params === 'object' && params !== null && !Array.isArray(params) ? params : {};
  return { refusal: asRefusal({ ...fields, code }), detail: problem.detail ?? problem.title };
}

const dateOf = (t: Messages) => (iso: string) => (Number.isNaN(Date.parse(iso)) ? '—' : formatDate(t, iso, true));

/** Lookups where no case is at hand (a programme's page): dates only, steps in general words. */
export function dateLookups(t: Messages): RefusalLookups {
  return { step: () => undefined, stage: () => undefined, date: dateOf(t) };
}

/** Lookups on a case's page: its step and stage titles (from its template) in the reader's language. */
export function caseLookups(t: Messages, titles: { gateTitles: ReadonlyMap<string, string>; stageTitles: ReadonlyMap<string, string> }): RefusalLookups {
  const local = (title: string | undefined) => (title === undefined ? undefined : localTitle(t, title));
  return { step: (id) => local(titles.gateTitles.get(id)), stage: (id) => local(titles.stageTitles.get(id)), date: dateOf(t) };
}

/** The refusal in the reader's words; the English `detail` when it has no code, or words that fail. */
export function refusalText(t: Messages, refused: RefusedAction, lookups: RefusalLookups): string {
  const { refusal } = refused;
  if (!refusal) return refused.detail;
  try {
    // A refusal read back from outside is checked loosely (domain/refusal.ts): words that cannot
    // be made from what it carries fall back to the true reason, in English.
    const words = (t.refusals[refusal.code] as (p: object, l: RefusalLookups) => unknown)(refusalParams(refusal), lookups);
    return typeof words === 'string' && words !== '' ? words : refused.detail;
  } catch {
    return refused.detail;
  }
}

/** The message of a refused form, worded with `lookups`; it keeps the refusal so a page that knows more can word it again. */
export function refusedFlash(t: Messages, refused: RefusedAction, lookups: RefusalLookups): Flash {
  return { kind: 'error', text: t.errors.refused(refusalText(t, refused, lookups)), refused };
}

/** A case page's flash: a refusal worded again with the case's own titles (its fields to fix kept); any other as it is. */
export function withCaseTitles(t: Messages, flash: Flash | undefined, lookups: RefusalLookups): Flash | undefined {
  return flash?.refused ? { ...refusedFlash(t, flash.refused, lookups), ...(flash.fields ? { fields: flash.fields } : {}) } : flash;
}
