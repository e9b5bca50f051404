/**
 * Form errors in the GOV.UK / NL Design System pattern: a summary at the top of the form area that
 * a screen reader announces at once and whose every line leads to its field, and at the field
 * itself the message, tied to it with `aria-describedby`, the field marked `aria-invalid`.
 */
import type { FormAction } from './env.js';
import type { Messages } from './i18n/index.js';

/** One field to fix: the id of its element on the page, and what to do about it. */
export interface FieldError {
  id: string;
  message: string;
}

/** The summary; nothing when there is nothing to fix. `intro` is a sentence above the list. */
export function ErrorSummary({ t, errors, intro }: { t: Messages; errors: readonly FieldError[]; intro?: string }) {
  if (errors.length === 0) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex={-1}>
      <h2 id="error-summary-title">{t.formErrors.title}</h2>
      {intro && <p>{intro}</p>}
      <ul>
        {errors.map((e) => (
          <li>
            <a href={`#${e.id}`}>{e.message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The message at the field, with a prefix only screen readers hear (the red alone says nothing to them). */
export function ErrorMessage({ t, id, message }: { t: Messages; id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="error-message" id={`${id}-error`}>
      <span class="visually-hidden">{`${t.formErrors.prefix} `}</span>
      {message}
    </p>
  );
}

/** The attributes of a field with (or without) an error; `hint` is the id of its hint, if it has one. */
export function fieldAria(id: string, error: string | undefined, hint?: string): { 'aria-invalid'?: 'true'; 'aria-describedby'?: string } {
  const describedBy = [hint, error ? `${id}-error` : undefined].filter(Boolean).join(' ');
  return { ...(error ? { 'aria-invalid': 'true' as const } : {}), ...(describedBy ? { 'aria-describedby': describedBy } : {}) };
}

/**
 * The element id of a field in the form of `action` (on a step's card, `gateId`): the summary of a
 * refused form links to it. These are the ids the forms have always used, so links work whether
 * or not a form shows its message at the field yet. A field not listed gets no line in the summary.
 */
const FIELD_IDS: Partial<Record<FormAction, Record<string, string>>> = {
  decide: { reason: 'decide-reason' },
  complete: { note: 'note' },
  offer_housing: { address: 'address', rooms: 'rooms', accessible: 'accessible', availableFrom: 'from', validUntil: 'until' },
  decline_housing_request: { reason: 'decline-request' },
  decline_offer: { reason: 'decline-offer' },
  propose_match: { candidates: 'candidate-1' },
  decline_match: { reason: 'decline-match' },
  publish_agreement: { title: 'title', text: 'text' },
  request_changes: { comment: 'comment' },
  submit_checkin: { report: 'report' },
  extend: { dueAt: 'due', reason: 'extend-reason' },
  reassign: { organisationId: 'org', reason: 'reassign-reason' },
  hold: { reason: 'hold-reason' },
  withdraw: { reason: 'withdraw-reason' },
  pause: { reason: 'pause-reason' },
  request_mou_changes: { comment: 'mou-comment' },
};

/** Whether the form of `action` shows a field of this name (hidden ones, such as the step, are not listed). */
export const hasField = (action: FormAction, field: string): boolean => Object.hasOwn(FIELD_IDS[action] ?? {}, field);

export function formFieldId(action: FormAction, field: string, gateId?: string): string {
  const own = FIELD_IDS[action]?.[field] ?? field;
  return gateId ? `${gateId}-${own}` : own;
}
