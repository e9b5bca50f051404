/**
 * P3: the coordinators' board, an officer's inbox and the case list at a tenth of `size` cases and
 * at `size` (default 10,000 and 100,000), through the HTTP API. The cases are made by the domain and
 * written by the real projection activity (no workflow each: a workflow per case would take hours
 * to reach 100,000 here), spread as a national programme is: one coordinator, 50 municipalities,
 * 200 sponsor groups, five programmes, opened over three months, one in twenty on hold — so most
 * have overdue steps. The engine has nothing to compare with (Temporal's own list of workflows is
 * not a board), so these figures stand against their targets alone.
 */
import { randomUUID } from 'node:crypto';
import { inParallel } from '../activities/parallel.js';
import { createOrganisation, createParties, createProgrammeRow } from '../test/support/fixtures.js';
import { projector } from '../test/support/projected-cases.js';
import { manyPartiesTemplate as template } from '../test/support/templates.js';
import { countOverdue } from '../usecases/board.js';
import { serveBenchApi } from './api.js';
import { percentile } from './percentiles.js';
import type { Report } from './report.js';
import type { BenchStack } from './stack.js';

const REQUESTS = 200;
const WARM_UP = 20;
/** Cases written at once: enough to keep both cores busy with the projection's transactions. */
const PROJECTED_AT_ONCE = 8;

interface Question {
  name: string;
  ask: () => Promise<unknown>;
  requests: number;
}

/** Each request after the one before, as one person clicking through: p50 and p95 in milliseconds. */
async function timed(q: { ask: () => Promise<unknown>; requests: number }): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARM_UP; i++) await q.ask();
  const times: number[] = [];
  for (let i = 0; i < q.requests; i++) {
    const started = performance.now();
    await q.ask();
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

export async function boardQueries(stack: BenchStack, size: number, report: Report): Promise<void> {
  const { sql } = stack;
  const run = randomUUID().slice(0, 6);
  const { members, parties } = await createParties(sql, template);
  const municipalities = [parties.municipality!, ...(await Promise.all(Array.from({ length: 49 }, (_, i) => createOrganisation(sql, 'municipality', 'nl', `gemeente-${i}`)))).map((m) => m.organisationId)];
  const sponsors = [parties.sponsor!, ...(await Promise.all(Array.from({ length: 199 }, (_, i) => createOrganisation(sql, 'sponsor_group', 'nl', `sponsorgroep-${i}`)))).map((m) => m.organisationId)];
  const programmes = await Promise.all(Array.from({ length: 5 }, () => createProgrammeRow(sql, template, parties.coordinator!, size)));
  const projectedCase = projector(sql);
  const caseNumber = (i: number) => ({
    template,
    parties: { ...parties, municipality: municipalities[i % municipalities.length]!, sponsor: sponsors[i % sponsors.length]! },
    programmeId: programmes[i % programmes.length],
    reference: `NL-${run}-${String(i).padStart(6, '0')}`,
    daysAgo: ((i * 37) % 9_000) / 100,
    held: i % 20 === 0,
  });

  const api = await serveBenchApi(stack, 'bench-p3');
  const questions: Question[] = [
    { name: 'board', ask: () => api.get(members.coordinator!, '/v1/stuck'), requests: REQUESTS },
    { name: 'board, municipalities 7+ days overdue', ask: () => api.get(members.coordinator!, '/v1/stuck?partyKind=municipality&overdueDays=7'), requests: REQUESTS },
    { name: 'inbox', ask: () => api.get(members.municipality!, '/v1/inbox'), requests: REQUESTS },
    { name: 'case list', ask: () => api.get(members.coordinator!, '/v1/cases'), requests: REQUESTS },
    { name: 'case list, overdue, soonest due', ask: () => api.get(members.coordinator!, '/v1/cases?stuck=true&sort=due'), requests: REQUESTS },
    { name: 'case list, search', ask: () => api.get(members.coordinator!, `/v1/cases?search=${run}-0421`), requests: REQUESTS },
  ];
  // What a large board's counts cost when they are counted: once every 10 s per coordinator and
  // filter, behind the answers (usecases/board-counts.ts), or before the first answer to a filter.
  const countedAfresh: Question = { name: 'board counts, counted afresh', ask: () => countOverdue(sql, parties.coordinator!, {}), requests: REQUESTS / 4 };
  const figures = new Map<string, { p50: number; p95: number }>();
  try {
    let made = 0;
    for (const at of [Math.round(size / 10), size]) {
      const started = performance.now();
      await inParallel(
        Array.from({ length: at - made }, (_, i) => made + i),
        PROJECTED_AT_ONCE,
        (i) => projectedCase(caseNumber(i)),
      );
      console.log(`${at} cases projected (${((at - made) / ((performance.now() - started) / 1000)).toFixed(0)} cases/s)`);
      made = at;
      // What autovacuum does after a bulk load: fresh statistics and a visibility map for index-only scans.
      await sql.unsafe('VACUUM ANALYZE');
      for (const q of [...questions, countedAfresh]) {
        const f = await timed(q);
        figures.set(`${q.name}@${at}`, f);
        // The counts alone have no target of their own: the requests above carry them.
        const last = at === size && q !== countedAfresh;
        report.add({ benchmark: 'P3', name: `${q.name} p50 at ${at}`, unit: 'ms', value: f.p50 });
        report.add({ benchmark: 'P3', name: `${q.name} p95 at ${at}`, unit: 'ms', value: f.p95, ...(last ? { target: { on: 'figure', op: '≤', limit: 50 } } : {}) });
      }
    }
    for (const q of [...questions, countedAfresh]) {
      const small = figures.get(`${q.name}@${Math.round(size / 10)}`)!;
      const large = figures.get(`${q.name}@${size}`)!;
      const target = q === countedAfresh ? {} : { target: { on: 'figure' as const, op: '≤' as const, limit: 1.5 } };
      report.add({ benchmark: 'P3', name: `${q.name} p95 growth ×10 cases`, unit: '×', value: large.p95 / small.p95, ...target, note: `${small.p95.toFixed(1)} → ${large.p95.toFixed(1)} ms` });
    }
  } finally {
    await api.close();
  }
}
