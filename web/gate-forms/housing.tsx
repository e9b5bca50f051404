/**
 * A housing step: its offers so far; for the municipality it waits on, a form to offer housing or
 * to say there is none; for whoever answers an open offer, accept or decline it; once the
 * municipality said it has none, the coordinator's form to give the step to another one.
 */
import { caseActionPath } from '../actions.js';
import { formatDate, localDay } from '../dates.js';
import { fieldError, kept, refusedHere } from '../env.js';
import { Form } from '../layout.js';
import { ReassignForm } from './coordinator.js';
import { Reason, type GateFormProps } from './fields.js';
import { caseRefusalNow, NotNow } from './not-now.js';

interface Offer { offerId: string; rooms: number; accessible: boolean; availableFrom: string; validUntil: string; status: string }
interface HousingDetail { respondent: string; offers: Offer[]; lastCapacityDecline: { reasonRef: string; at: string } | null }

export function HousingForms({ c, d, g, t, mine, coordinating }: GateFormProps & { mine: string; coordinating: boolean }) {
  const detail = g.detail as unknown as HousingDetail;
  const open = detail.offers.find((o) => o.status === 'open');
  const answering = open && detail.respondent === mine;
  const declined = g.turn?.todo === 'choose-another' ? { by: g.turn.declinedBy, at: detail.lastCapacityDecline?.at ?? g.openedAt, reason: d.texts.get(detail.lastCapacityDecline?.reasonRef ?? '') } : undefined;
  // The municipality that said it has no room may still offer housing, but it is no longer its turn.
  const offering = !open && (declined ? declined.by === mine : g.waitingOn.includes(mine));
  // An open offer past its date lapses at the workflow's next look: it is not offered for an answer.
  const refused = caseRefusalNow(d) ?? (answering && Date.parse(open.validUntil) <= Date.now() ? { code: 'offer-lapsed' as const, offerId: open.offerId, lapsedAt: open.validUntil } : undefined);
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
      {declined && coordinating && (
        <>
          <p class="notice">{`${t.todo.declined(d.orgNames.get(declined.by) ?? declined.by, formatDate(t, declined.at))}${declined.reason ? ` (${declined.reason})` : ''}`}</p>
          <ReassignForm c={c} d={d} g={g} t={t} />
        </>
      )}
      {declined?.by === mine && <p>{t.todo.declinedByYou(formatDate(t, declined.at))}</p>}
      {refused && (answering || offering) && <NotNow t={t} d={d} refusal={refused} />}
      {!refused && answering && (
        <>
          <Form c={c} action={caseActionPath(d.id, 'accept_offer')} gateId={g.id}>
            <input type="hidden" name="offerId" value={open.offerId} />
            <button class="primary" type="submit">{t.gate.accept}</button>
          </Form>
          <details open={refusedHere(c, ['decline_offer'], g.id)}>
            <summary>{t.gate.decline}</summary>
            <Form c={c} action={caseActionPath(d.id, 'decline_offer')} gateId={g.id}>
              <input type="hidden" name="offerId" value={open.offerId} />
              <Reason id={`${g.id}-decline-offer`} label={t.gate.declineReason} value={kept(c, 'decline_offer', g.id).reason} error={{ t, message: fieldError(c, 'decline_offer', 'reason', g.id) }} />
              <button class="danger" type="submit">{t.gate.decline}</button>
            </Form>
          </details>
        </>
      )}
      {!refused && offering && declined && (
        <details open={refusedHere(c, ['offer_housing'], g.id)}>
          <summary>{t.todo.offerAfterAll}</summary>
          <OfferForm c={c} d={d} g={g} t={t} />
        </details>
      )}
      {!refused && offering && !declined && (
        <>
          <OfferForm c={c} d={d} g={g} t={t} />
          <details open={refusedHere(c, ['decline_housing_request'], g.id)}>
            <summary>{t.gate.declineRequest}</summary>
            <Form c={c} action={caseActionPath(d.id, 'decline_housing_request')} gateId={g.id}>
              <Reason id={`${g.id}-decline-request`} label={t.gate.reason} value={kept(c, 'decline_housing_request', g.id).reason} error={{ t, message: fieldError(c, 'decline_housing_request', 'reason', g.id) }} />
              <button class="danger" type="submit">{t.gate.declineRequestButton}</button>
            </Form>
          </details>
        </>
      )}
    </>
  );
}

function OfferForm({ c, d, g, t }: GateFormProps) {
  const f = kept(c, 'offer_housing', g.id);
  return (
    <Form c={c} action={caseActionPath(d.id, 'offer_housing')} gateId={g.id}>
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
  );
}
