/** "Waiting on us": every step that waits on the person's organisation, soonest due first. */
import { Hono } from 'hono';
import { inboxFor } from '../usecases/board.js';
import type { ApiDeps } from '../api/deps.js';
import { personOf, type WebEnv } from './env.js';
import { takeFlash } from './flash.js';
import { formatDate } from './dates.js';
import { localTitle } from './i18n.js';
import { Page, Table } from './layout.js';

export function inboxPage({ sql }: ApiDeps) {
  const app = new Hono<WebEnv>();
  app.get('/inbox', async (c) => {
    const t = c.get('t');
    const items = await inboxFor(sql, personOf(c));
    return c.html(
      <Page c={c} title={t.inbox.title} section="inbox" flash={takeFlash(c)}>
        <h1 id="inbox-title">{t.inbox.title}</h1>
        <p>{t.inbox.intro}</p>
        {items.length === 0 ? (
          <p>{t.inbox.empty}</p>
        ) : (
          <Table labelledBy="inbox-title" headers={[t.cases.reference, t.inbox.what, t.cases.due]}>
            {items.map((i) => (
              <tr>
                <td data-label={t.cases.reference}>
                  <a href={i.kind === 'case' ? `/cases/${i.id}#gate-${i.gateId}` : `/programmes/${i.id}`}>{i.reference}</a>
                </td>
                <td data-label={t.inbox.what}>{i.kind === 'programme' ? t.inbox.mou : localTitle(t, i.title)}</td>
                <td data-label={t.cases.due}>
                  {i.dueAt ? formatDate(t, i.dueAt) : '—'} {i.stuck && <span class="badge late">{t.overdue(Math.floor((Date.now() - Date.parse(i.dueAt!)) / 86_400_000))}</span>}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Page>,
    );
  });
  return app;
}
