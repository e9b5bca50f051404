/** What every page handler knows about the request: who (if anyone), their language, the form token. */
import type { Context } from 'hono';
import type { Language } from '../domain/organisation.js';
import type { CaseActionType } from '../usecases/case-actions.js';
import type { ProgrammePageActionType } from '../usecases/programme-actions.js';
import type { Messages } from './i18n/index.js';
import type { SignedIn } from './session.js';

export type WebEnv = {
  Variables: {
    /** Set on every page once `requireSignIn` has run; absent on the sign-in pages. */
    person: SignedIn | undefined;
    lang: Language;
    t: Messages;
    /** The anti-forgery token every form carries (double-submit: it equals the csrf cookie). */
    csrf: string;
    /** Whether cookies get the Secure flag: the site is reached over https. */
    secure: boolean;
    /** What a person typed into a form that was refused, shown again so nothing needs retyping. */
    draft: Draft | undefined;
  };
};

/** Any path: handlers read their own params. */
export type WebContext = Context<WebEnv, any>;

export interface Draft {
  /** The form's own address (`/cases/…/actions/sign`), which together with the gate names the form. */
  path: string;
  action: FormAction;
  gateId: string | undefined;
  fields: Record<string, string>;
  /**
   * Set only when the outcome is unknown (503): the key the form was sent with, rendered again so
   * that pressing the button once more is the same action, never a second one.
   */
  retryKey?: string;
  /** Field name → what to fix, when the form came back because of what was typed in these fields. */
  errors?: Record<string, string>;
}

/** An action a page has a form for: a form and its draft are known by it. */
export type FormAction = CaseActionType | ProgrammePageActionType;

/** The fields a person typed into this form, when it is the one that was just refused. */
export function kept(c: WebContext, action: FormAction, gateId?: string): Record<string, string | undefined> {
  const draft = c.get('draft');
  return draft && draft.action === action && draft.gateId === gateId ? draft.fields : {};
}

/**
 * The fields this form was sent with, when it comes back after an unknown outcome to be sent again
 * with the same key: a retry must be the same request (a hidden report number or version read from
 * the case as it is now would make it another one, which the key would not cover).
 */
export function retried(c: WebContext, action: FormAction, gateId?: string): Record<string, string | undefined> {
  const draft = c.get('draft');
  return draft?.retryKey !== undefined && draft.action === action && draft.gateId === gateId ? draft.fields : {};
}

/** What to fix in this field of this form, when it is the one that just came back to be fixed. */
export function fieldError(c: WebContext, action: FormAction, field: string, gateId?: string): string | undefined {
  const draft = c.get('draft');
  return draft && draft.action === action && draft.gateId === gateId ? draft.errors?.[field] : undefined;
}

/** Whether one of these forms was just refused: its folded section opens, so the message has its form. */
export function refusedHere(c: WebContext, actions: FormAction[], gateId?: string): boolean {
  const draft = c.get('draft');
  return !!draft && actions.includes(draft.action) && draft.gateId === gateId;
}

export const COOKIE = { session: 'sr_session', csrf: 'sr_csrf', lang: 'sr_lang', flash: 'sr_flash', cases: 'sr_list_cases', board: 'sr_list_board' } as const;

/** The signed-in person; only for handlers behind `requireSignIn`. */
export function personOf(c: WebContext): SignedIn {
  const person = c.get('person');
  if (!person) throw new Error('personOf used on a page that does not require sign-in');
  return person;
}
