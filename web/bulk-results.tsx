/**
 * What became of a coordinator's bulk actions (usecases/bulk-actions.ts): the organisation's bulk
 * actions so far, and one bulk action's page — how far it is (reload to see more, no script) and
 * the result for each case, refusals worded in the reader's language with the case's step titles.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { builtInTemplate } from '../domain/templates/index.js';
import { bulkActionItems, BulkListQuery, ITEM_RESULTS, listBulkActions, readBulkAction, type BulkItemView, type ItemResult } from '../usecases/bulk-results.js';
import type { DoorDeps } from '../usecases/deps.js';
import { ProblemError } from '../usecases/problem.js';
import { BULK_ITEM_CODES, type BulkItemCode } from '../workflows/contract.js';
import { formatDate } from './dates.js';
import { personOf, type WebEnv } from './env.js';
import { takeFlash } from './flash.js';
import { localTitle, type Messages } from './i18n/index.js';
import { Page, Table } from './layout.js';
import { Forbidden, NotFound } from './problems.js';
import { caseLookups, refusalText } from './refusals.js';

const isOwnCode = (code: string): code is BulkItemCode => (BULK_ITEM_CODES as readonly string[]).includes(code);

/** The result of one item, in the reader's words: the case's refusal worded with its own step titles. */
function why(t: Messages, item: BulkItemView): string {
  if (!item.code) return '';
  if (isOwnCode(item.code)) {
    const p = item.params as Record<string, string>;
    const kind = (k: string | undefined) => (k ? (t.organisationKinds[k] ?? k) : '');
    return t.bulk.codes[item.code]({ ...p, kind: kind(p.kind), targetKind: kind(p.targetKind) });
  }
  const template = item.pathwayId ? builtInTemplate(item.pathwayId) : undefined;
  const stages = template?.stages ?? [];
  const lookups = caseLookups(t, {
    gateTitles: new Map(stages.flatMap((s) => s.gates.map((g) => [g.id, g.title] as const))),
    stageTitles: new Map(stages.map((s) => [s.id, s.title])),
  });
  return refusalText(t, { refusal: item.refusal, detail: item.detail ?? item.code }, lookups);
}

function stepTitle(t: Messages, item: BulkItemView): string {
  if (!item.gateId) return '—';
  const gate = (item.pathwayId ? builtInTemplate(item.pathwayId) : undefined)?.stages.flatMap((s) => s.gates).find((g) => g.id === item.gateId);
  return gate ? localTitle(t, gate.title) : item.gateId;
}

const ResultQuery = z.object({ result: z.enum(ITEM_RESULTS).optional(), cursor: z.string().max(200).optional() });

