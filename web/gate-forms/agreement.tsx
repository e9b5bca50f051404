/**
 * An agreement step: the version being signed and who has signed it; for a signatory, sign it or ask
 * for changes; for the coordinator, publish a (new) version.
 */
import { caseActionPath } from '../actions.js';
import { casePdfPath } from '../attachments.js';
import { formatDate } from '../dates.js';
import { ErrorMessage, fieldAria } from '../error-summary.js';
import { fieldError, kept, refusedHere, retried } from '../env.js';
import { Form } from '../layout.js';
import type { GateFormProps } from './fields.js';
import { caseRefusalNow, NotNow } from './not-now.js';

interface Agreement { version: number; document: { title: string; contentHash: string; url?: string } | null; signatories: string[]; unsigned: string[]; executedAt: string | null }

function PublishForm({ c, d, g, t }: GateFormProps) {
  const f = kept(c, 'publish_agreement', g.id);
  return (
    <Form c={c} action={caseActionPath(d.id, 'publish_agreement')} gateId={g.id}>
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

export function AgreementForms({ c, d, g, t, mine, coordinating }: GateFormProps & { mine: string; coordinating: boolean }) {
  const a = g.detail as unknown as Agreement;
  const names = (ids: string[]) => ids.map((id) => d.orgNames.get(id) ?? id).join(', ');
  const refused = caseRefusalNow(d);
  const mayAct = a.unsigned.includes(mine) || (a.signatories.includes(mine) && !a.executedAt) || coordinating;
  if (a.version === 0) return coordinating ? refused ? <NotNow t={t} d={d} refusal={refused} /> : <PublishForm c={c} d={d} g={g} t={t} /> : null;
  const text = a.document ? d.documents.get(a.document.contentHash) : undefined;
  const signed = a.signatories.filter((s) => !a.unsigned.includes(s));
  // Sent again after an unknown outcome: the version it was sent for, so the retry is the same request.
  const signing = Number(retried(c, 'sign', g.id).version ?? a.version);
  return (
    <>
      <h4>{t.gate.version(a.version, a.document?.title ?? '')}</h4>
      {text?.body && <blockquote>{text.body}</blockquote>}
      {text?.url && <p><a href={text.url}>{text.url}</a></p>}
      {text && <p><a href={casePdfPath(d.id, g.id)}>{t.documents.downloadPdf}</a></p>}
      {signed.length > 0 && <p>{`${t.gate.signed}: ${names(signed)}`}</p>}
      {a.unsigned.length > 0 && <p>{`${t.gate.unsigned}: ${names(a.unsigned)}`}</p>}
      {a.executedAt && <p>{t.gate.executed(formatDate(t, a.executedAt))}</p>}
      {refused && mayAct && <NotNow t={t} d={d} refusal={refused} />}
      {!refused && a.unsigned.includes(mine) && (
        <Form c={c} action={caseActionPath(d.id, 'sign')} gateId={g.id}>
          <input type="hidden" name="version" value={String(signing)} />
          <button class="primary" type="submit">{t.gate.sign(signing)}</button>
        </Form>
      )}
      {!refused && a.signatories.includes(mine) && !a.executedAt && (
        <details open={refusedHere(c, ['request_changes'], g.id)}>
          <summary>{t.gate.requestChanges}</summary>
          <Form c={c} action={caseActionPath(d.id, 'request_changes')} gateId={g.id}>
            <label for={`${g.id}-comment`}>{t.gate.comment}</label>
            <ErrorMessage t={t} id={`${g.id}-comment`} message={fieldError(c, 'request_changes', 'comment', g.id)} />
            <textarea id={`${g.id}-comment`} name="comment" required maxlength={2000} {...fieldAria(`${g.id}-comment`, fieldError(c, 'request_changes', 'comment', g.id))}>
              {kept(c, 'request_changes', g.id).comment}
            </textarea>
            <button class="secondary" type="submit">{t.gate.requestChanges}</button>
          </Form>
        </details>
      )}
      {!refused && coordinating && (
        <details open={refusedHere(c, ['publish_agreement'], g.id)}>
          <summary>{t.gate.publish}</summary>
          <PublishForm c={c} d={d} g={g} t={t} />
        </details>
      )}
    </>
  );
}
