/** A task step: mark it done, with a note if there is something to say. */
import { caseActionPath } from '../actions.js';
import { kept } from '../env.js';
import { Form } from '../layout.js';
import type { GateFormProps } from './fields.js';
import { caseRefusalNow, NotNow } from './not-now.js';

export function TaskForm({ c, d, g, t }: GateFormProps) {
  const refused = caseRefusalNow(d);
  if (refused) return <NotNow t={t} d={d} refusal={refused} />;
  return (
    <Form c={c} action={caseActionPath(d.id, 'complete')} gateId={g.id}>
      <label for={`${g.id}-note`}>{t.gate.note}</label>
      <textarea id={`${g.id}-note`} name="note" maxlength={2000}>
        {kept(c, 'complete', g.id).note}
      </textarea>
      <button class="primary" type="submit">{t.gate.complete}</button>
    </Form>
  );
}
