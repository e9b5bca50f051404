/** Programmes: quota (used, reserved, free), the MoU and who has yet to sign it, pause and resume. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { DoorDeps } from '../usecases/deps.js';
import { listCases } from '../usecases/case-list.js';
import { mouText } from '../usecases/agreement-texts.js';
import { organisationNames } from '../usecases/organisation-names.js';
import { readProgramme } from '../usecases/programme-detail.js';
import { listProgrammes, ProgrammeListQuery, type ProgrammeSummary } from '../usecases/programme-list.js';
import { programmeActionHandler, programmeActionPath, type RefusedStatus } from './actions.js';
import { fieldError, kept, personOf, refusedHere, retried, type WebContext, type WebEnv } from './env.js';
import { ErrorMessage, fieldAria } from './error-summary.js';
import { takeFlash, type Flash } from './flash.js';
import { formatDate } from './dates.js';
import { dateLookups, refusalText } from './refusals.js';
import { Form, Page } from './layout.js';
import { listQuery, Pager } from './list-controls.js';
import { NotFound } from './problems.js';
import { programmeTimeline } from '../usecases/timeline.js';
import { Timeline } from './timeline-list.js';
import { listAlerts } from '../usecases/programme-alerts.js';
import { AlertsSection } from './programme-alerts.js';

function Summary({ c, p, names, pauseReason }: { c: WebContext; p: ProgrammeSummary; names: Map<string, string>; pauseReason?: string }) {
  const t = c.get('t');
  const q = p.quota;
  const mou =
    p.mou.version === 0
      ? t.programmes.mouDraft
      : p.mou.executedAt
        ? t.programmes.mouExecuted(p.mou.version, formatDate(t, p.mou.executedAt))
        : t.programmes.mouPending(p.mou.version, p.mou.unsigned.map((id) => names.get(id) ?? id).join(', '));
  return (
    <dl>
      <dt>{t.programmes.status}</dt>
      <dd>{p.paused ? t.programmes.paused(formatDate(t, p.paused.since), pauseReason) : (t.programmes.statusLabel[p.status] ?? p.status)}</dd>
      <dt>{t.programmes.places}</dt>
      <dd>
        {t.programmes.placesLine(q.used, q.reserved, q.free, q.total)}
        {q.waitlisted > 0 && `; ${t.programmes.waitlisted(q.waitlisted)}`}
      </dd>
      <dt>{t.programmes.mou}</dt>
      <dd>{mou}</dd>
    </dl>
  );
}

export function programmePages(deps: DoorDeps) {
  const { sql } = deps;
  const app = new Hono<WebEnv>();

  app.get('/programmes', async (c) => {
    const t = c.get('t');
    const query = listQuery(c.req.query());
    // The API's list (GET /v1/programmes), fifty a page.
    const { items: rows, nextCursor } = await listProgrammes(sql, personOf(c), ProgrammeListQuery.parse({ limit: 50, ...query }));
    const names = await organisationNames(sql);
    return c.html(
      <Page c={c} title={t.programmes.title} section="programmes" flash={takeFlash(c)}>
        <h1>{t.programmes.title}</h1>
        <p>{t.programmes.intro}</p>
        {rows.length === 0 && <p>{t.programmes.empty}</p>}
        {rows.map((r) => (
          <section class="card" aria-labelledby={`p-${r.id}`}>
            <h2 id={`p-${r.id}`}>
              <a href={`/programmes/${r.id}`}>{r.name}</a>
            </h2>
            {r.summary && <Summary c={c} p={r.summary} names={names} />}
          </section>
        ))}
        <Pager t={t} path="/programmes" query={query} nextCursor={nextCursor} />
      </Page>,
    );
  });

  /** The programme page; after a refused form, with its message and what was typed (in `c`'s draft). */
  async function showProgramme(c: WebContext, id: string, flash: Flash | undefined, status: 200 | RefusedStatus = 200): Promise<Response> {
    const t = c.get('t');
    const person = personOf(c);
    const row = await readProgramme(deps, person, id);
    const { state: p, texts } = row;
    const names = await organisationNames(sql);
    const coordinating = person.role === 'coordinator' && row.coordinatorOrg === person.organisationId;
    // The newest few; the case list, filtered to this programme, has them all (searchable, paged).
    const cases = await listCases(sql, person, { programmeId: id, sort: 'newest', limit: 20 });
    const mou = await mouText(sql, id, p);
    const timeline = await programmeTimeline(sql, person, id, { limit: 200, newestFirst: true });
    const alerts = coordinating ? await listAlerts(sql, person, id) : [];
    const events = timeline.items.map((e) => ({ kind: e.kind, actor: e.actor, reason: e.reason, data: e.data, at: new Date(e.at) }));
    const actorOrgs = new Map(timeline.items.flatMap((e) => (e.by ? [[e.actor, e.by.organisation.name] as const] : [])));
    const timelineNames = {
      actor: (personId: string) => actorOrgs.get(personId) ?? '—',
      organisation: (orgId: string) => timeline.organisations[orgId] ?? names.get(orgId) ?? orgId,
      title: (gateId: string) => gateId,
      stage: (stageId: string) => stageId,
      date: (iso: string) => formatDate(t, iso),
    };
    return c.html(
      <Page c={c} title={row.name} section="programmes" flash={flash}>
        <h1>{row.name}</h1>
        {p && <Summary c={c} p={p} names={names} pauseReason={p.paused ? texts.get(p.paused.reasonRef) : undefined} />}
        {p && p.mou.document && (
          <section aria-labelledby="mou-title">
            <h2 id="mou-title">{t.gate.version(p.mou.version, p.mou.document.title)}</h2>
            {mou?.text && <blockquote>{mou.text}</blockquote>}
            {mou?.url && (
              <p>
                <a href={mou.url}>{mou.url}</a>
              </p>
            )}
          </section>
        )}
        {p && p.mou.version > 0 && p.mou.unsigned.includes(person.organisationId) && (
          <>
            <Form c={c} action={programmeActionPath(id, 'sign_mou')}>
              <input type="hidden" name="version" value={retried(c, 'sign_mou').version ?? String(p.mou.version)} />
              <button class="primary" type="submit">{t.programmes.signMou(Number(retried(c, 'sign_mou').version ?? p.mou.version))}</button>
            </Form>
            <details open={refusedHere(c, ['request_mou_changes'])}>
              <summary>{t.gate.requestChanges}</summary>
              <Form c={c} action={programmeActionPath(id, 'request_mou_changes')}>
                <label for="mou-comment">{t.gate.comment}</label>
                <ErrorMessage t={t} id="mou-comment" message={fieldError(c, 'request_mou_changes', 'comment')} />
                <textarea id="mou-comment" name="comment" required maxlength={2000} {...fieldAria('mou-comment', fieldError(c, 'request_mou_changes', 'comment'))}>
                  {kept(c, 'request_mou_changes').comment}
                </textarea>
                <button class="secondary" type="submit">{t.gate.requestChanges}</button>
              </Form>
            </details>
          </>
        )}
        {coordinating && p && p.status !== 'closed' && (
          <section aria-labelledby="programme-actions">
            <h2 id="programme-actions">{t.coordinator.title}</h2>
            {p.paused ? (
              <Form c={c} action={programmeActionPath(id, 'resume')}>
                <button class="primary" type="submit">{t.programmes.resume}</button>
              </Form>
            ) : p.status !== 'active' ? (
              // Only an active programme can be paused: not offered before its MoU is signed.
              <p class="hint not-now">{t.notNow.line(refusalText(t, { refusal: { code: 'programme-not-active', status: p.status }, detail: '' }, dateLookups(t)))}</p>
            ) : (
              <Form c={c} action={programmeActionPath(id, 'pause')}>
                <h3>{t.programmes.pause}</h3>
                <p class="hint">{t.programmes.pauseHint}</p>
                <label for="pause-reason">{t.gate.reason}</label>
                <ErrorMessage t={t} id="pause-reason" message={fieldError(c, 'pause', 'reason')} />
                <textarea id="pause-reason" name="reason" required maxlength={2000} {...fieldAria('pause-reason', fieldError(c, 'pause', 'reason'))}>
                  {kept(c, 'pause').reason}
                </textarea>
                <button class="danger" type="submit">{t.programmes.pauseButton}</button>
              </Form>
            )}
          </section>
        )}
        {row.changeRequests.length > 0 && (
          <section aria-labelledby="mou-changes">
            <h2 id="mou-changes">{t.programmes.changeRequests}</h2>
            <ul>
              {row.changeRequests.map((r) => (
                <li>
                  <strong>{r.organisation.name}</strong> {`(${t.programmes.changeRequestOn(r.version, formatDate(t, r.at))})`}
                  {r.comment && <p class="report-text">{r.comment}</p>}
                </li>
              ))}
            </ul>
          </section>
        )}
        <h2>{t.programmes.cases}</h2>
        {cases.items.length === 0 ? (
          <p>{t.cases.empty}</p>
        ) : (
          <>
            <ul>
              {cases.items.map((k) => (
                <li>
                  <a href={`/cases/${k.id}`}>{k.reference}</a> <span class="muted">{t.status[k.status] ?? k.status}</span>
                </li>
              ))}
            </ul>
            <p>
              <a href={`/cases?programmeId=${id}`}>{t.programmes.allCases}</a>
              {' · '}
              <a href={`/cases/export.csv?programmeId=${id}`} download>{t.csv.download}</a>
            </p>
          </>
        )}
        {coordinating && (
          <p>
            <a href={`/programmes/${id}/departure-batches`}>{t.departureBatches.link}</a> <span class="muted">{t.departureBatches.linkHint}</span>
          </p>
        )}
        {coordinating && <AlertsSection c={c} t={t} programmeId={id} alerts={alerts} />}
        <h2>{t.casePage.timeline}</h2>
        <Timeline t={t} lang={c.get('lang')} events={events} names={timelineNames} />
      </Page>,
      status,
    );
  }

  app.get('/programmes/:id', (c) => {
    const id = c.req.param('id');
    return z.uuid().safeParse(id).success ? showProgramme(c, id, takeFlash(c)) : NotFound(c);
  });
  app.post('/programmes/:id/actions/:type', programmeActionHandler(deps, showProgramme));
  return app;
}
