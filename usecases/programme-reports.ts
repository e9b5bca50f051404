/**
 * Reports for coordinators, per programme and pathway: how long steps and stages take (median and
 * 90th percentile), whose turn the open steps are now, how many steps were overdue week by week,
 * arrivals per month against the programme's places, and what became of the check-in reports.
 * The API (`GET /v1/reports`) and the reports page read this one function.
 *
 * Who reads it: the coordinating organisation, over the cases and programmes it coordinates (the
 * same cases as its board). Other organisations get 403 like the board: their own cases' progress
 * is on their case pages, and counts over a programme they only take part in would tell them about
 * other parties' cases. A programme the caller does not coordinate is 404. Nothing personal is in
 * a report: counts and durations only, no case references.
 */
import { z } from '@hono/zod-openapi';
import type { OrganisationKind } from '../domain/organisation.js';
import type { PathwayTemplate } from '../domain/pathway.js';
import { builtInTemplates } from '../domain/templates/index.js';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import { ProblemError, invalidInput } from './problem.js';
import { programmeNotFound } from './scope.js';
import { arrivalsByMonth, checkinOutcomes, overdueTrend, stageDurations, stepDurations, waitingNow, type DurationRow, type ReportScope } from './report-queries.js';

const DAY = 86_400_000;
/** The overdue trend's length: a quarter, week by week. */
export const TREND_WEEKS = 12;
/** The longest period a report covers: its months are listed one by one. */
const MAX_DAYS = 5 * 366;

