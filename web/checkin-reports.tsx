/**
 * The sent check-in reports of a case, on a page of their own: a report is personal data, so it is
 * read (and the read recorded) only when someone entitled opens this page, not with every view of
 * the case. Who may read them: usecases/checkin-reports.ts.
 */
import { Hono } from 'hono';
import { caseReports } from '../usecases/checkin-reports.js';
import type { DoorDeps } from '../usecases/deps.js';
import { formatDate } from './dates.js';
import { personOf, type WebEnv } from './env.js';
import { Page } from './layout.js';

export function checkinReportPages(deps: DoorDeps) {
  const app = new Hono<WebEnv>();
  app.get('/cases/:id/reports', async (c) => {
    const t = c.get('t');
    const id = c.req.param('id');
    const { reference, items } = await caseReports(deps, personOf(c), id, 'web');
    return c.html(
      <Page c={c} title={`${t.reports.title} · ${reference}`} section="cases">
        <p>
          <a href={`/cases/${id}`}>{t.reports.back(reference)}</a>
        </p>
        <h1>{t.reports.title}</h1>
        <p class="hint">{t.reports.intro}</p>
        {items.length === 0 && <p>{t.reports.none}</p>}
        {items.map((r) => (
          <section aria-labelledby={`report-${r.gateId}-${r.number}`}>
            <h2 id={`report-${r.gateId}-${r.number}`}>{t.reports.heading(r.number, r.of)}</h2>
            <p class="hint">{t.reports.sent(formatDate(t, r.submittedAt), r.by.name)}</p>
            <p class="report-text">{r.text}</p>
          </section>
        ))}
      </Page>,
    );
  });
  return app;
}
