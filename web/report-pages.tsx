/**
 * The reports page: a coordinator's programmes and pathways in charts — time per step and stage,
 * whose turn it is now, the overdue trend, arrivals against places and check-in completion — each
 * chart beside a table of the same numbers, from the same use case as `GET /v1/reports`.
 */
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { z } from 'zod';
import type { DoorDeps } from '../usecases/deps.js';
import { programmeReport, type Duration, type ProgrammeReport } from '../usecases/programme-reports.js';
import { BarChart, ColumnChart, LineChart, RangeChart } from './charts.js';
import { formatDate } from './dates.js';
import { personOf, type WebEnv } from './env.js';
import { localTitle, type Messages } from './i18n/index.js';
import { Page } from './layout.js';
import { Choice, FilterForm, listQuery } from './list-controls.js';
import { Forbidden } from './problems.js';

const PERIODS = ['3', '6', '12', '24'] as const;
const PageQuery = z.object({ programmeId: z.uuid().optional(), pathwayId: z.string().max(60).optional(), period: z.enum(PERIODS).default('12') });

/** The period's first day: as many months back from today (UTC, as the report counts days). */
function monthsBack(months: number, now = new Date()): string {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, now.getUTCDate() + 1));
  return from.toISOString().slice(0, 10);
}

function Section(props: { id: string; title: string; intro: string; empty: boolean; t: Messages; children?: Child }) {
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      <p>{props.intro}</p>
      {props.empty ? <p class="muted">{props.t.programmeReports.none}</p> : props.children}
    </section>
  );
}

function Durations(props: { t: Messages; id: string; title: string; intro: string; what: string; count: string; rows: Duration[]; n: (v: number) => string }) {
  const { t, n } = props;
  const r = t.programmeReports;
  const label = (d: Duration) => localTitle(t, d.title);
  return (
    <Section t={t} id={props.id} title={props.title} intro={props.intro} empty={props.rows.length === 0}>
      <RangeChart
        id={`${props.id}-chart`} title={props.title} description={props.intro}
        items={props.rows.map((d) => ({ label: label(d), median: d.medianDays, p90: d.p90Days, text: r.range(n(d.medianDays), n(d.p90Days)) }))}
        table={{ headers: [props.what, props.count, r.median, r.p90], rows: props.rows.map((d) => [label(d), n(d.count), n(d.medianDays), n(d.p90Days)]) }}
      />
    </Section>
  );
}

