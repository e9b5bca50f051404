/**
 * The SQL behind the programme reports (usecases/programme-reports.ts), read from the projection:
 * the case timeline (`case_events`) for durations and history, `open_gates` for the present.
 *
 * The timeline records when a step opened (`gate_opened`, with its due date) and when it closed
 * (approved, rejected, completed, offer accepted, agreement executed), and when a stage was entered
 * and completed, so durations are measured between recorded events, never guessed. Time on hold is
 * part of a step's duration: it is how long the household waited.
 *
 * Every query starts from the caller's coordinated cases (migration 015: by coordinator, programme,
 * pathway) and reads their events by case and kind (migration 015), so a report costs in proportion
 * to the cases it covers, not to every case of every organisation. Measured on two cores with
 * 100,000 cases and 1.7 million events: a coordinator of 100 of them gets its report in
 * milliseconds; one coordinating all the others waits a few seconds (each query 0.3–4 s, run at once).
 */
import type { OrganisationKind } from '../domain/organisation.js';
import type { Queryable } from '../infra/db.js';

export interface ReportScope {
  organisationId: string;
  programmeId?: string | undefined;
  pathwayId?: string | undefined;
}

/** The events that close a step (a check-in step ends with its support period, which is not a wait). */
const CLOSING = ['gate_approved', 'gate_rejected', 'task_completed', 'housing_offer_accepted', 'agreement_executed'];
/** Events after which no step opened before them is open: a new stage replaces its steps; an ended case has none. */
const ENDS_EVERY_STEP = ['stage_entered', 'case_completed', 'case_rejected', 'case_withdrawn'];
const HOLDS = ['case_held', 'case_resumed', 'programme_paused', 'programme_resumed'];

const casesIn = (sql: Queryable, s: ReportScope) =>
  sql`c.coordinator_organisation_id = ${s.organisationId}
      ${s.programmeId ? sql`AND c.programme_id = ${s.programmeId}` : sql``}
      ${s.pathwayId ? sql`AND c.pathway_id = ${s.pathwayId}` : sql``}`;

export interface DurationRow { pathwayId: string; id: string; count: number; median: number; p90: number }

/** Steps closed in [from, to): seconds from their latest opening to their closing, per pathway and step. */
export function stepDurations(sql: Queryable, s: ReportScope, from: Date, to: Date) {
  return sql<DurationRow[]>`
    SELECT c.pathway_id AS "pathwayId", e.data->>'gateId' AS id, count(*)::int AS count,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.at - o.at))::float8 AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM e.at - o.at))::float8 AS p90
    FROM cases c
    JOIN case_events e ON e.case_id = c.id AND e.kind = ANY(${CLOSING}::text[]) AND e.at >= ${from} AND e.at < ${to}
    CROSS JOIN LATERAL (
      SELECT o.at FROM case_events o
      WHERE o.case_id = e.case_id AND o.kind = 'gate_opened' AND o.data->>'gateId' = e.data->>'gateId' AND o.id < e.id
      ORDER BY o.id DESC LIMIT 1) o
    WHERE ${casesIn(sql, s)}
    GROUP BY 1, 2`;
}

/** Stages completed in [from, to): seconds from entering to completing, per pathway and stage. */
export function stageDurations(sql: Queryable, s: ReportScope, from: Date, to: Date) {
  return sql<DurationRow[]>`
    SELECT c.pathway_id AS "pathwayId", e.data->>'stage' AS id, count(*)::int AS count,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM e.at - o.at))::float8 AS median,
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM e.at - o.at))::float8 AS p90
    FROM cases c
    JOIN case_events e ON e.case_id = c.id AND e.kind = 'stage_completed' AND e.at >= ${from} AND e.at < ${to}
    CROSS JOIN LATERAL (
      SELECT o.at FROM case_events o
      WHERE o.case_id = e.case_id AND o.kind = 'stage_entered' AND o.data->>'stage' = e.data->>'stage' AND o.id < e.id
      ORDER BY o.id DESC LIMIT 1) o
    WHERE ${casesIn(sql, s)}
    GROUP BY 1, 2`;
}

/** Open steps now, by the kind of organisation whose turn it is (a step waiting on two counts for both); on hold left out, as on the board. */
export function waitingNow(sql: Queryable, s: ReportScope) {
  return sql<{ partyKind: OrganisationKind; steps: number; overdue: number }[]>`
    SELECT o.kind AS "partyKind", count(*)::int AS steps, count(*) FILTER (WHERE g.due_at < now())::int AS overdue
    FROM open_gates g JOIN organisations o ON o.id = g.waiting_on
    WHERE g.coordinator_organisation_id = ${s.organisationId} AND g.on_hold IS NULL AND g.waiting_on IS NOT NULL
      ${s.programmeId ? sql`AND g.programme_id = ${s.programmeId}` : sql``}
      ${s.pathwayId ? sql`AND g.pathway_id = ${s.pathwayId}` : sql``}
    GROUP BY 1 ORDER BY 2 DESC, 1`;
}

/**
 * How many steps were overdue at each of `weeks` week ends up to `end`, rebuilt from the timeline
 * (no daily snapshot is kept, and none is needed): a step counts at a moment when it had opened,
 * had not closed (by its own closing event, a new stage or the case's end), its due date — as it
 * opened, or as the coordinator last moved it before that moment — had passed, and its case was
 * not held or paused (the board does not count those either). Check-in steps are left out: their
 * reports are counted in the check-in completion. A case that ended before the first week end
 * cannot count, so its events are not read.
 *
 * Each case's events are read once and walked backwards (window functions whose frame grows, so
 * each is one pass): every opening or moved due date becomes a span with one due date, ending at
 * the next change of it or the step's end; every hold a span ending at the next hold event. The
 * week ends are then compared with spans, not with events — a few per case.
 */
