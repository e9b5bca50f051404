// Whose turn is it, since when: the board's filters, counts and paging, the inbox's paging, and the
// case list's search, filters, sorts and paging — over HTTP and on the pages, from cases written by
// the real projection activity. And every query behind them is served by an index.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { inboxFor } from '../../usecases/inbox.js';
import { listCases, type CaseSort } from '../../usecases/case-list.js';
import { stuckBoardFor } from '../../usecases/board.js';
import type { Caller } from '../../usecases/caller.js';
import { connectDb } from '../../infra/db.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, createProgrammeRow, type Member } from '../support/fixtures.js';
import { projector } from '../support/projected-cases.js';
import { manyPartiesTemplate as template } from '../support/templates.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

type Page<T> = { items: T[]; nextCursor: string | null };
type OverdueGate = { caseId: string; reference: string; gateId: string; dueAt: string; daysOverdue: number; waitingOn: { id: string; kind: string }[] };
type Board = {
  overdue: { total: number; items: OverdueGate[]; nextCursor: string | null };
  groups: Record<'party' | 'partyKind' | 'programme' | 'pathway' | 'gateKind' | 'overdueFor', Record<string, unknown>[]>;
};
type ListedCase = { id: string; reference: string; stuck: boolean; onHold: string | null; nextDueAt: string | null; daysOverdue: number; stage: { title: string } | null };

