/** Coordinators' actions on one step: chase it, give it more time, or give it to someone else. */
import { caseActionPath } from '../actions.js';
import { localDay } from '../dates.js';
import { fieldError, kept, refusedHere } from '../env.js';
import { Form } from '../layout.js';
import { Reason, type GateFormProps } from './fields.js';

/** The organisations of the same kind as the step's assignee that it could be given to instead. */
function othersOfKind({ d, g }: Pick<GateFormProps, 'd' | 'g'>) {
  const assigneeKind = [...d.orgsByKind].find(([, orgs]) => orgs.some((o) => o.id === g.assignee))?.[0];
  return assigneeKind && assigneeKind !== 'coordinator' && g.kind !== 'agreement' ? (d.orgsByKind.get(assigneeKind) ?? []).filter((o) => o.id !== g.assignee) : [];
}

/** Give the step to another organisation of the same kind (e.g. another municipality). */
export function ReassignForm({ c, d, g, t }: GateFormProps) {
  const others = othersOfKind({ d, g });
  if (others.length === 0) return null;
  return (
    <Form c={c} action={caseActionPath(d.id, 'reassign')} gateId={g.id}>
      <h4>{t.coordinator.reassign}</h4>
      <label for={`${g.id}-org`}>{t.coordinator.organisation}</label>
      <select id={`${g.id}-org`} name="organisationId" required>
        {others.map((o) => (
          <option value={o.id}>{o.name}</option>
        ))}
      </select>
      <Reason id={`${g.id}-reassign-reason`} label={t.gate.reason} value={kept(c, 'reassign', g.id).reason} error={{ t, message: fieldError(c, 'reassign', 'reason', g.id) }} />
      <button class="secondary" type="submit">{t.coordinator.reassignButton}</button>
    </Form>
  );
}

export function CoordinatorForms({ c, d, g, t }: GateFormProps) {
  // When choosing another organisation is the coordinator's own turn, the step's card shows that form.
  const reassignHere = g.turn?.todo !== 'choose-another';
  return (
    <details open={refusedHere(c, ['nudge', 'extend', 'reassign'], g.id)}>
      <summary>{t.coordinator.stepTitle}</summary>
      {/* A reminder goes to whoever's turn it is: never to the coordinator about its own step. */}
      {!g.waitingOn.every((o) => o === d.coordinatorOrg) && (
        <Form c={c} action={caseActionPath(d.id, 'nudge')} gateId={g.id}>
          <button class="secondary" type="submit">{t.coordinator.nudge}</button>
        </Form>
      )}
      <Form c={c} action={caseActionPath(d.id, 'extend')} gateId={g.id}>
        <h4>{t.coordinator.extend}</h4>
        <label for={`${g.id}-due`}>{t.coordinator.newDue}</label>
        <input id={`${g.id}-due`} name="dueAt" type="date" required min={localDay()} value={kept(c, 'extend', g.id).dueAt ?? localDay(14)} />
        <Reason id={`${g.id}-extend-reason`} label={t.gate.reason} value={kept(c, 'extend', g.id).reason} error={{ t, message: fieldError(c, 'extend', 'reason', g.id) }} />
        <button class="primary" type="submit">{t.coordinator.extendButton}</button>
      </Form>
      {reassignHere && <ReassignForm c={c} d={d} g={g} t={t} />}
    </details>
  );
}