/** GET /bulk-actions and /bulk-actions/:id, for the coordinators of the organisation that started them. */
export function bulkResultPages(deps: DoorDeps) {
  const { sql } = deps;
  const app = new Hono<WebEnv>();

  app.get('/bulk-actions', async (c) => {
    const t = c.get('t');
    const person = personOf(c);
    if (person.role !== 'coordinator') return Forbidden(c);
    const query = BulkListQuery.parse(c.req.query());
    const page = await listBulkActions(sql, person, query);
    return c.html(
      <Page c={c} title={t.bulk.listTitle} section="cases" flash={takeFlash(c)}>
        <h1 id="bulk-list-title">{t.bulk.listTitle}</h1>
        {page.items.length === 0 ? (
          <p>{t.bulk.noneYet}</p>
        ) : (
          <Table labelledBy="bulk-list-title" headers={[t.bulk.started_, t.bulk.action, t.bulk.casesColumn, t.bulk.result]}>
            {page.items.map((b) => (
              <tr>
                <td data-label={t.bulk.started_}>
                  <a href={`/bulk-actions/${b.id}`}>{formatDate(t, b.createdAt, true)}</a>
                </td>
                <td data-label={t.bulk.action}>{t.bulk.actions[b.action]}</td>
                <td data-label={t.bulk.casesColumn}>{b.total}</td>
                <td data-label={t.bulk.result}>
                  {b.status === 'running'
                    ? t.bulk.running(b.total - b.counts.pending, b.total)
                    : ITEM_RESULTS.filter((r) => b.counts[r] > 0).map((r) => `${t.bulk.results[r]} (${b.counts[r]})`).join(', ')}
                </td>
              </tr>
            ))}
          </Table>
        )}
        {page.nextCursor && (
          <nav class="pager" aria-label={t.lists.next}>
            <a href={`/bulk-actions?cursor=${encodeURIComponent(page.nextCursor)}`} rel="next">{t.lists.next}</a>
          </nav>
        )}
        <p>
          <a href="/cases">{t.bulk.backToCases}</a>
        </p>
      </Page>,
    );
  });

  app.get('/bulk-actions/:id', async (c) => {
    const t = c.get('t');
    const id = c.req.param('id');
    if (!z.uuid().safeParse(id).success) return NotFound(c);
    const query = ResultQuery.parse(c.req.query());
    const person = personOf(c);
    let bulk;
    try {
      bulk = await readBulkAction(sql, person, id);
    } catch (error) {
      if (error instanceof ProblemError && error.status === 404) return NotFound(c);
      throw error;
    }
    const page = await bulkActionItems(sql, person, id, { limit: 100, result: query.result, cursor: query.cursor });
    const finished = bulk.total - bulk.counts.pending;
    const here = `/bulk-actions/${id}`;
    const resultLink = (r: ItemResult | undefined) => (r ? `${here}?result=${r}` : here);
    return c.html(
      <Page c={c} title={t.bulk.resultTitle} section="cases" flash={takeFlash(c)}>
        <h1 id="bulk-items-title">{t.bulk.heading(t.bulk.actions[bulk.action], bulk.total)}</h1>
        <p class="hint">{t.bulk.startedOn(formatDate(t, bulk.createdAt, true))}</p>
        {bulk.status === 'running' ? (
          <p role="status">
            {t.bulk.running(finished, bulk.total)} <a href={c.req.url.replace(/^[a-z]+:\/\/[^/]+/, '')}>{t.bulk.reload}</a>
          </p>
        ) : (
          <p role="status">{t.bulk.finished(formatDate(t, bulk.finishedAt ?? bulk.createdAt, true))}</p>
        )}
        <ul class="facets">
          <li>
            <a href={resultLink(undefined)} aria-current={query.result === undefined ? 'true' : undefined}>{`${t.lists.all} (${bulk.total})`}</a>
          </li>
          {ITEM_RESULTS.filter((r) => bulk.counts[r] > 0).map((r) => (
            <li>
              <a href={resultLink(r)} aria-current={query.result === r ? 'true' : undefined}>{`${t.bulk.results[r]} (${bulk.counts[r]})`}</a>
            </li>
          ))}
        </ul>
        <Table labelledBy="bulk-items-title" headers={[t.cases.reference, t.bulk.step, t.bulk.result, t.bulk.why]}>
          {page.items.map((item) => (
            <tr>
              <td data-label={t.cases.reference}>
                <a href={`/cases/${item.caseId}`}>{item.reference}</a>
              </td>
              <td data-label={t.bulk.step}>{stepTitle(t, item)}</td>
              <td data-label={t.bulk.result}>{t.bulk.results[item.result]}</td>
              <td data-label={t.bulk.why}>{why(t, item) || '—'}</td>
            </tr>
          ))}
        </Table>
        {page.nextCursor && (
          <nav class="pager" aria-label={t.lists.next}>
            <a href={`${resultLink(query.result)}${query.result ? '&' : '?'}cursor=${encodeURIComponent(page.nextCursor)}`} rel="next">{t.lists.next}</a>
          </nav>
        )}
        <p>
          <a href="/bulk-actions">{t.bulk.earlier}</a> · <a href="/cases">{t.bulk.backToCases}</a>
        </p>
      </Page>,
    );
  });

  return app;
}