export const ReportQuery = z.object({
  programmeId: z.uuid().optional().describe('Only this programme (one you coordinate); its places are the quota arrivals are measured against'),
  pathwayId: z.string().max(60).optional().describe('Only cases of this pathway'),
  from: z.iso.date().optional().describe('First day of the period (UTC); default: 365 days before `to`'),
  to: z.iso.date().optional().describe('Last day of the period (UTC), included; default: today'),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

/** Durations in days, to a tenth. */
export interface Duration { pathwayId: string; id: string; title: string; count: number; medianDays: number; p90Days: number }

export interface ProgrammeReport {
  period: { from: string; to: string };
  programme: { id: string; name: string; quota: number } | null;
  pathwayId: string | null;
  steps: Duration[];
  stages: Duration[];
  waitingNow: { partyKind: OrganisationKind; steps: number; overdue: number }[];
  overdueTrend: { weekEnding: string; overdue: number }[];
  arrivals: { quota: number | null; before: number; months: { month: string; arrivals: number; cumulative: number }[] };
  checkins: { onTime: number; late: number; missing: number; open: number };
  /** What the filter can choose from: the programmes the caller coordinates, and the pathways. */
  choices: { programmes: { id: string; name: string; pathwayId: string }[]; pathways: { id: string; name: string }[] };
}

export const coordinatorsOnly = () => new ProblemError(403, 'Coordinators only', 'Reports are for coordinators.');

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const days = (seconds: number) => Math.round((seconds / 86_400) * 10) / 10;

function period(query: ReportQuery, now: Date): { from: Date; end: Date } {
  const end = new Date(Date.parse(`${query.to ?? isoDay(now)}T00:00:00Z`) + DAY);
  const from = query.from ? new Date(`${query.from}T00:00:00Z`) : new Date(end.getTime() - 365 * DAY);
  if (from >= end) throw invalidInput('from', 'must be on or before `to`');
  if (end.getTime() - from.getTime() > MAX_DAYS * DAY) throw invalidInput('from', 'a report covers at most five years');
  return { from, end };
}

/** Every month from `from`'s to `end`'s (exclusive end), as `YYYY-MM`. */
function monthsOf(from: Date, end: Date): string[] {
  const months: string[] = [];
  const month = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
  while (month < end) {
    months.push(month.toISOString().slice(0, 7));
    month.setUTCMonth(month.getUTCMonth() + 1);
  }
  return months;
}

/** Durations in the order of the pathway (then by id), titled from the template that defines them. */
function durations(rows: DurationRow[], templates: Map<string, PathwayTemplate>, find: (t: PathwayTemplate, id: string) => { title: string; at: number } | undefined): Duration[] {
  return rows
    .map((r) => ({ r, found: templates.has(r.pathwayId) ? find(templates.get(r.pathwayId)!, r.id) : undefined }))
    .sort((a, b) => a.r.pathwayId.localeCompare(b.r.pathwayId) || (a.found?.at ?? 1e6) - (b.found?.at ?? 1e6) || a.r.id.localeCompare(b.r.id))
    .map(({ r, found }) => ({ pathwayId: r.pathwayId, id: r.id, title: found?.title ?? r.id, count: r.count, medianDays: days(r.median), p90Days: days(r.p90) }));
}

const stepIn = (t: PathwayTemplate, id: string) => {
  const gates = t.stages.flatMap((s) => s.gates);
  const at = gates.findIndex((g) => g.id === id);
  return at < 0 ? undefined : { title: gates[at]!.title, at };
};
const stageIn = (t: PathwayTemplate, id: string) => {
  const at = t.stages.findIndex((s) => s.id === id);
  return at < 0 ? undefined : { title: t.stages[at]!.title, at };
};

export async function programmeReport(sql: Queryable, caller: Caller, query: ReportQuery, now = new Date()): Promise<ProgrammeReport> {
  if (caller.role !== 'coordinator') throw coordinatorsOnly();
  const { from, end } = period(query, now);
  // An organisation coordinates tens of programmes, not thousands (usecases/programme-list.ts).
  const programmes = await sql<{ id: string; name: string; pathwayId: string; quota: number; template: PathwayTemplate }[]>`
    SELECT id, name, pathway_id AS "pathwayId", quota, template FROM programmes
    WHERE coordinator_organisation_id = ${caller.organisationId} ORDER BY created_at DESC, id DESC`;
  const programme = query.programmeId ? programmes.find((p) => p.id === query.programmeId) : undefined;
  if (query.programmeId && !programme) throw programmeNotFound();

  // A programme's own template names its steps; cases outside programmes follow the built-in ones.
  const templates = new Map<string, PathwayTemplate>(Object.values(builtInTemplates).map((t) => [t.id, t]));
  for (const p of programmes) if (!templates.has(p.pathwayId)) templates.set(p.pathwayId, p.template);
  if (programme) templates.set(programme.pathwayId, programme.template);
  const keys = (pick: (t: PathwayTemplate) => string[]) => [...templates.values(), ...programmes.map((p) => p.template)].flatMap((t) => pick(t).map((id) => `${t.id}:${id}`));
  const arrivalStages = keys((t) => t.stages.filter((s) => s.arrival).map((s) => s.id));
  const checkinSteps = keys((t) => t.stages.flatMap((s) => s.gates).filter((g) => g.kind === 'checkins').map((g) => g.id));

  const scope: ReportScope = { organisationId: caller.organisationId, programmeId: query.programmeId, pathwayId: query.pathwayId };
  const trendEnd = new Date(Math.min(end.getTime(), now.getTime()));
  const [steps, stages, waiting, trend, arrived, checkins] = await Promise.all([
    stepDurations(sql, scope, from, end),
    stageDurations(sql, scope, from, end),
    waitingNow(sql, scope),
    overdueTrend(sql, scope, trendEnd, TREND_WEEKS, checkinSteps),
    arrivalsByMonth(sql, scope, end, arrivalStages),
    checkinOutcomes(sql, scope, from, end),
  ]);

  const firstMonth = isoDay(from).slice(0, 7);
  const before = arrived.filter((a) => a.month < firstMonth).reduce((n, a) => n + a.arrivals, 0);
  let cumulative = before;
  const months = monthsOf(from, end).map((month) => {
    const arrivals = arrived.find((a) => a.month === month)?.arrivals ?? 0;
    cumulative += arrivals;
    return { month, arrivals, cumulative };
  });

  return {
    period: { from: isoDay(from), to: isoDay(new Date(end.getTime() - DAY)) },
    programme: programme ? { id: programme.id, name: programme.name, quota: programme.quota } : null,
    pathwayId: query.pathwayId ?? null,
    steps: durations(steps, templates, stepIn),
    stages: durations(stages, templates, stageIn),
    waitingNow: waiting,
    overdueTrend: trend.map((w) => ({ weekEnding: w.weekEnding.toISOString(), overdue: w.overdue })),
    arrivals: { quota: programme?.quota ?? null, before, months },
    checkins,
    choices: {
      programmes: programmes.map((p) => ({ id: p.id, name: p.name, pathwayId: p.pathwayId })),
      pathways: [...templates.values()].map((t) => ({ id: t.id, name: t.name })).sort((a, b) => a.name.localeCompare(b.name)),
    },
  };
}