export function overdueTrend(sql: Queryable, s: ReportScope, end: Date, weeks: number, checkinSteps: string[]) {
  const start = new Date(end.getTime() - (weeks - 1) * 7 * 86_400_000);
  const kinds = [...new Set([...CLOSING, ...ENDS_EVERY_STEP, ...HOLDS, 'gate_opened', 'deadline_extended'])];
  return sql<{ weekEnding: Date; overdue: number }[]>`
    WITH week_ends AS (
      SELECT ${end}::timestamptz - k * interval '7 days' AS t FROM generate_series(0, ${weeks - 1}::int) k
    ), events AS (
      SELECT e.case_id, e.id, e.kind, e.at, c.pathway_id || ':' || (e.data->>'gateId') AS step,
             CASE e.kind WHEN 'gate_opened' THEN (e.data->>'dueAt')::timestamptz WHEN 'deadline_extended' THEN (e.data->>'to')::timestamptz END AS due
      FROM cases c JOIN case_events e ON e.case_id = c.id AND e.kind = ANY(${kinds}::text[]) AND e.at <= ${end}
      WHERE ${casesIn(sql, s)}
        AND (c.status NOT IN ('completed', 'rejected', 'withdrawn') OR c.updated_at >= ${start})
    ), walked AS (
      SELECT case_id, kind, at, step, due,
             LEAST(min(at) FILTER (WHERE kind = ANY(${[...CLOSING, 'gate_opened']}::text[])) OVER later_of_step,
                   min(at) FILTER (WHERE kind = ANY(${ENDS_EVERY_STEP}::text[])) OVER later_of_case) AS closed_at,
             min(at) FILTER (WHERE kind IN ('gate_opened', 'deadline_extended')) OVER later_of_step AS due_changed_at,
             min(at) FILTER (WHERE kind = ANY(${HOLDS}::text[])) OVER later_of_case AS hold_changed_at
      FROM events
      WINDOW later_of_step AS (PARTITION BY case_id, step ORDER BY id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
             later_of_case AS (PARTITION BY case_id ORDER BY id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    ), due_spans AS (
      SELECT case_id, at AS since, LEAST(closed_at, due_changed_at) AS until, due FROM walked
      WHERE kind IN ('gate_opened', 'deadline_extended') AND NOT (step = ANY(${checkinSteps}::text[]))
        AND due < ${end} AND (LEAST(closed_at, due_changed_at) IS NULL OR LEAST(closed_at, due_changed_at) > ${start})
    ), holds AS (
      SELECT case_id, at AS since, hold_changed_at AS until FROM walked
      WHERE kind IN ('case_held', 'programme_paused') AND (hold_changed_at IS NULL OR hold_changed_at > ${start})
    ), overdue AS (
      -- In WHERE, not in a join's ON, so that the holds are an anti-join by case, not a scan per pair.
      SELECT w.t, d.case_id FROM week_ends w JOIN due_spans d ON d.since <= w.t AND (d.until IS NULL OR d.until > w.t) AND d.due < w.t
      WHERE NOT EXISTS (SELECT 1 FROM holds h WHERE h.case_id = d.case_id AND h.since <= w.t AND (h.until IS NULL OR h.until > w.t))
    )
    SELECT w.t AS "weekEnding", count(o.case_id)::int AS overdue
    FROM week_ends w LEFT JOIN overdue o ON o.t = w.t
    GROUP BY w.t ORDER BY w.t`;
}

/** Arrivals (an arrival stage completed, `pathwayId:stageId` in `arrivalStages`) per calendar month (UTC) before `end`. */
export function arrivalsByMonth(sql: Queryable, s: ReportScope, end: Date, arrivalStages: string[]) {
  return sql<{ month: string; arrivals: number }[]>`
    SELECT to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS arrivals
    FROM cases c JOIN case_events e ON e.case_id = c.id AND e.kind = 'stage_completed' AND e.at < ${end}
    WHERE ${casesIn(sql, s)} AND (c.pathway_id || ':' || (e.data->>'stage')) = ANY(${arrivalStages}::text[])
    GROUP BY 1 ORDER BY 1`;
}

/**
 * Check-in reports that fell due in [from, to) — a report's first event (announced as due, sent
 * early, or missed) dates it — by what became of them since: sent with no deadline missed, sent
 * after its deadline passed, still missing after its deadline, or not yet at its deadline.
 */
export async function checkinOutcomes(sql: Queryable, s: ReportScope, from: Date, to: Date) {
  const [row] = await sql<{ onTime: number; late: number; missing: number; open: number }[]>`
    SELECT count(*) FILTER (WHERE r.submitted AND NOT r.missed)::int AS "onTime",
           count(*) FILTER (WHERE r.submitted AND r.missed)::int AS late,
           count(*) FILTER (WHERE NOT r.submitted AND r.missed)::int AS missing,
           count(*) FILTER (WHERE NOT r.submitted AND NOT r.missed)::int AS open
    FROM (
      SELECT min(e.at) AS first, bool_or(e.kind = 'checkin_submitted') AS submitted, bool_or(e.kind = 'checkin_missed') AS missed
      FROM cases c JOIN case_events e ON e.case_id = c.id AND e.kind IN ('checkin_due', 'checkin_submitted', 'checkin_missed')
      WHERE ${casesIn(sql, s)}
      GROUP BY e.case_id, e.data->>'gateId', e.data->>'report') r
    WHERE r.first >= ${from} AND r.first < ${to}`;
  return row!;
}
