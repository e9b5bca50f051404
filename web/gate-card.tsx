/**
 * One open step of a case: what it is, whom it waits on, by when, and — when it is this person's
 * turn — the forms to act on it. The workflow decides what is allowed; these forms only offer what
 * is likely to be, and a refusal comes back with its reason.
 */
import { CHECKIN_EARLY_WINDOW_MS } from '../domain/case-actions.js';
import type { GateView } from '../domain/case-view.js';
import type { CasePageData } from './case-data.js';
import { kept, personOf, refusedHere, type WebContext } from './env.js';
import { formatDate, localDay } from './dates.js';
import { localTitle, type Messages } from './i18n.js';
import { Form } from './layout.js';

interface Offer { offerId: string; rooms: number; accessible: boolean; availableFrom: string; validUntil: string; status: string }
interface Agreement { version: number; document: { title: string; contentHash: string; url?: string } | null; signatories: string[]; unsigned: string[]; executedAt: string | null }
interface Reports { endsAt: string; reports: { index: number; dueAt: string; submittedAt: string | null }[] }


function Reason({ id, label, value, required = true }: { id: string; label: string; value?: string; required?: boolean }) {
  return (
    <>
      <label for={id}>{label}</label>
      <textarea id={id} name="reason" required={required} maxlength={2000}>
        {value}
      </textarea>
    </>
  );
}

function DecisionForms({ c, d, g, t }: { c: WebContext; d: CasePageData; g: GateView; t: Messages }) {
  const id = `${g.id}-decide`;
  const f = kept(c, 'decide', g.id);
  return (
    <Form c={c} action={`/cases/${d.id}/actions/decide`} gateId={g.id}>
      <label for={`${id}-reason`}>{t.gate.reason}</label>
      <p class="hint" id={`${id}-hint`}>{t.gate.reasonHint}</p>
      <textarea id={`${id}-reason`} name="reason" maxlength={2000} aria-describedby={`${id}-hint`}>
        {f.reason}
      </textarea>
      <button class="primary" type="submit" name="outcome" value="approve">{t.gate.approve}</button>
      <button class="secondary" type="submit" name="outcome" value="request_info">{t.gate.requestInfo}</button>
      <button class="danger" type="submit" name="outcome" value="reject">{t.gate.reject}</button>
    </Form>
  );
}

function HousingForms({ c, d, g, t, mine }: { c: WebContext; d: CasePageData; g: GateView; t: Messages; mine: string }) {
  const detail = g.detail as { respondent: string; offers: Offer[] };
  const open = detail.offers.find((o) => o.status === 'open');
  const f = kept(c, 'offer_housing', g.id);
  const facts = (o: Offer) => t.gate.offerFacts(o.rooms, o.accessible, formatDate(t, o.availableFrom), formatDate(t, o.validUntil));
  return (
    <>
      {detail.offers.map((o) => (
        <div>
          <h4>{`${t.gate.offer} (${t.gate.offerStatus[o.status] ?? o.status})`}</h4>
          {d.addresses.get(o.offerId) && <p>{d.addresses.get(o.offerId)}</p>}
          <p>{facts(o)}</p>
        </div>
      ))}
      {open && detail.respondent === mine && (
        <>
          <Form c={c} action={`/cases/${d.id}/actions/accept_offer`} gateId={g.id}>
            <input type="hidden" name="offerId" value={open.offerId} />
            <button class="primary" type="submit">{t.gate.accept}</button>
          </Form>
          <details open={refusedHere(c, ['decline_offer'], g.id)}>
            <summary>{t.gate.decline}</summary>
            <Form c={c} action={`/cases/${d.id}/actions/decline_offer`} gateId={g.id}>
              <input type="hidden" name="offerId" value={open.offerId} />
              <Reason id={`${g.id}-decline-offer`} label={t.gate.declineReason} value={kept(c, 'decline_offer', g.id).reason} />
              <button class="danger" type="submit">{t.gate.decline}</button>
            </Form>
          </details>
        </>
      )}
      {!open && g.waitingOn.includes(mine) && (
        <>
          <Form c={c} action={`/cases/${d.id}/actions/offer_housing`} gateId={g.id}>
            <h4>{t.gate.makeOffer}</h4>
            <label for={`${g.id}-address`}>{t.gate.address}</label>
            <input id={`${g.id}-address`} name="address" type="text" required maxlength={500} autocomplete="off" value={f.address} />
            <label for={`${g.id}-rooms`}>{t.gate.rooms}</label>
            <input id={`${g.id}-rooms`} name="rooms" type="number" min={1} max={20} required inputmode="numeric" value={f.rooms} />
            <p>
              <input id={`${g.id}-accessible`} name="accessible" type="checkbox" checked={f.accessible === 'on'} /> <label class="inline" for={`${g.id}-accessible`}>{t.gate.accessible}</label>
            </p>
            <label for={`${g.id}-from`}>{t.gate.availableFrom}</label>
            <input id={`${g.id}-from`} name="availableFrom" type="date" required min={localDay()} value={f.availableFrom} />
            <label for={`${g.id}-until`}>{t.gate.validUntil}</label>
            <input id={`${g.id}-until`} name="validUntil" type="date" required min={localDay()} value={f.validUntil ?? localDay(14)} />
            <button class="primary" type="submit">{t.gate.sendOffer}</button>
          </Form>
          <details open={refusedHere(c, ['decline_housing_request'], g.id)}>
            <summary>{t.gate.declineRequest}</summary>
            <Form c={c} action={`/cases/${d.id}/actions/decline_housing_request`} gateId={g.id}>
              <Reason id={`${g.id}-decline-request`} label={t.gate.reason} value={kept(c, 'decline_housing_request', g.id).reason} />
              <button class="danger" type="submit">{t.gate.declineRequestButton}</button>
            </Form>
          </details>
        </>
      )}
    </>
  );
}

