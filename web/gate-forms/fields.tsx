/** What the forms on a step's card share: their inputs, and the reason field most of them ask for. */
import type { GateView } from '../../domain/case-view.js';
import type { CasePageData } from '../case-data.js';
import type { WebContext } from '../env.js';
import type { Messages } from '../i18n/index.js';

/** The request (for its draft and form token), the case page's data, the step, and the texts. */
export interface GateFormProps {
  c: WebContext;
  d: CasePageData;
  g: GateView;
  t: Messages;
}

export function Reason({ id, label, value, required = true }: { id: string; label: string; value?: string; required?: boolean }) {
  return (
    <>
      <label for={id}>{label}</label>
      <textarea id={id} name="reason" required={required} maxlength={2000}>
        {value}
      </textarea>
    </>
  );
}
