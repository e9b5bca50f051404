/**
 * A check-ins step: how many reports are in (with a link to read them, for those who may), when the
 * next one can be sent and is due, and its form once it may be submitted.
 */
import { CHECKIN_EARLY_WINDOW_MS } from '../../domain/case-actions.js';
import { caseActionPath } from '../actions.js';
import { formatDate } from '../dates.js';
import { ErrorMessage, fieldAria } from '../error-summary.js';
import { fieldError, kept, retried } from '../env.js';
import { Form } from '../layout.js';
import type { GateFormProps } from './fields.js';
import { caseRefusalNow, NotNow } from './not-now.js';

interface Reports { endsAt: string; reports: { index: number; dueAt: string; submittedAt: string | null }[] }

export function CheckinForm({ c, d, g, t, mine, coordinating }: GateFormProps & { mine: string; coordinating: boolean }) {
  const r = g.detail as unknown as Reports;
  const done = r.reports.filter((x) => x.submittedAt).length;
  const next = r.reports.find((x) => !x.submittedAt);
  const openFrom = next ? Date.parse(next.dueAt) - CHECKIN_EARLY_WINDOW_MS : Infinity;
  const myReport = next && g.assignee === mine;
  // Sent again after an unknown outcome: the report it was sent as, even if the case moved on since.
  const index = Number(retried(c, 'submit_checkin', g.id).reportIndex ?? next?.index);
  const refused =
    caseRefusalNow(d) ?? (myReport && openFrom > Date.now() ? { code: 'checkin-too-early' as const, reportIndex: next.index, dueAt: next.dueAt, openFrom: new Date(openFrom).toISOString() } : undefined);
  const mayRead = coordinating || g.assignee === mine;
  return (
    <>
      <p>
        {t.gate.reports(done, r.reports.length)}
        {mayRead && done > 0 && (
          <>
            {' '}
            <a href={`/cases/${d.id}/reports`}>{t.reports.link(done)}</a>
          </>
        )}
      </p>
      {/* Not yet anyone's turn: when the report can be sent, and the one date it is due by. */}
      {next && !g.turn && <p>{t.todo.reportUpcoming(next.index + 1, r.reports.length, formatDate(t, new Date(openFrom).toISOString()), formatDate(t, g.dueAt))}</p>}
      {myReport && refused && refused.code !== 'checkin-too-early' && <NotNow t={t} d={d} refusal={refused} />}
      {myReport && !refused && (
        <Form c={c} action={caseActionPath(d.id, 'submit_checkin')} gateId={g.id}>
          <input type="hidden" name="reportIndex" value={String(index)} />
          <label for={`${g.id}-report`}>{t.gate.checkin(index + 1)}</label>
          <ErrorMessage t={t} id={`${g.id}-report`} message={fieldError(c, 'submit_checkin', 'report', g.id)} />
          <textarea id={`${g.id}-report`} name="report" required maxlength={20000} {...fieldAria(`${g.id}-report`, fieldError(c, 'submit_checkin', 'report', g.id))}>
            {kept(c, 'submit_checkin', g.id).report}
          </textarea>
          <button class="primary" type="submit">{t.gate.submitReport}</button>
        </Form>
      )}
    </>
  );
}