function Report(props: { t: Messages; report: ProgrammeReport }) {
  const { t, report } = props;
  const r = t.programmeReports;
  const n = (v: number) => new Intl.NumberFormat(t.date, { maximumFractionDigits: 1 }).format(v);
  const month = (m: string) => new Intl.DateTimeFormat(t.date, { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${m}-01T00:00:00Z`));
  const { arrivals, checkins } = report;
  const outcomes = (['onTime', 'late', 'missing', 'open'] as const).map((k) => ({ k, label: r.outcomes[k] ?? k, value: checkins[k] }));
  return (
    <>
      <Durations t={t} id="steps" title={r.steps} intro={r.stepsIntro} what={r.step} count={r.closed} rows={report.steps} n={n} />
      <Durations t={t} id="stages" title={r.stages} intro={r.stagesIntro} what={r.stage} count={r.completed} rows={report.stages} n={n} />
      <Section t={t} id="waiting" title={r.waiting} intro={r.waitingIntro} empty={report.waitingNow.length === 0}>
        <BarChart
          id="waiting-chart" title={r.waiting} description={r.waitingIntro}
          items={report.waitingNow.map((w) => ({ label: t.organisationKinds[w.partyKind] ?? w.partyKind, value: w.steps, text: r.openLine(n(w.steps), n(w.overdue)) }))}
          table={{ headers: [r.party, r.openSteps, r.overdue], rows: report.waitingNow.map((w) => [t.organisationKinds[w.partyKind] ?? w.partyKind, n(w.steps), n(w.overdue)]) }}
        />
      </Section>
      <Section t={t} id="trend" title={r.trend} intro={r.trendIntro} empty={false}>
        <LineChart
          id="trend-chart" title={r.trend} description={r.trendIntro} format={n}
          points={report.overdueTrend.map((w) => ({ label: formatDate(t, w.weekEnding), value: w.overdue }))}
          table={{ headers: [r.weekEnding, r.overdueSteps], rows: report.overdueTrend.map((w) => [formatDate(t, w.weekEnding), n(w.overdue)]) }}
        />
      </Section>
      <Section t={t} id="arrivals" title={r.arrivals} intro={r.arrivalsIntro} empty={false}>
        {arrivals.quota === null && <p class="notice">{r.noQuota}</p>}
        {arrivals.before > 0 && <p>{r.before(n(arrivals.before))}</p>}
        <ColumnChart
          id="arrivals-chart" title={r.arrivals} description={r.arrivalsIntro}
          points={arrivals.months.map((m) => ({ label: month(m.month), value: m.arrivals, text: n(m.arrivals) }))}
          table={{ headers: [r.month, r.arrived, r.arrivedTotal], rows: arrivals.months.map((m) => [month(m.month), n(m.arrivals), n(m.cumulative)]) }}
        />
        <LineChart
          id="arrivals-total-chart" title={r.totalArrivals} description={arrivals.quota === null ? r.totalArrivals : `${r.totalArrivals}; ${r.places(n(arrivals.quota))}`} format={n}
          points={arrivals.months.map((m) => ({ label: month(m.month), value: m.cumulative }))}
          {...(arrivals.quota === null ? {} : { reference: { value: arrivals.quota, label: r.places(n(arrivals.quota)) } })}
          table={{ headers: [r.month, r.arrivedTotal], rows: arrivals.months.map((m) => [month(m.month), n(m.cumulative)]) }}
        />
      </Section>
      <Section t={t} id="checkins" title={r.checkins} intro={r.checkinsIntro} empty={outcomes.every((o) => o.value === 0)}>
        <BarChart
          id="checkins-chart" title={r.checkins} description={r.checkinsIntro}
          items={outcomes.map((o) => ({ label: o.label, value: o.value, text: n(o.value), alert: o.k === 'missing' }))}
          table={{ headers: [r.outcome, r.reportCount], rows: outcomes.map((o) => [o.label, n(o.value)]) }}
        />
      </Section>
    </>
  );
}

export function reportPages(deps: DoorDeps) {
  const app = new Hono<WebEnv>();
  app.get('/reports', async (c) => {
    const t = c.get('t');
    const person = personOf(c);
    if (person.role !== 'coordinator') return Forbidden(c);
    const query = PageQuery.parse(listQuery(c.req.query()));
    const report = await programmeReport(deps.sql, person, { programmeId: query.programmeId, pathwayId: query.pathwayId, from: monthsBack(Number(query.period)) });
    const r = t.programmeReports;
    return c.html(
      <Page c={c} title={r.title} section="reports">
        <h1>{r.title}</h1>
        <p>{r.intro}</p>
        <FilterForm t={t} action="/reports" label={r.filters}>
          <Choice t={t} name="programmeId" label={r.programme} value={query.programmeId} options={report.choices.programmes.map((p) => [p.id, p.name])} />
          <Choice t={t} name="pathwayId" label={r.pathway} value={query.pathwayId} options={report.choices.pathways.map((p) => [p.id, localTitle(t, p.name)])} />
          <div class="field">
            <label for="filter-period">{r.period}</label>
            <select id="filter-period" name="period">
              {PERIODS.map((p) => (
                <option value={p} selected={p === query.period}>{r.periods[p]}</option>
              ))}
            </select>
          </div>
        </FilterForm>
        <p>{r.covers(formatDate(t, `${report.period.from}T12:00:00Z`), formatDate(t, `${report.period.to}T12:00:00Z`))}</p>
        <Report t={t} report={report} />
      </Page>,
    );
  });
  return app;
}
