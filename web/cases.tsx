/** "Cases": every case the person's organisation takes part in, and one case's page. */
import { Hono } from 'hono';
import { z } from 'zod';
import { CASE_SORTS, CASE_STATUSES, CaseListQuery, listCases, ON_HOLD, type CaseListItem } from '../usecases/case-list.js';
import type { Deps } from '../usecases/deps.js';
import { organisationNames } from '../usecases/organisation-names.js';
import { dueToMeet, type CaseView } from '../domain/case-view.js';
import { caseActionHandler, caseActionPath } from './actions.js';
import { BulkForm, BulkSelect } from './bulk.js';
import { DepartureBatchLine } from './departure-batches.js';
import { loadCase } from './case-data.js';
import { fieldError, kept, personOf, refusedHere, type WebContext, type WebEnv } from './env.js';
import { ErrorMessage, fieldAria } from './error-summary.js';
import { takeFlash, type Flash } from './flash.js';
import { caseLookups, withCaseTitles } from './refusals.js';
import { GateCard } from './gate-card.js';
import { HouseholdSection, ReadLogSection } from './household.js';
import { DocumentsSection } from './attachments.js';
import { formatDate } from './dates.js';
import { localTitle, type Messages } from './i18n/index.js';
import { Form, Page, Table } from './layout.js';
import { Choice, FilterForm, listQuery, Pager, rememberedList, withQuery } from './list-controls.js';
import { NotFound } from './problems.js';
import { ListTools } from './saved-views.js';
import { Timeline } from './timeline-list.js';
import { todoText } from './todo.js';
import { builtInTemplates } from '../domain/templates/index.js';
import { listProgrammes } from '../usecases/programme-list.js';
import { ErasedNotice } from './erasure.js';

/** Why a case closed, in the reader's words: what the person who closed it wrote, or the code put into words. */
export function outcomeText(t: Messages, s: CaseView, texts?: Map<string, string>): string | undefined {
  if (!s.outcome) return undefined;
  return (s.outcome.textRef && texts?.get(s.outcome.textRef)) || t.casePage.outcome[s.outcome.code];
}

/** What happens next, in the reader's language: the open step due first, or why nothing moves. */
function nextStep(t: Messages, s: CaseView, texts?: Map<string, string>): string {
  if (s.outcome) return t.casePage.closed(t.status[s.outcome.status] ?? s.outcome.status, outcomeText(t, s, texts));
  if (s.programmePaused) return t.casePage.paused;
  if (s.held) return t.casePage.held(texts?.get(s.held.reasonRef));
  if (s.status === 'waitlisted') return t.status.waitlisted!;
  // By the date whoever's turn it is must meet, named by what they are to do.
  const first = s.gates.filter((g) => g.status === 'open').sort((a, b) => dueToMeet(a).localeCompare(dueToMeet(b)))[0];
  if (!first) return t.casePage.noOpenSteps;
  const what = first.turn ? todoText(t, { todo: first.turn.todo, params: first.turn, title: first.title }) : localTitle(t, first.title);
  return `${what} (${t.casePage.due(formatDate(t, dueToMeet(first)))})`;
}

/** A listed case's next step, from its projected columns: the open step due first, or why nothing moves. */
function listedNextStep(t: Messages, r: CaseListItem): string {
  if (r.status !== 'active' && r.status !== 'waitlisted') return t.status[r.status] ?? r.status;
  if (r.onHold === 'paused') return t.casePage.paused;
  if (r.onHold === 'held') return t.onHold.held!;
  if (r.status === 'waitlisted') return t.status.waitlisted!;
  return r.nextStep ? localTitle(t, r.nextStep.title) : t.casePage.noOpenSteps;
}

/** The stages a case list can be narrowed to: every built-in pathway's, once per id (the first pathway's title). */
const STAGE_CHOICES: [string, string][] = [...new Map(Object.values(builtInTemplates).flatMap((p) => p.stages.map((st) => [st.id, st.title] as [string, string])).reverse()).entries()].sort((a, b) => a[1].localeCompare(b[1]));