function PublishForm({ c, d, g, t }: { c: WebContext; d: CasePageData; g: GateView; t: Messages }) {
  const f = kept(c, 'publish_agreement', g.id);
  return (
    <Form c={c} action={`/cases/${d.id}/actions/publish_agreement`} gateId={g.id}>
      <label for={`${g.id}-title`}>{t.gate.docTitle}</label>
      <input id={`${g.id}-title`} name="title" type="text" required maxlength={200} value={f.title} />
      <label for={`${g.id}-text`}>{t.gate.docText}</label>
      <textarea id={`${g.id}-text`} name="text" required>
        {f.text}
      </textarea>
      <button class="primary" type="submit">{t.gate.publish}</button>
    </Form>
  );
}

function AgreementForms({ c, d, g, t, mine, coordinating }: { c: WebContext; d: CasePageData; g: GateView; t: Messages; mine: string; coordinating: boolean }) {
  const a = g.detail as unknown as Agreement;
  const names = (ids: string[]) => ids.map((id) => d.orgNames.get(id) ?? id).join(', ');
  if (a.version === 0) return coordinating ? <PublishForm c={c} d={d} g={g} t={t} /> : null;
  const text = a.document ? d.documents.get(a.document.contentHash) : undefined;
  const signed = a.signatories.filter((s) => !a.unsigned.includes(s));
  return (
    <>
      <h4>{t.gate.version(a.version, a.document?.title ?? '')}</h4>
      {text?.body && <blockquote>{text.body}</blockquote>}
      {text?.url && <p><a href={text.url}>{text.url}</a></p>}
      {signed.length > 0 && <p>{`${t.gate.signed}: ${names(signed)}`}</p>}
      {a.unsigned.length > 0 && <p>{`${t.gate.unsigned}: ${names(a.unsigned)}`}</p>}
      {a.executedAt && <p>{t.gate.executed(formatDate(t, a.executedAt))}</p>}
      {a.unsigned.includes(mine) && (
        <Form c={c} action={`/cases/${d.id}/actions/sign`} gateId={g.id}>
          <input type="hidden" name="version" value={String(a.version)} />
          <button class="primary" type="submit">{t.gate.sign(a.version)}</button>
        </Form>
      )}
      {a.signatories.includes(mine) && !a.executedAt && (
        <details open={refusedHere(c, ['request_changes'], g.id)}>
          <summary>{t.gate.requestChanges}</summary>
          <Form c={c} action={`/cases/${d.id}/actions/request_changes`} gateId={g.id}>
            <label for={`${g.id}-comment`}>{t.gate.comment}</label>
            <textarea id={`${g.id}-comment`} name="comment" required maxlength={2000}>
              {kept(c, 'request_changes', g.id).comment}
            </textarea>
            <button class="secondary" type="submit">{t.gate.requestChanges}</button>
          </Form>
        </details>
      )}
      {coordinating && (
        <details open={refusedHere(c, ['publish_agreement'], g.id)}>
          <summary>{t.gate.publish}</summary>
          <PublishForm c={c} d={d} g={g} t={t} />
        </details>
      )}
    </>
  );
}

