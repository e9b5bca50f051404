/** "Waiting on us": every step that waits on the person's organisation, soonest due first, a page at a time; and the MoUs to sign. */
import { Hono } from 'hono';
import type { DoorDeps } from '../usecases/deps.js';
import { InboxQuery, inboxFor } from '../usecases/inbox.js';
import { personOf, type WebEnv } from './env.js';
import { takeFlash } from './flash.js';
import { formatDate } from './dates.js';
import { localTitle } from './i18n/index.js';
import { Page, Table } from './layout.js';
import { listQuery, Pager } from './list-controls.js';
import { todoText } from './todo.js';

const DAY = 86_400_000;

export function inboxPage({ sql }: DoorDeps) {
  const app = new Hono<WebEnv>();
  app.get('/inbox', async (c) => {
    const t = c.get('t');
    const query = listQuery(c.req.query());
    const inbox = await inboxFor(sql, personOf(c), InboxQuery.parse(query));
    const empty = inbox.items.length === 0 && inbox.programmes.length === 0;
    return c.html(
      <Page c={c} title={t.inbox.title} section="inbox" flash={takeFlash(c)}>
        <h1 id="inbox-title">{t.inbox.title}</h1>
        <p>{t.inbox.intro}</p>
        {empty && <p>{t.inbox.empty}</p>}
        {inbox.programmes.length > 0 && (
          <>
            <h2 id="inbox-mou">{t.inbox.agreements}</h2>
            <Table labelledBy="inbox-mou" headers={[t.board.programme, t.inbox.what, t.cases.due]}>
              {inbox.programmes.map((p) => (
                <tr>
                  <td data-label={t.board.programme}>
                    <a href={`/programmes/${p.programmeId}`}>{p.name}</a>
                  </td>
                  <td data-label={t.inbox.what}>{`${t.inbox.mou} (v${p.version})`}</td>
                  <td data-label={t.cases.due}>{p.dueAt ? formatDate(t, p.dueAt) : '—'}</td>
                </tr>
              ))}
            </Table>
          </>
        )}
        {inbox.items.length > 0 && (
          <Table labelledBy="inbox-title" headers={[t.cases.reference, t.inbox.what, t.cases.due]}>
            {inbox.items.map((i) => (
              <tr>
                <td data-label={t.cases.reference}>
                  <a href={`/cases/${i.caseId}#gate-${i.gateId}`}>{i.reference}</a>
                </td>
                <td data-label={t.inbox.what}>
                  {todoText(t, { todo: i.todo, params: i.todoParams, title: i.title })} {i.todo && <span class="muted">{`(${localTitle(t, i.title)})`}</span>}{' '}
                  {i.onHold && <span class="badge">{t.onHold[i.onHold]}</span>}
                </td>
                <td data-label={t.cases.due}>
                  {formatDate(t, i.dueAt)} {i.stuck && <span class="badge late">{t.overdue(Math.floor((Date.now() - Date.parse(i.dueAt)) / DAY))}</span>}
                </td>
              </tr>
            ))}
          </Table>
        )}
        <Pager t={t} path="/inbox" query={query} nextCursor={inbox.nextCursor} />
      </Page>,
    );
  });
  return app;
}