export function casePages(deps: Deps) {
  const { sql, temporal } = deps;
  const app = new Hono<WebEnv>();

  app.get('/cases', async (c) => {
    const t = c.get('t');
    const person = personOf(c);
    const remembered = rememberedList(c, 'cases', listQuery(c.req.query()));
    if ('redirect' in remembered) return c.redirect(remembered.redirect, 303);
    const { query } = remembered;
    // A person opening the list wants what is due first; the API keeps its documented default (newest).
    const page = await listCases(sql, person, CaseListQuery.parse({ sort: 'due', ...query }));
    const [names, programmes] = await Promise.all([organisationNames(sql), listProgrammes(sql, person, { limit: 100 })]);
    const programmeChoices: [string, string][] = programmes.items.map((p) => [p.id, p.name]);
    return c.html(
      <Page c={c} title={t.cases.title} section="cases" flash={takeFlash(c)}>
        <h1 id="cases-title">{t.cases.title}</h1>
        <p>{t.cases.intro}</p>
        <FilterForm t={t} action="/cases" label={t.lists.filters}>
          <div class="field">
            <label for="filter-search">{t.cases.search}</label>
            <input type="search" id="filter-search" name="search" maxlength={100} value={query.search ?? ''} />
          </div>
          <Choice t={t} name="status" label={t.cases.status} value={query.status} options={CASE_STATUSES.map((s) => [s, t.status[s] ?? s])} />
          <Choice t={t} name="stage" label={t.cases.stage} value={query.stage} options={STAGE_CHOICES.map(([id, title]) => [id, localTitle(t, title)])} />
          {programmeChoices.length > 0 && <Choice t={t} name="programmeId" label={t.board.programme} value={query.programmeId} options={programmeChoices} />}
          <Choice t={t} name="onHold" label={t.cases.hold} value={query.onHold} options={ON_HOLD.map((h) => [h, t.onHold[h] ?? h])} />
          <Choice t={t} name="sort" label={t.cases.sort} value={query.sort ?? 'due'} options={CASE_SORTS.map((s) => [s, t.cases.sorts[s] ?? s])} />
          <label class="inline">
            <input type="checkbox" name="stuck" value="true" checked={query.stuck === 'true'} /> {t.cases.onlyStuck}
          </label>
          <label class="inline">
            <input type="checkbox" name="waitingOnMe" value="true" checked={query.waitingOnMe === 'true'} /> {t.cases.onlyMyTurn}
          </label>
          {query.programmeId && !programmeChoices.some(([id]) => id === query.programmeId) && <input type="hidden" name="programmeId" value={query.programmeId} />}
        </FilterForm>
        <ListTools c={c} sql={sql} list="cases" query={query} />
        {query.programmeId && (
          <p>
            {t.cases.oneProgramme} <a href={withQuery('/cases', query, { programmeId: undefined })}>{t.cases.allProgrammes}</a>
          </p>
        )}
        {page.items.length === 0 ? (
          <p>{Object.keys(query).length ? t.cases.noMatch : t.cases.empty}</p>
        ) : (
          <Table labelledBy="cases-title" headers={[t.cases.reference, t.cases.stage, t.cases.waitingOn, t.cases.nextStep, t.cases.due]}>
            {page.items.map((r) => (
              <tr>
                <td data-label={t.cases.reference}>
                  {person.role === 'coordinator' && <BulkSelect t={t} caseId={r.id} reference={r.reference} />}
                  <a href={`/cases/${r.id}`}>{r.reference}</a>
                  <br />
                  <span class="muted">{r.pathwayName && localTitle(t, r.pathwayName)}</span>
                </td>
                <td data-label={t.cases.stage}>{r.stage ? t.casePage.stage(r.stage.index + 1, r.stage.of, localTitle(t, r.stage.title)) : (t.status[r.status] ?? r.status)}</td>
                <td data-label={t.cases.waitingOn}>
                  {r.waitingOn.length ? r.waitingOn.map((id) => (id === person.organisationId ? <strong>{names.get(id)}</strong> : names.get(id) ?? id)).flatMap((n, i) => (i ? [', ', n] : [n])) : t.cases.nobody}
                </td>
                <td data-label={t.cases.nextStep}>{listedNextStep(t, r)}</td>
                <td data-label={t.cases.due}>
                  {r.nextDueAt ? formatDate(t, r.nextDueAt) : '—'} {r.stuck && <span class="badge late">{t.overdue(r.daysOverdue)}</span>}
                </td>
              </tr>
            ))}
          </Table>
        )}
        <Pager t={t} path="/cases" query={query} nextCursor={page.nextCursor} />
        {person.role === 'coordinator' && page.items.length > 0 && <BulkForm t={t} query={query} />}
      </Page>,
    );
  });

  /** The case page; after a refused form, with its message and what was typed (in `c`'s draft). */
  async function showCase(c: WebContext, id: string, flash: Flash | undefined, status: 200 | 400 | 409 | 503 = 200): Promise<Response> {
    const t = c.get('t');
    const person = personOf(c);
    const d = await loadCase(sql, temporal, person, id);
    const s = d.state;
    const coordinating = person.role === 'coordinator' && d.coordinatorOrg === person.organisationId;
    const open = s?.gates.filter((g) => g.status === 'open') ?? [];
    const final = s ? ['completed', 'rejected', 'withdrawn'].includes(s.status) : false;
    const names = {
      actor: (personId: string) => d.actorOrgs.get(personId) ?? '—',
      organisation: (orgId: string) => d.orgNames.get(orgId) ?? orgId,
      title: (gateId: string) => localTitle(t, d.gateTitles.get(gateId) ?? gateId),
      stage: (stageId: string) => localTitle(t, d.stageTitles.get(stageId) ?? stageId),
      date: (iso: string) => formatDate(t, iso),
    };
    return c.html(
      <Page c={c} title={d.reference} section="cases" flash={withCaseTitles(t, flash, caseLookups(t, d))}>
        <h1>{d.reference}</h1>
        <ErasedNotice t={t} erasure={d.erasure} />
        {s && (
          <p>
            {localTitle(t, s.pathway.name)} · {t.status[s.status] ?? s.status}
            {s.stage && ` · ${t.casePage.stage(s.stage.index + 1, s.stage.of, localTitle(t, s.stage.title))}`}
          </p>
        )}
        {d.stale && <p class="flash error" role="status">{t.casePage.stale}</p>}
        {d.stopped && <p class="flash error">{t.casePage.stopped(t.board.why[d.stopped] ?? d.stopped)}</p>}
        {/* A hold or a pause is a state the case is in, not something that went wrong: a status, not an alarm. */}
        {s?.held && (
          <p class="notice">
            <span class="tag">{t.onHold.held}</span> {t.casePage.held(d.texts.get(s.held.reasonRef))}
          </p>
        )}
        {s?.programmePaused && (
          <p class="notice">
            <span class="tag">{t.onHold.paused}</span> {t.casePage.paused}
          </p>
        )}
        <DepartureBatchLine t={t} sql={sql} caseId={id} />
        {s?.outcome && <p class="flash ok">{t.casePage.closed(t.status[s.outcome.status] ?? s.outcome.status, outcomeText(t, s, d.texts))}</p>}

        <h2>{t.casePage.now}</h2>
        {s && !final && <p>{`${t.cases.nextStep}: ${nextStep(t, s, d.texts)}`}</p>}
        {open.length === 0 && <p>{t.casePage.noOpenSteps}</p>}
        {open.map((g) => (
          <GateCard c={c} d={d} g={g} coordinating={coordinating} />
        ))}

        {coordinating && s && !final && (
          <section aria-labelledby="case-actions">
            <h2 id="case-actions">{t.coordinator.title}</h2>
            {s.held ? (
              <Form c={c} action={caseActionPath(id, 'resume')}>
                <button class="primary" type="submit">{t.coordinator.resume}</button>
              </Form>
            ) : (
              <details open={refusedHere(c, ['hold'])}>
                <summary>{t.coordinator.hold}</summary>
                <Form c={c} action={caseActionPath(id, 'hold')}>
                  <label for="hold-reason">{t.gate.reason}</label>
                  <ErrorMessage t={t} id="hold-reason" message={fieldError(c, 'hold', 'reason')} />
                  <textarea id="hold-reason" name="reason" required maxlength={2000} {...fieldAria('hold-reason', fieldError(c, 'hold', 'reason'))}>
                    {kept(c, 'hold').reason}
                  </textarea>
                  <button class="secondary" type="submit">{t.coordinator.holdButton}</button>
                </Form>
              </details>
            )}
            <details open={refusedHere(c, ['withdraw'])}>
              <summary>{t.coordinator.withdraw}</summary>
              <Form c={c} action={caseActionPath(id, 'withdraw')}>
                <p class="hint">{t.coordinator.withdrawWarning}</p>
                <label for="withdraw-reason">{t.gate.reason}</label>
                <ErrorMessage t={t} id="withdraw-reason" message={fieldError(c, 'withdraw', 'reason')} />
                <textarea id="withdraw-reason" name="reason" required maxlength={2000} {...fieldAria('withdraw-reason', fieldError(c, 'withdraw', 'reason'))}>
                  {kept(c, 'withdraw').reason}
                </textarea>
                <button class="danger" type="submit">{t.coordinator.withdrawButton}</button>
              </Form>
            </details>
          </section>
        )}

        <HouseholdSection t={t} household={d.household} />
        <ReadLogSection t={t} reads={d.reads} />
        <DocumentsSection c={c} d={d} sql={sql} />

        <h2>{t.casePage.timeline}</h2>
        <Timeline t={t} lang={c.get('lang')} events={d.events} names={names} />
      </Page>,
      status,
    );
  }

  app.get('/cases/:id', (c) => {
    const id = c.req.param('id');
    return z.uuid().safeParse(id).success ? showCase(c, id, takeFlash(c)) : NotFound(c);
  });
  app.post('/cases/:id/actions/:type', caseActionHandler(deps, showCase));
  return app;
}
