/**
 * Actions that cannot be undone ask first, without JavaScript: their form posts to its handler as
 * usual; without `confirmed` the handler answers this page (nothing is done), which says what will
 * happen and posts the very same fields again — the same form token and the same `_key`, so the
 * "Yes" pressed twice is still one action — with `confirmed=1`.
 */
import { randomUUID } from 'node:crypto';
import type { FormAction, WebContext } from './env.js';
import { Page } from './layout.js';

export type ConfirmFields = Record<string, string | undefined>;

/**
 * The actions that ask for confirmation, once, and when: a key that is no page action does not
 * compile. Every other action stays one step.
 */
const CONFIRM = {
  decide: (f: ConfirmFields) => f.outcome === 'reject',
  accept_offer: () => true,
  sign: () => true,
  withdraw: () => true,
  sign_mou: () => true,
  pause: () => true,
  accept_match: () => true,
  decline_match: () => true,
} satisfies { [A in FormAction]?: (fields: ConfirmFields) => boolean };

export type ConfirmedAction = keyof typeof CONFIRM;
/** What each confirmed action does, in a language's words (i18n `confirm.what`). */
export type ConfirmTexts = Record<ConfirmedAction, string | ((fields: ConfirmFields) => string)>;

const isConfirmed = (action: FormAction): action is ConfirmedAction => Object.hasOwn(CONFIRM, action);

/** The fields of a form as posted, strings only. */
export const formFields = (form: Record<string, string | File>): Record<string, string> => Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** The action this form asks for, when it must be confirmed and was not yet; otherwise undefined. */
export function toConfirm(action: FormAction, fields: ConfirmFields): ConfirmedAction | undefined {
  return isConfirmed(action) && fields.confirmed !== '1' && CONFIRM[action](fields) ? action : undefined;
}

/** The confirm step: what will happen, for which case or programme; "Yes" re-posts the form as it was. */
/** `formKey`: the form's own key when it sent a good one; without, the "Yes" gets one, so pressing it twice is one action. */
export function ConfirmPage(props: { c: WebContext; action: ConfirmedAction; subject: string; fields: Record<string, string>; formKey: string | undefined; back: string }) {
  const { c, action, fields } = props;
  const t = c.get('t');
  const what = t.confirm.what[action];
  const said = typeof what === 'function' ? what(fields) : what;
  const reason = fields.reason?.trim();
  const key = props.formKey ?? randomUUID();
  const kept = Object.entries(fields).filter(([name]) => name !== '_csrf' && name !== '_key' && name !== 'confirmed');
  return (
    <Page c={c} title={t.confirm.title}>
      <h1>{t.confirm.title}</h1>
      <p>{t.confirm.on(props.subject)}</p>
      <p>
        <strong>{said}</strong>
      </p>
      {reason && (
        <>
          <h2>{t.confirm.reason}</h2>
          <blockquote>{reason}</blockquote>
        </>
      )}
      <p class="hint">{t.confirm.nothingYet}</p>
      <form method="post" action={c.req.path} class="action">
        <input type="hidden" name="_csrf" value={c.get('csrf')} />
        <input type="hidden" name="_key" value={key} />
        {kept.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="confirmed" value="1" />
        <button class={action === 'accept_offer' || action === 'accept_match' || action === 'sign' || action === 'sign_mou' ? 'primary' : 'danger'} type="submit">
          {t.confirm.yes[action]}
        </button>{' '}
        <a href={props.back}>{t.confirm.cancel}</a>
      </form>
    </Page>
  );
}
