/** A decision step: approve, ask for more information, or reject — one form, a button each. */
import { caseActionPath } from '../actions.js';
import { ErrorMessage, fieldAria } from '../error-summary.js';
import { fieldError, kept } from '../env.js';
import { Form } from '../layout.js';
import type { GateFormProps } from './fields.js';
import { caseRefusalNow, NotNow } from './not-now.js';

export function DecisionForm({ c, d, g, t }: GateFormProps) {
  const id = `${g.id}-decide`;
  const f = kept(c, 'decide', g.id);
  const refused = caseRefusalNow(d);
  if (refused) return <NotNow t={t} d={d} refusal={refused} />;
  return (
    <Form c={c} action={caseActionPath(d.id, 'decide')} gateId={g.id}>
      <label for={`${id}-reason`}>{t.gate.reason}</label>
      <p class="hint" id={`${id}-hint`}>{t.gate.reasonHint}</p>
      <ErrorMessage t={t} id={`${id}-reason`} message={fieldError(c, 'decide', 'reason', g.id)} />
      <textarea id={`${id}-reason`} name="reason" maxlength={2000} {...fieldAria(`${id}-reason`, fieldError(c, 'decide', 'reason', g.id), `${id}-hint`)}>
        {f.reason}
      </textarea>
      <button class="primary" type="submit" name="outcome" value="approve">{t.gate.approve}</button>
      <button class="secondary" type="submit" name="outcome" value="request_info">{t.gate.requestInfo}</button>
      <button class="danger" type="submit" name="outcome" value="reject">{t.gate.reject}</button>
    </Form>
  );
}
