/**
 * The coordinators' board: whose turn is it, since when. Overdue steps (longest overdue first),
 * filtered and counted by the party they wait on, programme, pathway, kind of step and age, a page
 * at a time; steps failing on our side; cases that do not move for another reason — with a warning
 * when Temporal or every worker is away.
 */
import { Hono } from 'hono';
import type { DoorDeps } from '../usecases/deps.js';
import { GATE_KINDS } from '../domain/pathway.js';
import { BoardQuery, OVERDUE_FOR, stuckBoardFor, type StuckBoard } from '../usecases/board.js';
import { personOf, type WebEnv } from './env.js';
import { takeFlash } from './flash.js';
import { formatDate } from './dates.js';
import { localTitle, type Messages } from './i18n/index.js';
import { Page, Table } from './layout.js';
import { Choice, Facets, FilterForm, listQuery, Pager, rememberedList, withQuery } from './list-controls.js';
import { Forbidden } from './problems.js';
import { ListTools } from './saved-views.js';

/** Overdue at least this many days, for each age bucket a facet link narrows to. */
const AGE_DAYS: Record<(typeof OVERDUE_FOR)[number], string | undefined> = { 'under-a-week': undefined, '1-4-weeks': '7', 'over-4-weeks': '28' };

function WhoseTurn(props: { t: Messages; board: StuckBoard; query: Record<string, string> }) {
  const { t, board, query } = props;
  const link = (change: Record<string, string | undefined>) => withQuery('/board', query, change);
  const g = board.groups;
  return (
    <section aria-labelledby="whose-turn">
      <h2 id="whose-turn">{t.board.whoseTurn}</h2>
      <Facets label={t.board.party} current={query.waitingOn} items={g.party.map((p) => ({ value: p.id, text: p.name, count: p.count, href: link({ waitingOn: p.id, partyKind: undefined }) }))} />
      <Facets label={t.board.partyKind} current={query.partyKind} items={g.partyKind.map((k) => ({ value: k.kind, text: t.organisationKinds[k.kind] ?? k.kind, count: k.count, href: link({ partyKind: k.kind, waitingOn: undefined }) }))} />
      <Facets label={t.board.programme} current={query.programmeId} items={g.programme.map((p) => ({ value: p.id ?? '', text: p.name ?? t.board.noProgramme, count: p.count, href: link({ programmeId: p.id ?? undefined }) }))} />
      <Facets label={t.board.pathway} current={query.pathwayId} items={g.pathway.map((p) => ({ value: p.id, text: localTitle(t, p.name), count: p.count, href: link({ pathwayId: p.id }) }))} />
      <Facets label={t.board.gateKind} current={query.gateKind} items={g.gateKind.map((k) => ({ value: k.kind, text: t.gateKinds[k.kind] ?? k.kind, count: k.count, href: link({ gateKind: k.kind }) }))} />
      <Facets label={t.board.overdueFor} current={undefined} items={g.overdueFor.filter((a) => a.count > 0).map((a) => ({ value: a.bucket, text: t.board.ages[a.bucket] ?? a.bucket, count: a.count, href: link({ overdueDays: AGE_DAYS[a.bucket] }) }))} />
    </section>
  );
}

/** A large board's counts may be a few seconds old (usecases/board-counts.ts): the page says so. */
const countedSecondsAgo = (countedAt: string) => Math.round((Date.now() - Date.parse(countedAt)) / 1000);

export function boardPage(deps: DoorDeps) {
  const app = new Hono<WebEnv>();
  app.get('/board', async (c) => {
    const t = c.get('t');
    const person = personOf(c);
    if (person.role !== 'coordinator') return Forbidden(c);
    const remembered = rememberedList(c, 'board', listQuery(c.req.query()));
    if ('redirect' in remembered) return c.redirect(remembered.redirect, 303);
    const { query } = remembered;
    const board = await stuckBoardFor(deps, person, BoardQuery.parse(query));
    const overdue = board.overdue;
    return c.html(
      <Page c={c} title={t.board.title} section="board" flash={takeFlash(c)}>
        <h1 id="board-title">{t.board.title}</h1>
        {board.system.temporal === 'down' && <p class="flash error" role="alert">{t.board.temporalDown}</p>}
        {board.system.workers === 0 && <p class="flash error" role="alert">{t.board.noWorker}</p>}
        <p>{t.board.intro}</p>
        <FilterForm t={t} action="/board" label={t.lists.filters}>
          <Choice t={t} name="waitingOn" label={t.board.party} value={query.waitingOn} options={board.groups.party.map((p) => [p.id, p.name])} />
          <Choice t={t} name="partyKind" label={t.board.partyKind} value={query.partyKind} options={Object.entries(t.organisationKinds)} />
          <Choice t={t} name="programmeId" label={t.board.programme} value={query.programmeId} options={board.groups.programme.filter((p) => p.id).map((p) => [p.id!, p.name ?? p.id!])} />
          <Choice t={t} name="gateKind" label={t.board.gateKind} value={query.gateKind} options={GATE_KINDS.map((k) => [k, t.gateKinds[k] ?? k])} />
          <div class="field">
            <label for="filter-overdueDays">{t.board.overdueDays}</label>
            <input type="number" id="filter-overdueDays" name="overdueDays" min="0" max="3650" inputmode="numeric" value={query.overdueDays ?? ''} />
          </div>
          {query.pathwayId && <input type="hidden" name="pathwayId" value={query.pathwayId} />}
        </FilterForm>
        <ListTools c={c} sql={deps.sql} list="board" query={query} />
        <WhoseTurn t={t} board={board} query={query} />
        <h2 id="overdue-title">{t.board.total(overdue.total)}</h2>
        {countedSecondsAgo(overdue.countedAt) > 1 && <p>{t.board.countedAt(countedSecondsAgo(overdue.countedAt))}</p>}
        {overdue.items.length === 0 ? (
          <p>{Object.keys(query).length ? t.board.noMatch : t.board.empty}</p>
        ) : (
          <Table labelledBy="overdue-title" headers={[t.cases.reference, t.board.step, t.cases.waitingOn, t.board.daysOverdue, t.cases.due, t.board.chased]}>
            {overdue.items.map((o) => (
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
        <Pager t={t} path="/board" query={query} nextCursor={overdue.nextCursor} />
        <h2 id="reopened-title">{t.board.reopenedTitle}</h2>
        <p>{t.board.reopenedIntro}</p>
        {board.reopened.length === 0 ? (
          <p>{t.board.noneReopened}</p>
        ) : (
          <Table labelledBy="reopened-title" headers={[t.cases.reference, t.board.step, t.cases.waitingOn, t.board.since, t.cases.due]}>
            {board.reopened.map((r) => (
              <tr>
                <td data-label={t.cases.reference}>
                  <a href={`/cases/${r.caseId}#gate-${r.gateId}`}>{r.reference}</a>
                </td>
                <td data-label={t.board.step}>{t.board.reopenedWhy[r.reason](localTitle(t, r.title))}</td>
                <td data-label={t.cases.waitingOn}>{r.waitingOn.map((w) => w.name).join(', ') || t.cases.nobody}</td>
                <td data-label={t.board.since}>{formatDate(t, r.since, true)}</td>
                <td data-label={t.cases.due}>{formatDate(t, r.dueAt, true)}</td>
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
