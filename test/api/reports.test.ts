// The programme reports as JSON, from a known history (test/support/report-data.ts): exact
// medians, 90th percentiles and counts; only the coordinating organisation reads them; and every
// query behind them reads the tables through an index.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { connectDb } from '../../infra/db.js';
import type { Caller } from '../../usecases/caller.js';
import { programmeReport, type ProgrammeReport } from '../../usecases/programme-reports.js';
import { useApi } from '../support/api.js';
import { createParties, type Member } from '../support/fixtures.js';
import { buildReportData, EXPECTED_TREND, PERIOD, reportTemplate, YEAR, type ReportData } from '../support/report-data.js';

describe('programme reports', () => {
  const h = useApi('reports');
  let data: ReportData;
  let other: Record<string, Member>;
  const period = `from=${PERIOD.from}&to=${PERIOD.to}`;

  const get = async (who: Member, query: string): Promise<ProgrammeReport> => {
    const response = await h.call(who, 'GET', `/v1/reports?${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as ProgrammeReport;
  };

  beforeAll(async () => {
    data = await buildReportData(h.sql);
    ({ members: other } = await createParties(h.sql, reportTemplate));
  });

  it('times each step and stage closed in the period: median and 90th percentile, in pathway order', async () => {
    const report = await get(data.members.coordinator!, `programmeId=${data.durations}&${period}`);
    expect(report.period).toEqual(PERIOD);
    expect(report.programme).toMatchObject({ id: data.durations, quota: 10 });
    expect(report.steps).toEqual([
      { pathwayId: 'report-pathway', id: 'eligibility', title: 'Eligibility', count: 5, medianDays: 6, p90Days: 9.2 },
      { pathwayId: 'report-pathway', id: 'consent', title: 'Municipal consent', count: 4, medianDays: 4, p90Days: 6.4 },
    ]);
    expect(report.stages).toEqual([
      { pathwayId: 'report-pathway', id: 'intake', title: 'Intake', count: 5, medianDays: 6, p90Days: 9.2 },
      { pathwayId: 'report-pathway', id: 'arrival', title: 'Arrival', count: 3, medianDays: 3, p90Days: 3 },
    ]);
  });

  it('counts arrivals per month against the programme’s places, and what became of the check-in reports', async () => {
    const report = await get(data.members.coordinator!, `programmeId=${data.durations}&${period}`);
    expect(report.arrivals).toEqual({
      quota: 10,
      before: 1,
      months: [[1, 0, 1], [2, 0, 1], [3, 2, 3], [4, 0, 3], [5, 1, 4], [6, 0, 4]].map(([m, arrivals, cumulative]) => ({ month: `${YEAR}-0${m}`, arrivals, cumulative })),
    });
    expect(report.checkins).toEqual({ onTime: 2, late: 1, missing: 1, open: 1 });
    // Without a programme there is no quota to compare with.
    expect((await get(data.members.coordinator!, period)).arrivals.quota).toBeNull();
  });

  it('rebuilds the overdue steps week by week from the timeline: moved dates, holds and ends of stages count; check-in steps do not', async () => {
    const report = await get(data.members.coordinator!, `programmeId=${data.trend}&${period}`);
    expect(report.overdueTrend).toEqual(EXPECTED_TREND.map(([day, overdue]) => ({ weekEnding: `${YEAR}-${day}T00:00:00.000Z`, overdue })));
    expect((await get(data.members.coordinator!, `programmeId=${data.durations}&${period}`)).overdueTrend.every((w) => w.overdue === 0)).toBe(true);
  });

  it('says whose turn the open steps are now, by kind of organisation, without the cases on hold', async () => {
    const report = await get(data.members.coordinator!, `programmeId=${data.now}`);
    expect(report.waitingNow).toEqual([
      { partyKind: 'coordinator', steps: 2, overdue: 2 },
      { partyKind: 'municipality', steps: 2, overdue: 1 },
    ]);
  });

  it('narrows by pathway, and the whole organisation’s report adds its programmes up', async () => {
    const all = await get(data.members.coordinator!, period);
    expect(all.steps.find((s) => s.id === 'eligibility')!.count).toBe(6);
    expect(all.checkins).toEqual({ onTime: 2, late: 1, missing: 1, open: 1 });
    expect(all.choices.programmes.map((p) => p.id).sort()).toEqual([data.durations, data.trend, data.now].sort());
    expect(all.choices.pathways.map((p) => p.id)).toContain('report-pathway');
    expect((await get(data.members.coordinator!, `pathwayId=report-pathway&${period}`)).steps).toEqual(all.steps);
    const elsewhere = await get(data.members.coordinator!, `pathwayId=community-sponsorship&${period}`);
    expect([elsewhere.steps, elsewhere.stages, elsewhere.waitingNow]).toEqual([[], [], []]);
  });

  it('is the coordinating organisation’s alone: another coordinator sees none of it, other parties are refused', async () => {
    const stranger = await get(other.coordinator!, period);
    expect([stranger.steps, stranger.stages, stranger.waitingNow, stranger.choices.programmes]).toEqual([[], [], [], []]);
    expect(stranger.checkins).toEqual({ onTime: 0, late: 0, missing: 0, open: 0 });
    expect(stranger.arrivals.months.every((m) => m.arrivals === 0) && stranger.arrivals.before === 0).toBe(true);
    expect((await h.call(other.coordinator!, 'GET', `/v1/reports?programmeId=${data.durations}`)).status).toBe(404);
    for (const slot of ['sponsor', 'municipality']) expect((await h.call(data.members[slot]!, 'GET', '/v1/reports')).status).toBe(403);
    expect((await h.call(undefined, 'GET', '/v1/reports')).status).toBe(401);
  });

  it('refuses a period that ends before it begins, or is not a date', async () => {
    for (const query of [`from=${YEAR}-06-01&to=${YEAR}-05-01`, 'from=yesterday', `from=${YEAR - 9}-01-01&to=${YEAR}-01-01`]) {
      expect((await h.call(data.members.coordinator!, 'GET', `/v1/reports?${query}`)).status, query).toBe(400);
    }
  });

  it('reads every table through an index', async () => {
    const statements: { query: string; parameters: unknown[] }[] = [];
    const sql = connectDb(inject('databaseUrl'), { max: 1, debug: (_c, query, parameters) => void statements.push({ query, parameters }) });
    try {
      const caller: Caller = { ...data.members.coordinator!.actor, organisationKind: 'coordinator', language: 'en' };
      await programmeReport(sql, caller, { programmeId: data.trend, from: PERIOD.from, to: PERIOD.to });
      await programmeReport(sql, caller, { pathwayId: 'report-pathway' });
      const problems: string[] = [];
      await h.sql.begin(async (tx) => {
        // With sequential scans priced out, a plan that still has one found no index to use.
        await tx`SET LOCAL enable_seqscan = off`;
        for (const { query, parameters } of statements.filter((s) => /case_events|open_gates|FROM programmes/.test(s.query))) {
          const [row] = await tx.unsafe<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(`EXPLAIN (FORMAT JSON) ${query}`, parameters as never[]);
          for (const node of nodes(row!['QUERY PLAN'][0]!.Plan)) {
            if (node['Node Type'] === 'Seq Scan' && node['Relation Name']) problems.push(`sequential scan of ${node['Relation Name']} in: ${query.replace(/\s+/g, ' ').slice(0, 160)}`);
          }
        }
      });
      expect(statements.filter((s) => /case_events|open_gates/.test(s.query)).length).toBe(12);
      expect(problems).toEqual([]);
    } finally {
      await sql.end();
    }
  });
});

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] };
function* nodes(plan: PlanNode): Generator<PlanNode> {
  yield plan;
  for (const child of plan.Plans ?? []) yield* nodes(child);
}
