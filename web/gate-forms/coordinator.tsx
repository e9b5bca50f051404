/** Coordinators' actions on one step: chase it, give it more time, or give it to someone else. */
import { caseActionPath } from '../actions.js';
import { localDay } from '../dates.js';
import { kept, refusedHere } from '../env.js';
import { Form } from '../layout.js';
import { Reason, type GateFormProps } from './fields.js';

export function CoordinatorForms({ c, d, g, t }: GateFormProps) {
  const assigneeKind = [...d.orgsByKind].find(([, orgs]) => orgs.some((o) => o.id === g.assignee))?.[0];
  const others = assigneeKind && assigneeKind !== 'coordinator' && g.kind !== 'agreement' ? (d.orgsByKind.get(assigneeKind) ?? []).filter((o) => o.id !== g.assignee) : [];
  return (
    <details open={refusedHere(c, ['nudge', 'extend', 'reassign'], g.id)}>
      <summary>{t.coordinator.title}</summary>
      <Form c={c} action={caseActionPath(d.id, 'nudge')} gateId={g.id}>
        <button class="secondary" type="submit">{t.coordinator.nudge}</button>
      </Form>
      <Form c={c} action={caseActionPath(d.id, 'extend')} gateId={g.id}>
        <h4>{t.coordinator.extend}</h4>
        <label for={`${g.id}-due`}>{t.coordinator.newDue}</label>
        <input id={`${g.id}-due`} name="dueAt" type="date" required min={localDay()} value={kept(c, 'extend', g.id).dueAt ?? localDay(14)} />
        <Reason id={`${g.id}-extend-reason`} label={t.gate.reason} value={kept(c, 'extend', g.id).reason} />
        <button class="primary" type="submit">{t.coordinator.extendButton}</button>
      </Form>
      {others.length > 0 && (
        <Form c={c} action={caseActionPath(d.id, 'reassign')} gateId={g.id}>
          <h4>{t.coordinator.reassign}</h4>
          <label for={`${g.id}-org`}>{t.coordinator.organisation}</label>
          <select id={`${g.id}-org`} name="organisationId" required>
            {others.map((o) => (
              <option value={o.id}>{o.name}</option>
            ))}
          </select>
          <Reason id={`${g.id}-reassign-reason`} label={t.gate.reason} value={kept(c, 'reassign', g.id).reason} />
          <button class="secondary" type="submit">{t.coordinator.reassignButton}</button>
        </Form>
      )}
    </details>
  );
}
