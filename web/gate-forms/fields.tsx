/** What the forms on a step's card share: their inputs, and the reason field most of them ask for. */
import type { GateView } from '../../domain/case-view.js';
import type { CasePageData } from '../case-data.js';
import type { WebContext } from '../env.js';
import { ErrorMessage, fieldAria } from '../error-summary.js';
import type { Messages } from '../i18n/index.js';

/** The request (for its draft and form token), the case page's data, the step, and the texts. */
export interface GateFormProps {
  c: WebContext;
  d: CasePageData;
  g: GateView;
  t: Messages;
}

/**
 * A reason field. After its form came back to be fixed, `error` (from `fieldError(c, action,
 * 'reason', gateId)`) is said at the field and ties it to the page's error summary.
 */
export function Reason({ id, label, value, required = true, error }: { id: string; label: string; value?: string; required?: boolean; error?: { t: Messages; message: string | undefined } }) {
  return (
    <>
      <label for={id}>{label}</label>
      {error && <ErrorMessage t={error.t} id={id} message={error.message} />}
      <textarea id={id} name="reason" required={required} maxlength={2000} {...fieldAria(id, error?.message)}>
        {value}
      </textarea>
    </>
  );
}
