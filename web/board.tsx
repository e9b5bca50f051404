/**
 * The coordinators' board: overdue steps (longest overdue first), steps failing on our side, and
 * cases that do not move for another reason — with a warning when Temporal or every worker is away.
 */
import { Hono } from 'hono';
import type { ApiDeps } from '../api/deps.js';
import { stuckBoardFor } from '../usecases/board.js';
import { personOf, type WebEnv } from './env.js';
import { takeFlash } from './flash.js';
import { formatDate } from './dates.js';
import { localTitle } from './i18n.js';
import { Page, Table } from './layout.js';
import { Forbidden } from './problems.js';

export function boardPage(deps: ApiDeps) {
  const app = new Hono<WebEnv>();
  app.get('/board', async (c) => {
    const t = c.get('t');
    const person = personOf(c);
    if (person.role !== 'coordinator') return Forbidden(c);
    const board = await stuckBoardFor(deps, person);
    return c.html(
      <Page c={c} title={t.board.title} section="board" flash={takeFlash(c)}>
        <h1>{t.board.title}</h1>
        {board.system.temporal === 'down' && <p class="flash error" role="alert">{t.board.temporalDown}</p>}
        {board.system.workers === 0 && <p class="flash error" role="alert">{t.board.noWorker}</p>}
        <p>{t.board.intro}</p>
        {board.overdue.length === 0 ? (
          <p>{t.board.empty}</p>
        ) : (
          <Table label={t.board.title} headers={[t.cases.reference, t.board.step, t.cases.waitingOn, t.board.daysOverdue, t.cases.due, t.board.chased]}>
            {board.overdue.map((o) => (
              <tr>
                <td data-label={t.cases.reference}>
                  <a href={`/cases/${o.caseId}#gate-${o.gateId}`}>{o.reference}</a>
                </td>
                <td data-label={t.board.step}>{localTitle(t, o.title)}</td>
                <td data-label={t.cases.waitingOn}>{o.waitingOn.map((w) => w.name).join(', ') || t.cases.nobody}</td>
                <td data-label={t.board.daysOverdue}>{o.daysOverdue}</td>
                <td data-label={t.cases.due}>{formatDate(t, o.dueAt, true)}</td>
                <td data-label={t.board.chased}>{`${o.remindersSent} / ${o.escalationsSent}`}</td>
              </tr>
            ))}
          </Table>
        )}
        <h2>{t.board.notMoving}</h2>
        <p>{t.board.notMovingIntro}</p>
        {board.notMoving.length === 0 ? (
          <p>{t.board.noneNotMoving}</p>
        ) : (
          <Table label={t.board.notMoving} headers={[t.cases.reference, t.board.reason, t.board.since]}>
            {board.notMoving.map((n) => (
              <tr>
                <td data-label={t.cases.reference}>
                  <a href={`/cases/${n.caseId}`}>{n.reference}</a>
                </td>
                <td data-label={t.board.reason}>{t.board.why[n.reason] ?? n.reason}</td>
                <td data-label={t.board.since}>{n.since ? formatDate(t, n.since, true) : '—'}</td>
              </tr>
            ))}
          </Table>
        )}
        <h2>{t.board.failures}</h2>
        <p>{t.board.failuresIntro}</p>
        {board.failing.length === 0 ? (
          <p>{t.board.noFailures}</p>
        ) : (
          <Table label={t.board.failures} headers={[t.cases.reference, t.board.step, t.board.attempt, t.board.lastError, t.board.since]}>
            {board.failing.map((f) => (
              <tr>
                <td data-label={t.cases.reference}>
                  <a href={`/cases/${f.caseId}`}>{f.reference}</a>
                </td>
                <td data-label={t.board.step}>{f.step}</td>
                <td data-label={t.board.attempt}>{f.attempt}</td>
                <td data-label={t.board.lastError}>{f.lastFailure ?? '—'}</td>
                <td data-label={t.board.since}>{f.since ? formatDate(t, f.since, true) : '—'}</td>
              </tr>
            ))}
          </Table>
        )}
      </Page>,
    );
  });
  return app;
}