function CheckinForm({ c, d, g, t, mine }: { c: WebContext; d: CasePageData; g: GateView; t: Messages; mine: string }) {
  const r = g.detail as unknown as Reports;
  const done = r.reports.filter((x) => x.submittedAt).length;
  const next = r.reports.find((x) => !x.submittedAt);
  return (
    <>
      <p>{t.gate.reports(done, r.reports.length)}</p>
      {next && g.assignee === mine && Date.parse(next.dueAt) - CHECKIN_EARLY_WINDOW_MS <= Date.now() && (
        <Form c={c} action={`/cases/${d.id}/actions/submit_checkin`} gateId={g.id}>
          <input type="hidden" name="reportIndex" value={String(next.index)} />
          <label for={`${g.id}-report`}>{t.gate.checkin(next.index + 1)}</label>
          <textarea id={`${g.id}-report`} name="report" required maxlength={20000}>
            {kept(c, 'submit_checkin', g.id).report}
          </textarea>
          <button class="primary" type="submit">{t.gate.submitReport}</button>
        </Form>
      )}
      {next && Date.parse(next.dueAt) - CHECKIN_EARLY_WINDOW_MS > Date.now() && <p class="muted">{`${t.gate.checkin(next.index + 1)}: ${formatDate(t, next.dueAt)}`}</p>}
    </>
  );
}

/** Coordinators' actions on one step: chase it, give it more time, or give it to someone else. */
function CoordinatorForms({ c, d, g, t }: { c: WebContext; d: CasePageData; g: GateView; t: Messages }) {
  const assigneeKind = [...d.orgsByKind].find(([, orgs]) => orgs.some((o) => o.id === g.assignee))?.[0];
  const others = assigneeKind && assigneeKind !== 'coordinator' && g.kind !== 'agreement' ? (d.orgsByKind.get(assigneeKind) ?? []).filter((o) => o.id !== g.assignee) : [];
  return (
    <details open={refusedHere(c, ['nudge', 'extend', 'reassign'], g.id)}>
      <summary>{t.coordinator.title}</summary>
      <Form c={c} action={`/cases/${d.id}/actions/nudge`} gateId={g.id}>
        <button class="secondary" type="submit">{t.coordinator.nudge}</button>
      </Form>
      <Form c={c} action={`/cases/${d.id}/actions/extend`} gateId={g.id}>
        <h4>{t.coordinator.extend}</h4>
        <label for={`${g.id}-due`}>{t.coordinator.newDue}</label>
        <input id={`${g.id}-due`} name="dueAt" type="date" required min={localDay()} value={kept(c, 'extend', g.id).dueAt ?? localDay(14)} />
        <Reason id={`${g.id}-extend-reason`} label={t.gate.reason} value={kept(c, 'extend', g.id).reason} />
        <button class="primary" type="submit">{t.coordinator.extendButton}</button>
      </Form>
      {others.length > 0 && (
        <Form c={c} action={`/cases/${d.id}/actions/reassign`} gateId={g.id}>
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

export function GateCard({ c, d, g, coordinating }: { c: WebContext; d: CasePageData; g: GateView; coordinating: boolean }) {
  const t = c.get('t');
  const mine = personOf(c).organisationId;
  const myTurn = g.waitingOn.includes(mine);
  const who = g.waitingOn.map((id) => d.orgNames.get(id) ?? id).join(', ');
  return (
    <section class={`card${myTurn ? ' turn' : ''}`} id={`gate-${g.id}`} aria-labelledby={`gate-${g.id}-title`}>
      <h3 id={`gate-${g.id}-title`}>
        {localTitle(t, g.title)} {myTurn && <span class="badge turn">{t.casePage.yourTurn}</span>} {g.stuck && <span class="badge late">{t.overdue(g.daysOverdue)}</span>}
      </h3>
      <p>
        {who && `${t.casePage.waitingFor(who)} · `}
        {t.casePage.due(formatDate(t, g.dueAt))}
        {(g.remindersSent > 0 || g.escalationsSent > 0) && ` · ${t.casePage.reminders(g.remindersSent, g.escalationsSent)}`}
      </p>
      {(g.kind === 'decision' || g.kind === 'task') && myTurn && (g.kind === 'decision' ? <DecisionForms c={c} d={d} g={g} t={t} /> : (
        <Form c={c} action={`/cases/${d.id}/actions/complete`} gateId={g.id}>
          <label for={`${g.id}-note`}>{t.gate.note}</label>
          <textarea id={`${g.id}-note`} name="note" maxlength={2000}>
            {kept(c, 'complete', g.id).note}
          </textarea>
          <button class="primary" type="submit">{t.gate.complete}</button>
        </Form>
      ))}
      {g.kind === 'housing' && <HousingForms c={c} d={d} g={g} t={t} mine={mine} />}
      {g.kind === 'agreement' && <AgreementForms c={c} d={d} g={g} t={t} mine={mine} coordinating={coordinating} />}
      {g.kind === 'checkins' && <CheckinForm c={c} d={d} g={g} t={t} mine={mine} />}
      {coordinating && <CoordinatorForms c={c} d={d} g={g} t={t} />}
    </section>
  );
}