describe('lists shaped for whose turn it is', () => {
  const h = useApi('lists');
  const run = randomUUID().slice(0, 6);
  const ref = (n: number) => `LIST-${run}-${String(n).padStart(2, '0')}`;
  let members: Record<string, Member>;
  let parties: Record<string, string>;
  let otherMunicipality: Member;
  let p1: string;
  let p2: string;
  const ids: Record<number, string> = {};

  const get = async <T,>(who: Member, path: string): Promise<T> => {
    const response = await h.call(who, 'GET', path);
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return (await response.json()) as T;
  };
  /** Every item of a paged list, following `nextCursor` (and checking no page repeats an item). */
  async function walk<T>(who: Member, path: string, key: (item: T) => string, pageOf: (body: never) => Page<T> = (body) => body): Promise<T[]> {
    const all: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = pageOf(await get<never>(who, `${path}${path.includes('?') ? '&' : '?'}limit=3${cursor ? `&cursor=${cursor}` : ''}`));
      expect(page.items.length).toBeLessThanOrEqual(3);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(all.map(key)).size).toBe(all.length);
    return all;
  }

  beforeAll(async () => {
    ({ members, parties } = await createParties(h.sql, template));
    otherMunicipality = await createOrganisation(h.sql, 'municipality', 'en', 'other-municipality');
    p1 = await createProgrammeRow(h.sql, template, parties.coordinator!, 10);
    p2 = await createProgrammeRow(h.sql, template, parties.coordinator!, 10);
    const projectedCase = projector(h.sql);
    const elsewhere = { ...parties, municipality: otherMunicipality.organisationId };
    // 1–4: opened 20 days ago: consent 19 days overdue, visa 10 days, the plan due in 20 days.
    for (const n of [1, 2, 3, 4]) ids[n] = (await projectedCase({ template, parties, programmeId: p1, reference: ref(n), daysAgo: 20 })).caseId;
    // 5–6: another municipality, opened 5 days ago: only its consent is overdue (4 days).
    for (const n of [5, 6]) ids[n] = (await projectedCase({ template, parties: elsewhere, programmeId: p2, reference: ref(n), daysAgo: 5 })).caseId;
    // 7: as 1–4, but on hold: nothing of it is overdue. 8: opened now, nothing due yet.
    ids[7] = (await projectedCase({ template, parties, programmeId: p1, reference: ref(7), daysAgo: 20, held: true })).caseId;
    ids[8] = (await projectedCase({ template, parties, reference: ref(8), daysAgo: 0 })).caseId;
  });

  it('the board lists every overdue step, longest overdue first, counted by party, kind, programme, kind of step and age', async () => {
    const board = await get<Board>(members.coordinator!, '/v1/stuck');
    expect(board.overdue.total).toBe(10);
    const steps = board.overdue.items.map((o) => `${o.reference}:${o.gateId}`);
    expect(steps.slice(0, 4).every((s) => s.endsWith(':consent'))).toBe(true);
    expect(steps).not.toContain(`${ref(7)}:consent`);
    expect(board.overdue.items.map((o) => o.dueAt)).toEqual([...board.overdue.items.map((o) => o.dueAt)].sort());
    expect(board.overdue.items[0]).toMatchObject({ daysOverdue: 19, waitingOn: [{ id: parties.municipality, kind: 'municipality' }] });

    const count = (group: Record<string, unknown>[], key: string, value: unknown) => group.find((g) => g[key] === value)?.count;
    expect(count(board.groups.party, 'id', parties.municipality)).toBe(4);
    expect(count(board.groups.party, 'id', parties.immigration)).toBe(4);
    expect(count(board.groups.party, 'id', otherMunicipality.organisationId)).toBe(2);
    expect(count(board.groups.partyKind, 'kind', 'municipality')).toBe(6);
    expect(count(board.groups.partyKind, 'kind', 'national_agency')).toBe(4);
    expect(count(board.groups.programme, 'id', p1)).toBe(8);
    expect(count(board.groups.programme, 'id', p2)).toBe(2);
    expect(board.groups.gateKind).toEqual([{ kind: 'decision', count: 10 }]);
    expect(board.groups.pathway).toEqual([{ id: template.id, name: template.name, count: 10 }]);
    expect(board.groups.overdueFor).toEqual([
      { bucket: 'under-a-week', count: 2 },
      { bucket: '1-4-weeks', count: 8 },
      { bucket: 'over-4-weeks', count: 0 },
    ]);
  });

  it('the board filters by party, kind of party, programme, kind of step and how long overdue, and pages without losing a step', async () => {
    const total = async (query: string) => (await get<Board>(members.coordinator!, `/v1/stuck?${query}`)).overdue.total;
    expect(await total(`waitingOn=${parties.municipality}`)).toBe(4);
    expect(await total(`waitingOn=${otherMunicipality.organisationId}`)).toBe(2);
    expect(await total('partyKind=national_agency')).toBe(4);
    expect(await total('partyKind=sponsor_group')).toBe(0);
    expect(await total(`programmeId=${p2}`)).toBe(2);
    expect(await total('gateKind=task')).toBe(0);
    expect(await total('overdueDays=15')).toBe(4);
    expect(await total(`overdueDays=5&programmeId=${p1}&partyKind=national_agency`)).toBe(4);
    // The party counts stay whole under a party filter, so the coordinator can switch parties.
    const filtered = await get<Board>(members.coordinator!, `/v1/stuck?waitingOn=${parties.municipality}`);
    expect(filtered.groups.party).toHaveLength(3);
    expect(filtered.overdue.items.every((o) => o.gateId === 'consent')).toBe(true);

    const paged = await walk<OverdueGate>(members.coordinator!, '/v1/stuck', (o) => `${o.caseId}:${o.gateId}`, (board: Board) => board.overdue);
    expect(paged).toHaveLength(10);
    expect(paged.map((o) => o.dueAt)).toEqual([...paged.map((o) => o.dueAt)].sort());
    for (const bad of ['overdueDays=-1', 'gateKind=meeting', 'partyKind=ngo', 'waitingOn=nobody', 'limit=0', 'cursor=bm90LWEtY3Vyc29y']) {
      expect((await h.call(members.coordinator!, 'GET', `/v1/stuck?${bad}`)).status, bad).toBe(400);
    }
  });

  it("the inbox pages through a party's turns, soonest due first, held cases marked", async () => {
    const items = await walk<{ caseId: string; gateId: string; dueAt: string; onHold: string | null; stuck: boolean }>(members.municipality!, '/v1/inbox', (i) => `${i.caseId}:${i.gateId}`);
    // Every open step on its turn, overdue or not: 1–4 overdue, 7 held, 8 due tomorrow.
    expect(items.map((i) => i.caseId).sort()).toEqual([ids[1], ids[2], ids[3], ids[4], ids[7], ids[8]].sort());
    expect(items.at(-1)!.caseId).toBe(ids[8]);
    expect(items.map((i) => i.dueAt)).toEqual([...items.map((i) => i.dueAt)].sort());
    expect(items.find((i) => i.caseId === ids[7])).toMatchObject({ onHold: 'held', stuck: false });
    expect(items.filter((i) => i.stuck)).toHaveLength(4);
    expect((await get<Page<unknown>>(otherMunicipality, '/v1/inbox')).items).toHaveLength(2);
  });

  it('the case list searches by reference, filters, sorts and pages', async () => {
    const list = (query: string) => get<Page<ListedCase>>(members.coordinator!, `/v1/cases?limit=100&${query}`);
    const refs = (page: Page<ListedCase>) => page.items.map((c) => c.reference);
    expect(refs(await list(`search=${run}-0&sort=reference`))).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map(ref));
    expect(refs(await list(`search=${run.toUpperCase()}-07`))).toEqual([ref(7)]);
    expect(refs(await list('search=%25'))).not.toContain(ref(1)); // % is a character to find, not a wildcard
    expect(refs(await list(`search=${run}&stuck=true&sort=reference`))).toEqual([1, 2, 3, 4, 5, 6].map(ref));
    expect(refs(await list(`search=${run}&stuck=false&sort=reference`))).toEqual([7, 8].map(ref));
    expect(refs(await list(`search=${run}&onHold=held`))).toEqual([ref(7)]);
    expect(refs(await list(`search=${run}&programmeId=${p2}&sort=reference`))).toEqual([5, 6].map(ref));
    expect(refs(await get<Page<ListedCase>>(otherMunicipality, `/v1/cases?search=${run}&waitingOnMe=true&sort=reference`))).toEqual([5, 6].map(ref));
    const one = (await list(`search=${ref(1)}`)).items[0]!;
    expect(one).toMatchObject({ stuck: true, daysOverdue: 19, onHold: null, stage: { title: 'Start' } });

    for (const sort of ['newest', 'due', 'reference', 'updated'] as CaseSort[]) {
      const paged = await walk<ListedCase>(members.coordinator!, `/v1/cases?search=${run}&sort=${sort}`, (c) => c.id);
      expect(paged, sort).toHaveLength(8);
    }
    const byDue = await walk<ListedCase>(members.coordinator!, `/v1/cases?search=${run}&sort=due`, (c) => c.id);
    expect(byDue.map((c) => c.nextDueAt ?? 'z')).toEqual([...byDue.map((c) => c.nextDueAt ?? 'z')].sort());
    // A cursor belongs to its list and order.
    const first = await get<Page<ListedCase>>(members.coordinator!, `/v1/cases?search=${run}&sort=due&limit=2`);
    expect((await h.call(members.coordinator!, 'GET', `/v1/cases?sort=reference&cursor=${first.nextCursor}`)).status).toBe(400);
    expect((await h.call(members.coordinator!, 'GET', `/v1/stuck?cursor=${first.nextCursor}`)).status).toBe(400);
  });

  it('the pages show the same: the board filtered by party with its counts, the case list searched, the inbox paged', async () => {
    const coordinator = new Visitor(h.app);
    await signedIn(coordinator, members.coordinator!);
    const page = await textOf(await coordinator.get(`/board?waitingOn=${parties.municipality}`));
    expect(page).toMatch(/Whose turn .*other-municipality \S+ \(2\)/);
    // The overdue steps, before the cases that do not move (these projected cases have no workflow, so they are also "stalled").
    const overdue = page.slice(page.indexOf('4 steps overdue'), page.indexOf('Not moving'));
    expect(overdue).toContain(ref(1));
    expect(overdue).not.toContain(ref(5));
    const all = await coordinator.get('/board?limit=3');
    const html = await all.text();
    expect(html).toContain('10 steps overdue');
    expect(html).toMatch(/rel="next"/);
    expect((await coordinator.get('/board?overdueDays=minus')).status).toBe(400);

    const cases = await textOf(await coordinator.get(`/cases?search=${run}-0&stuck=true&sort=reference`));
    expect(cases).toContain(ref(1));
    expect(cases).not.toContain(ref(7));
    expect(cases).toContain('overdue by 19 days');

    const officer = new Visitor(h.app);
    await signedIn(officer, members.municipality!);
    const inbox = await officer.get('/inbox?limit=2');
    const inboxHtml = await inbox.text();
    expect(inboxHtml).toMatch(/rel="next"/);
    const next = /href="([^"]+)" rel="next"/.exec(inboxHtml)![1]!.replace(/&amp;/g, '&');
    expect((await officer.get(next)).status).toBe(200);
  });

  it('every query behind the inbox, the board and the case list is served by an index', async () => {
    const statements: { query: string; parameters: unknown[] }[] = [];
    const sql = connectDb(inject('databaseUrl'), { max: 1, debug: (_c, query, parameters) => void statements.push({ query, parameters }) });
    try {
      const callerOf = (m: Member, organisationKind: Caller['organisationKind']): Caller => ({ ...m.actor, organisationKind, language: 'en' });
      const coordinator = callerOf(members.coordinator!, 'coordinator');
      await inboxFor(sql, callerOf(members.municipality!, 'municipality'), { limit: 2 });
      const page = await stuckBoardFor({ sql, temporal: h.client, temporalConnection: h.connection }, coordinator, { limit: 2, partyKind: 'municipality', overdueDays: 1 });
      await stuckBoardFor({ sql, temporal: h.client, temporalConnection: h.connection }, coordinator, { limit: 2, cursor: page.overdue.nextCursor!, waitingOn: parties.municipality });
      for (const sort of ['newest', 'due', 'reference', 'updated'] as CaseSort[]) {
        const first = await listCases(sql, coordinator, { sort, limit: 2 });
        await listCases(sql, coordinator, { sort, limit: 2, cursor: first.nextCursor!, stuck: true, waitingOnMe: true });
      }
      await listCases(sql, coordinator, { sort: 'newest', limit: 2, search: run, onHold: 'held', programmeId: p1 });
      expect(statements.length).toBeGreaterThan(15);

      const problems: string[] = [];
      let checkedPages = 0;
      let checkedNotMoving = 0;
      await h.sql.begin(async (tx) => {
        // With sequential scans and sorts priced out, a plan that still has one found no index to
        // use: every table read through an index, every keyset page read in the index's order.
        await tx`SET LOCAL enable_seqscan = off`;
        await tx`SET LOCAL enable_sort = off`;
        for (const { query, parameters } of statements.filter((s) => !s.query.includes('pg_catalog'))) {
          const keysetPage = /ORDER BY/.test(query) && /LIMIT \$\d+\s*$/.test(query) && !/LIKE|UNION|GROUPING/.test(query);
          if (keysetPage) checkedPages += 1;
          const [row] = await tx.unsafe<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(`EXPLAIN (FORMAT JSON) ${query}`, parameters as never[]);
          const plan = row!['QUERY PLAN'][0]!.Plan;
          // The cases not moving: stalled and never started can be every case at once (the workers
          // were away), so those branches must read in their index's order, not sort them all.
          const notMoving = /'stalled'/.test(query);
          if (notMoving) checkedNotMoving += 1;
          for (const node of nodes(plan)) {
            if (node['Node Type'] === 'Seq Scan') problems.push(`sequential scan of ${node['Relation Name']} in: ${query.replace(/\s+/g, ' ').slice(0, 160)}`);
            if (keysetPage && node['Node Type'] === 'Sort') problems.push(`a page sorted after reading in: ${query.replace(/\s+/g, ' ').slice(0, 160)}`);
            const sortKey = (node['Sort Key'] ?? []).join(', ');
            const readsTable = (node.Plans ?? []).some((child) => TABLE_READS.includes(child['Node Type']));
            if (notMoving && node['Node Type'] === 'Sort' && readsTable && /next_wake_at|created_at/.test(sortKey)) problems.push(`every case not moving sorted by ${sortKey}`);
          }
        }
      });
      expect(problems).toEqual([]);
      // Two boards: each reads a page of overdue steps and its steps open again (by the reopened index).
      expect(checkedPages).toBe(13);
      expect(checkedNotMoving).toBe(2);
    } finally {
      await sql.end();
    }
  });
});

const TABLE_READS = ['Seq Scan', 'Index Scan', 'Index Only Scan', 'Bitmap Heap Scan'];
type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Sort Key'?: string[]; Plans?: PlanNode[] };
function* nodes(plan: PlanNode): Generator<PlanNode> {
  yield plan;
  for (const child of plan.Plans ?? []) yield* nodes(child);
}
