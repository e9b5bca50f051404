/**
 * A match step: the coordinator proposes the case to a shortlist of organisations of the kind the
 * match fills (a sponsor group, a university, a host municipality), asked one at a time; the one
 * asked now takes the case or declines it with a reason (both asked first on the confirm page:
 * neither can be undone). The case's parties see every proposal so far; a candidate, who is no
 * party yet, only its own (usecases/match.ts narrows the state it reads the same way).
 */
import { caseActionPath } from '../actions.js';
import { formatDate } from '../dates.js';
import { ErrorMessage, fieldAria } from '../error-summary.js';
import { fieldError, kept, refusedHere } from '../env.js';
import { Form } from '../layout.js';
import { Reason, type GateFormProps } from './fields.js';
import { caseRefusalNow, NotNow } from './not-now.js';

interface Proposal { organisationId: string; proposedAt: string; answerBy: string; status: string; reasonRef: string | null; answeredAt: string | null }
interface MatchDetail { fills: string; shortlist: string[]; proposals: Proposal[]; declines: number }

/** How many choices the shortlist form offers (the API takes up to ten). */
const CHOICES = 5;

export function MatchForms({ c, d, g, t, mine, coordinating }: GateFormProps & { mine: string; coordinating: boolean }) {
  const detail = g.detail as unknown as MatchDetail;
  const name = (id: string) => d.orgNames.get(id) ?? id;
  const open = detail.proposals.find((p) => p.status === 'open');
  const asked = open?.organisationId === mine;
  const held = caseRefusalNow(d);
  // A proposal past its date lapses at the workflow's next look: it is not offered for an answer.
  const lapsed = asked && Date.parse(open.answerBy) <= Date.now() ? { code: 'match-proposal-lapsed' as const, lapsedAt: open.answerBy } : undefined;
  const refused = held ?? lapsed;
  const proposing = coordinating && g.turn?.todo === 'propose-match';
  return (
    <>
      <h4>{t.match.proposals}</h4>
      {detail.proposals.length === 0 ? (
        <p>{t.match.noProposals}</p>
      ) : (
        <ul>
          {detail.proposals.map((p) => (
            <li>
              {t.match.proposal(name(p.organisationId), formatDate(t, p.proposedAt), formatDate(t, p.answerBy), t.match.status[p.status] ?? p.status)}
              {p.answeredAt && ` ${t.match.answered(formatDate(t, p.answeredAt))}`}
              {p.reasonRef && d.texts.get(p.reasonRef) && ` ${t.match.reason(d.texts.get(p.reasonRef)!)}`}
            </li>
          ))}
        </ul>
      )}
      {detail.shortlist.length > 0 && <p>{t.match.stillToAsk(detail.shortlist.map(name).join(', '))}</p>}
      {proposing && detail.proposals.length > 0 && <p class="notice">{t.match.nobodyTook}</p>}
      {refused && (asked || proposing) && <NotNow t={t} d={d} refusal={refused} />}
      {!refused && proposing && <ShortlistForm c={c} d={d} g={g} t={t} fills={detail.fills} />}
      {!refused && asked && (
        <>
          <p>{t.match.proposedToYou(formatDate(t, open.answerBy))}</p>
          <Form c={c} action={caseActionPath(d.id, 'accept_match')} gateId={g.id}>
            <button class="primary" type="submit">{t.match.accept}</button>
          </Form>
          <details open={refusedHere(c, ['decline_match'], g.id)}>
            <summary>{t.match.decline}</summary>
            <Form c={c} action={caseActionPath(d.id, 'decline_match')} gateId={g.id}>
              <Reason id={`${g.id}-decline-match`} label={t.match.declineReason} value={kept(c, 'decline_match', g.id).reason} error={{ t, message: fieldError(c, 'decline_match', 'reason', g.id) }} />
              <button class="danger" type="submit">{t.match.decline}</button>
            </Form>
          </details>
        </>
      )}
    </>
  );
}

/** The coordinator's shortlist: organisations of the kind the match fills, in the order to ask them. */
function ShortlistForm({ c, d, g, t, fills }: GateFormProps & { fills: string }) {
  const kind = d.slotKinds.get(fills) ?? '';
  const kindName = t.organisationKinds[kind] ?? kind;
  const choices = d.orgsByKind.get(kind) ?? [];
  if (choices.length === 0) return <p class="hint">{t.match.nobodyOfKind(kindName)}</p>;
  const f = kept(c, 'propose_match', g.id);
  const error = fieldError(c, 'propose_match', 'candidates', g.id);
  const hint = `${g.id}-shortlist-hint`;
  return (
    <Form c={c} action={caseActionPath(d.id, 'propose_match')} gateId={g.id}>
      <fieldset>
        <legend>{t.match.shortlistTitle}</legend>
        <p class="hint" id={hint}>{t.match.shortlistHint(kindName)}</p>
        <ErrorMessage t={t} id={`${g.id}-candidate-1`} message={error} />
        {Array.from({ length: Math.min(CHOICES, choices.length) }, (_, i) => {
          const id = `${g.id}-candidate-${i + 1}`;
          const selected = f[`candidate-${i + 1}`];
          return (
            <div class="field">
              <label for={id}>{t.match.choice(i + 1)}</label>
              <select id={id} name={`candidate-${i + 1}`} required={i === 0} {...(i === 0 ? fieldAria(id, error, hint) : {})}>
                <option value="">{t.match.pick}</option>
                {choices.map((o) => (
                  <option value={o.id} selected={o.id === selected}>{o.name}</option>
                ))}
              </select>
            </div>
          );
        })}
      </fieldset>
      <button class="primary" type="submit">{t.match.propose}</button>
    </Form>
  );
}
