/** A check-ins step: how many reports are in, and the next one's form once it may be submitted. */
import { CHECKIN_EARLY_WINDOW_MS } from '../../domain/case-actions.js';
import { caseActionPath } from '../actions.js';
import { formatDate } from '../dates.js';
import { kept, retried } from '../env.js';
import { Form } from '../layout.js';
import type { GateFormProps } from './fields.js';
import { caseRefusalNow, NotNow } from './not-now.js';

interface Reports { endsAt: string; reports: { index: number; dueAt: string; submittedAt: string | null }[] }

export function CheckinForm({ c, d, g, t, mine }: GateFormProps & { mine: string }) {
  const r = g.detail as unknown as Reports;
  const done = r.reports.filter((x) => x.submittedAt).length;
  const next = r.reports.find((x) => !x.submittedAt);
  const openFrom = next ? Date.parse(next.dueAt) - CHECKIN_EARLY_WINDOW_MS : Infinity;
  const myReport = next && g.assignee === mine;
  // Sent again after an unknown outcome: the report it was sent as, even if the case moved on since.
  const index = Number(retried(c, 'submit_checkin', g.id).reportIndex ?? next?.index);
  const refused =
    caseRefusalNow(d) ?? (myReport && openFrom > Date.now() ? { code: 'checkin-too-early' as const, reportIndex: next.index, dueAt: next.dueAt, openFrom: new Date(openFrom).toISOString() } : undefined);
  return (
    <>
      <p>{t.gate.reports(done, r.reports.length)}</p>
      {myReport && refused && <NotNow t={t} d={d} refusal={refused} />}
      {myReport && !refused && (
        <Form c={c} action={caseActionPath(d.id, 'submit_checkin')} gateId={g.id}>
          <input type="hidden" name="reportIndex" value={String(index)} />
          <label for={`${g.id}-report`}>{t.gate.checkin(index + 1)}</label>
          <textarea id={`${g.id}-report`} name="report" required maxlength={20000}>
            {kept(c, 'submit_checkin', g.id).report}
          </textarea>
          <button class="primary" type="submit">{t.gate.submitReport}</button>
        </Form>
      )}
      {next && !myReport && openFrom > Date.now() && <p class="muted">{`${t.gate.checkin(next.index + 1)}: ${formatDate(t, next.dueAt)}`}</p>}
    </>
  );
}
