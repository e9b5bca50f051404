// Bulk actions against the real servers: a coordinator's nudge and hold over 30 cases, started
// through the API and through the pages, carried out in the background by a workflow — each case
// once, even when the request and the activity are run again — with a result per case, refusals
// included, readable in English and Dutch; and 4xx for what cannot be done.
import { randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createBulkActivities } from '../../activities/bulk.js';
import { startForgottenBulkActions } from '../../usecases/bulk-actions.js';
import { bulkActionItems, listBulkActions, readBulkAction } from '../../usecases/bulk-results.js';
import type { Caller } from '../../usecases/caller.js';
import { connectDb } from '../../infra/db.js';
import type { caseWorkflow } from '../../workflows/case.js';
import { bulkActionWorkflowId, caseWorkflowId } from '../../workflows/contract.js';
import { useApi } from '../support/api.js';
import { act, textRef, view, waitForCase } from '../support/cases.js';
import { createCaseRow, createOrganisation, createParties, type Member } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { oneStepTemplate } from '../support/templates.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = oneStepTemplate;

describe('bulk actions', () => {
  const h = useApi('bulk-actions');
  const tag = randomUUID().slice(0, 6).toUpperCase();
  let m: Record<string, Member>;
  let other: Member;
  /** 29 cases coordinated by `m.coordinator` (two of them held), then one coordinated by `other` that it only takes part in. */
  const cases: { caseId: string; reference: string }[] = [];
  let theirs: string;

  async function openCase(reference: string, parties: Record<string, string>): Promise<string> {
    const { caseId } = await createCaseRow(h.sql, template, parties, undefined, reference);
    await h.client.workflow.start<typeof caseWorkflow>('caseWorkflow', {
      workflowId: caseWorkflowId(caseId),
      taskQueue: h.taskQueue,
      args: [{ case: { caseId, reference, template, parties } }],
    });
    return caseId;
  }

  const handle = (caseId: string) => h.client.workflow.getHandle(caseWorkflowId(caseId));

  async function finished(id: string, who: Member = m.coordinator!) {
    let body: { status: string; counts: Record<string, number> } | undefined;
    await expect
      .poll(
        async () => {
          body = (await (await h.call(who, 'GET', `/v1/bulk-actions/${id}`)).json()) as typeof body;
          return body!.status;
        },
        { timeout: 90_000, interval: 500 },
      )
      .toBe('done');
    return body!;
  }

  async function items(id: string) {
    const all: { caseId: string; reference: string; result: string; code: string | null; params: Record<string, unknown>; detail: string | null; gateId: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const r = await h.call(m.coordinator!, 'GET', `/v1/bulk-actions/${id}/items?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      const page = (await r.json()) as { items: typeof all; nextCursor: string | null };
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  beforeAll(async () => {
    const made = await createParties(h.sql, template);
    m = made.members;
    other = await createOrganisation(h.sql, 'coordinator', 'en', 'other-coordinator');
    for (let i = 0; i < 29; i++) {
      const reference = `BULK-${tag}-${String(i).padStart(2, '0')}`;
      cases.push({ caseId: await openCase(reference, made.parties), reference });
    }
    // Our coordinator takes part in their case (it can see it), without coordinating it.
    theirs = await openCase(`BULK-${tag}-THEIRS`, { coordinator: other.organisationId, sponsor: m.sponsor!.organisationId, observer: m.coordinator!.organisationId });
    for (const { caseId } of cases.slice(0, 2)) await act(handle(caseId), 'hold', { actor: m.coordinator!.actor, reasonRef: textRef() });
    // Every case's first projection is written, so the list (and a filter) shows them all.
    for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 250))) {
      const [row] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases WHERE reference LIKE ${`BULK-${tag}-%`} AND status = 'active'`;
      if (row!.n === 30) break;
      if (Date.now() > deadline) throw new Error(`only ${row!.n} of 30 cases projected`);
    }
  });

  it('nudges 30 listed cases once each, even when the request and the activity run again; the case it does not coordinate is refused', async () => {
    const ids = [...cases.map((x) => x.caseId), theirs];
    const before = await Promise.all(ids.map(async (id) => (await view(handle(id))).version));
    const key = `bulk-nudge-${tag}`;
    const body = { action: 'nudge', caseIds: ids };
    const first = await h.call(m.coordinator!, 'POST', '/v1/bulk-actions', body, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    const started = (await first.json()) as { id: string; total: number; refusedAtOnce: number };
    expect(started).toMatchObject({ total: 30, refusedAtOnce: 1 });
    expect(first.headers.get('location')).toBe(`/v1/bulk-actions/${started.id}`);
    // The same request again: the same answer, the same bulk action.
    const again = await h.call(m.coordinator!, 'POST', '/v1/bulk-actions', body, { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(await again.json()).toEqual(started);
    expect((await h.sql`SELECT count(*)::int AS n FROM bulk_actions WHERE person_id = ${m.coordinator!.personId} AND action = 'nudge'`)[0]!.n).toBe(1);

    const summary = await finished(started.id);
    expect(summary.counts).toEqual({ pending: 0, done: 29, refused: 1, failed: 0 });
    const results = await items(started.id);
    expect(results.map((i) => i.caseId)).toEqual(ids);
    expect(results.filter((i) => i.result === 'done').every((i) => i.gateId === 'step')).toBe(true);
    expect(results.at(-1)).toMatchObject({ caseId: theirs, result: 'refused', code: 'coordinator-only', params: { action: 'nudge' }, detail: "only the case's coordinator can nudge a gate" });
    const after = await Promise.all(ids.map(async (id) => (await view(handle(id))).version));
    expect(after.slice(0, 29).every((v, i) => v === before[i]! + 1), 'each coordinated case nudged once').toBe(true);
    expect(after[29], 'their case untouched').toBe(before[29]);

    // The activity runs again over items whose results it had not recorded (a worker died after
    // the cases applied them): each case answers from the update id it remembers, and applies nothing.
    await h.sql`UPDATE bulk_action_items SET status = 'pending', finished_at = NULL WHERE bulk_id = ${started.id} AND status = 'done'`;
    const activities = createBulkActivities({ sql: h.sql, temporal: h.client });
    const env = new MockActivityEnvironment();
    for (let after = -1; ; ) {
      const page: { last: number | null } = await env.run(activities.runBulkPage, { bulkId: started.id, after });
      if (page.last === null) break;
      after = page.last;
    }
    expect((await items(started.id)).filter((i) => i.result === 'done')).toHaveLength(29);
    const replayed = await Promise.all(ids.map(async (id) => (await view(handle(id))).version));
    expect(replayed).toEqual(after);
    await expect.poll(async () => (await h.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ANY(${ids}::uuid[]) AND kind = 'gate_nudged'`)[0]!.n).toBe(29);

    const bulkHandle = h.client.workflow.getHandle(bulkActionWorkflowId(started.id));
    await bulkHandle.result();
    await recordHistory(bulkHandle, 'bulk-action-nudge');
  });

  it('holds every case a filter shows, from the pages: count, confirm, results in English and in Dutch', async () => {
    const coordinator = new Visitor(h.app);
    await signedIn(coordinator, m.coordinator!);
    const filter = `search=BULK-${tag}`;
    const list = await coordinator.get(`/cases?${filter}`);
    const listed = await list.text();
    expect(listed).toContain(`name="caseId" value="${cases[0]!.caseId}" form="bulk-form"`);
    expect(listed).toContain('Act on several cases at once');

    const confirm = await coordinator.get(`/bulk-actions/new?action=hold&scope=filter&filter=${encodeURIComponent(filter)}`);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('Put 30 cases on hold.');
    expect(html).toContain('1 of these cases is coordinated by another organisation');
    const _key = /name="_key" value="([^"]+)"/.exec(html)![1]!;
    const fields = { _key, action: 'hold', scope: 'filter', filter };

    // Without a reason: asked again, with the field to fill in.
    const noReason = await coordinator.post('/bulk-actions', fields);
    expect(noReason.status).toBe(400);
    expect(await textOf(noReason)).toContain('Fill in this field: reason');

    const started = await coordinator.post('/bulk-actions', { ...fields, reason: 'Waiting for the new travel documents' });
    expect(started.status).toBe(303);
    const location = started.headers.get('location')!;
    expect(location).toMatch(/^\/bulk-actions\/[0-9a-f-]{36}$/);
    // "Yes" pressed twice: the same bulk action.
    expect((await coordinator.post('/bulk-actions', { ...fields, reason: 'Waiting for the new travel documents' })).headers.get('location')).toBe(location);
    const id = location.split('/').at(-1)!;

    const summary = await finished(id);
    expect(summary.counts).toEqual({ pending: 0, done: 27, refused: 3, failed: 0 });
    const results = await items(id);
    expect(results.filter((i) => i.code === 'case-already-on-hold').map((i) => i.caseId).sort()).toEqual(cases.slice(0, 2).map((x) => x.caseId).sort());
    // The reason is kept once per case it applied to, and no longer for the refused ones.
    const reasons = await h.sql<{ caseId: string }[]>`SELECT case_id AS "caseId" FROM texts WHERE body = 'Waiting for the new travel documents' AND case_id IS NOT NULL`;
    expect(reasons.map((r) => r.caseId).sort()).toEqual(results.filter((i) => i.result === 'done').map((i) => i.caseId).sort());
    const held = await view(handle(cases[5]!.caseId));
    const [item] = await h.sql<{ reasonRef: string }[]>`SELECT reason_ref AS "reasonRef" FROM bulk_action_items WHERE bulk_id = ${id} AND case_id = ${cases[5]!.caseId}`;
    expect(held.held?.reasonRef, 'the case refers to its own copy of the reason').toBe(item!.reasonRef);

    const english = await textOf(await coordinator.get(location));
    expect(english).toContain('Put on hold: 30 cases');
    expect(english).toContain('Finished on');
    expect(english).toContain('Refused (3)');
    expect(english).toContain('the case is already on hold since');
    expect(english).toContain("only the case's coordinator can put it on hold");
    const refusedOnly = await textOf(await coordinator.get(`${location}?result=refused`));
    expect(refusedOnly).not.toContain(`BULK-${tag}-05`);

    await h.sql`UPDATE people SET language = 'nl' WHERE id = ${m.coordinator!.personId}`;
    try {
      const dutch = await textOf(await coordinator.get(location));
      expect(dutch).toContain('Aanhouden: 30 casussen');
      expect(dutch).toContain('Geweigerd (3)');
      expect(dutch).toContain('de casus is al aangehouden sinds');
      expect(dutch).toContain('alleen de coördinator van de casus kan die aanhouden');
    } finally {
      await h.sql`UPDATE people SET language = 'en' WHERE id = ${m.coordinator!.personId}`;
    }

    // Nobody else reads it: not the sponsor group, not another coordinating organisation.
    expect((await h.call(m.sponsor!, 'GET', `/v1/bulk-actions/${id}`)).status).toBe(404);
    expect((await h.call(other, 'GET', `/v1/bulk-actions/${id}`)).status).toBe(404);
    expect((await h.call(other, 'GET', `/v1/bulk-actions/${id}/items`)).status).toBe(404);
    const stranger = new Visitor(h.app);
    await signedIn(stranger, other);
    expect((await stranger.get(location)).status).toBe(404);
    await waitForCase(handle(cases[5]!.caseId), (v) => v.held !== null);
  });

  it('is started by the watchdog when its start never reached Temporal, and only then', async () => {
    // As a request that answered 503 leaves it: recorded, its workflow never started.
    const id = randomUUID();
    const caseId = cases[10]!.caseId;
    await h.sql`
      INSERT INTO bulk_actions (id, organisation_id, person_id, action, selection, total, created_at)
      VALUES (${id}, ${m.coordinator!.organisationId}, ${m.coordinator!.personId}, 'nudge', 'cases', 1, now() - interval '1 minute')`;
    await h.sql`INSERT INTO bulk_action_items (bulk_id, case_id, position) VALUES (${id}, ${caseId}, 0)`;
    const deps = { sql: h.sql, temporal: h.client, taskQueue: h.taskQueue };
    expect(await startForgottenBulkActions(deps, 30_000)).toEqual([id]);
    expect((await finished(id)).counts).toEqual({ pending: 0, done: 1, refused: 0, failed: 0 });
    expect(await startForgottenBulkActions(deps, 30_000), 'done: not started again').not.toContain(id);
  });

  it('answers 4xx for what cannot be started, and starts nothing', async () => {
    const c = m.coordinator!;
    const post = (body: unknown) => h.call(c, 'POST', '/v1/bulk-actions', body);
    const fieldOf = async (r: Response) => ((await r.json()) as { errors?: { field: string }[] }).errors?.map((e) => e.field);
    const ids = cases.slice(2, 4).map((x) => x.caseId);
    expect(await fieldOf(await post({ action: 'nudge' }))).toEqual(['caseIds']);
    expect(await fieldOf(await post({ action: 'nudge', caseIds: ids, filter: { stuck: 'true' } }))).toEqual(['caseIds']);
    expect(await fieldOf(await post({ action: 'extend', caseIds: ids, reason: 'later' }))).toEqual(['dueAt']);
    expect(await fieldOf(await post({ action: 'extend', caseIds: ids, reason: 'later', dueAt: '2020-01-01T00:00:00Z' }))).toEqual(['dueAt']);
    expect(await fieldOf(await post({ action: 'hold', caseIds: ids }))).toEqual(['reason']);
    expect(await fieldOf(await post({ action: 'hold', caseIds: ids, gateId: 'step', reason: 'x' }))).toEqual(['gateId']);
    expect(await fieldOf(await post({ action: 'reassign', caseIds: ids, organisationId: other.organisationId, reason: 'x' }))).toEqual(['organisationId']);
    expect(await fieldOf(await post({ action: 'nudge', caseIds: [ids[0], randomUUID()] }))).toEqual(['caseIds.1']);
    expect(await fieldOf(await post({ action: 'nudge', filter: { colour: 'red' } }))).toEqual(['filter.colour']);
    expect((await post({ action: 'nudge', filter: { search: `NO-SUCH-${tag}` } })).status).toBe(400);
    expect((await post({ action: 'explode', caseIds: ids })).status).toBe(400);
    expect((await post({ action: 'nudge', caseIds: ['not-a-uuid'] })).status).toBe(400);
    // Only coordinators; and a case of theirs is no id of ours.
    expect((await h.call(m.sponsor!, 'POST', '/v1/bulk-actions', { action: 'nudge', caseIds: ids })).status).toBe(403);
    expect(await fieldOf(await h.call(other, 'POST', '/v1/bulk-actions', { action: 'nudge', caseIds: ids }))).toEqual(['caseIds.0', 'caseIds.1']);
    expect((await h.call(c, 'GET', `/v1/bulk-actions/${randomUUID()}`)).status).toBe(404);
    expect((await h.call(c, 'GET', `/v1/bulk-actions/not-an-id`)).status).toBe(400);
    const someBulk = (await h.sql<{ id: string }[]>`SELECT id FROM bulk_actions WHERE person_id = ${c.personId} LIMIT 1`)[0]!.id;
    expect((await h.call(c, 'GET', `/v1/bulk-actions/${someBulk}/items?cursor=bogus`)).status).toBe(400);
    expect((await h.call(c, 'GET', `/v1/bulk-actions/${someBulk}/items?limit=1000`)).status).toBe(400);
    expect((await h.sql`SELECT count(*)::int AS n FROM bulk_actions WHERE person_id = ${c.personId}`)[0]!.n, 'only the three bulk actions before').toBe(3);
    // The organisation's bulk actions, newest first, a page at a time; nobody else's.
    const first = (await (await h.call(c, 'GET', '/v1/bulk-actions?limit=1')).json()) as { items: { action: string; counts: Record<string, number> }[]; nextCursor: string };
    expect(first.items.map((b) => [b.action, b.counts])).toEqual([['hold', { pending: 0, done: 27, refused: 3, failed: 0 }]]);
    // (The watchdog's nudge was recorded a minute back: it comes last.)
    const second = (await (await h.call(c, 'GET', `/v1/bulk-actions?limit=5&cursor=${first.nextCursor}`)).json()) as { items: { action: string }[]; nextCursor: string | null };
    expect([second.items.map((b) => b.action), second.nextCursor]).toEqual([['nudge', 'nudge'], null]);
    expect(((await (await h.call(other, 'GET', '/v1/bulk-actions')).json()) as { items: unknown[] }).items).toEqual([]);
    expect((await h.call(c, 'GET', '/v1/bulk-actions?cursor=bogus')).status).toBe(400);
    // The pages: the sponsor group gets no bulk form, and cannot open the confirm page.
    const sponsor = new Visitor(h.app);
    await signedIn(sponsor, m.sponsor!);
    expect(await (await sponsor.get('/cases')).text()).not.toContain('bulk-form');
    expect((await sponsor.get(`/bulk-actions/new?action=nudge&scope=filter&filter=`)).status).toBe(403);
  });

  it('reads its lists and pages through indexes, never a scan or a sort of every row', async () => {
    const statements: { query: string; parameters: unknown[] }[] = [];
    const sql = connectDb(inject('databaseUrl'), { max: 1, debug: (_c, query, parameters) => void statements.push({ query, parameters }) });
    try {
      const caller: Caller = { ...m.coordinator!.actor, organisationKind: 'coordinator', language: 'en' };
      const first = await listBulkActions(sql, caller, { limit: 1 });
      await listBulkActions(sql, caller, { limit: 1, cursor: first.nextCursor! });
      const id = first.items[0]!.id;
      await readBulkAction(sql, caller, id);
      const page = await bulkActionItems(sql, caller, id, { limit: 5 });
      await bulkActionItems(sql, caller, id, { limit: 5, cursor: page.nextCursor! });
      await bulkActionItems(sql, caller, id, { limit: 5, result: 'refused' });
      // What the background work reads: the next pending items of a bulk action, and how many are left.
      await sql`SELECT case_id FROM bulk_action_items WHERE bulk_id = ${id} AND status = 'pending' AND position > ${-1} ORDER BY position LIMIT ${50}`;
      await sql`SELECT count(*)::int AS remaining FROM bulk_action_items WHERE bulk_id = ${id} AND status = 'pending'`;
    } finally {
      await sql.end();
    }
    const problems: string[] = [];
    await h.sql.begin(async (tx) => {
      await tx`SET LOCAL enable_seqscan = off`;
      await tx`SET LOCAL enable_sort = off`;
      for (const { query, parameters } of statements.filter((x) => !x.query.includes('pg_catalog'))) {
        const [row] = await tx.unsafe<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(`EXPLAIN (FORMAT JSON) ${query}`, parameters as never[]);
        for (const node of nodes(row!['QUERY PLAN'][0]!.Plan)) {
          if (node['Node Type'] === 'Seq Scan' || node['Node Type'] === 'Sort') problems.push(`${node['Node Type']} ${node['Relation Name'] ?? ''} in: ${query.replace(/\s+/g, ' ').slice(0, 160)}`);
        }
      }
    });
    expect(statements.length).toBeGreaterThanOrEqual(10);
    expect(problems).toEqual([]);
  });
});

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };
function* nodes(plan: PlanNode): Generator<PlanNode> {
  yield plan;
  for (const child of plan.Plans ?? []) yield* nodes(child);
}
