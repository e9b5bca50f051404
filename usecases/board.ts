/**
 * The coordinators' board: whose turn is it, since when. Every overdue step of the cases the
 * caller's organisation coordinates, a page at a time, filtered and counted by the party it waits
 * on, programme, pathway, kind of step and how long overdue — read from `open_gates` by index,
 * never from cases' states. Beside it, steps failing on our side (activities and emails), cases
 * whose workflow stopped, stalled or never started, and whether the machinery itself is up. When
 * part of it cannot be read, the board says so instead of showing an empty list.
 */
import type { Client, Connection } from '@temporalio/client';
import { z } from 'zod';
import { OrganisationKind } from '../domain/organisation.js';
import { GATE_KINDS, type GateKind } from '../domain/pathway.js';
import type { Sql } from '../infra/db.js';
import { TASK_QUEUE } from '../workflows/contract.js';
import type { Caller } from './caller.js';
import { CountsMemo } from './board-counts.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { ProblemError } from './problem.js';

export interface Party {
  id: string;
  name: string;
  kind: OrganisationKind;
}

export interface OverdueGate {
  caseId: string;
  reference: string;
  gateId: string;
  kind: GateKind;
  title: string;
  waitingOn: Party[];
  programmeId: string | null;
  pathwayId: string;
  /** When it fell due: stuck since then. */
  dueAt: string;
  daysOverdue: number;
  remindersSent: number;
  escalationsSent: number;
}

/** How long overdue, in the steps a coordinator acts on. */
export const OVERDUE_FOR = ['under-a-week', '1-4-weeks', 'over-4-weeks'] as const;
export type OverdueFor = (typeof OVERDUE_FOR)[number];

/** What the board shows, as the API's query string and the page's filter form both spell it. */
export const BoardQuery = z.object({
  waitingOn: z.uuid().optional().describe('Only steps waiting on this organisation'),
  partyKind: OrganisationKind.optional().describe('Only steps waiting on an organisation of this kind'),
  programmeId: z.uuid().optional(),
  pathwayId: z.string().max(60).optional(),
  gateKind: z.enum(GATE_KINDS).optional(),
  overdueDays: z.coerce.number().int().min(0).max(3650).optional().describe('Only steps overdue by at least this many days'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(400).optional().describe('`nextCursor` of the previous page'),
});
export type BoardQuery = z.infer<typeof BoardQuery>;
export type BoardFilter = Omit<BoardQuery, 'limit' | 'cursor'>;

/** How many overdue steps each party, programme, pathway, kind and age has, within the filter. */
export interface BoardGroups {
  party: (Party & { count: number })[];
  partyKind: { kind: OrganisationKind; count: number }[];
  programme: { id: string | null; name: string | null; count: number }[];
  pathway: { id: string; name: string; count: number }[];
  gateKind: { kind: GateKind; count: number }[];
  overdueFor: { bucket: OverdueFor; count: number }[];
}

/** A step failing on our side: an activity being retried, or an email that does not go through. */
export interface FailingStep {
  caseId: string;
  reference: string;
  step: string;
  attempt: number;
  lastFailure: string | null;
  since: string | null;
}

/** A case that does not move for a reason other than a person's gate. */
export interface NotMoving {
  caseId: string;
  reference: string;
  reason: 'terminated' | 'failed' | 'timed-out' | 'stalled' | 'not-started' | 'programme-refused';
  since: string;
}

/** A step that was done and is open again: an outcome that expired ("expired consent") or a group that changed. */
export interface ReopenedStep {
  caseId: string;
  reference: string;
  gateId: string;
  title: string;
  reason: 'expired' | 'group-changed';
  since: string;
  waitingOn: Party[];
  dueAt: string;
}

export interface StuckBoard {
  /** `total` and the groups were counted at `countedAt`: now, or up to a few seconds ago on a large board (see board-counts.ts). */
  overdue: { total: number; countedAt: string; items: OverdueGate[]; nextCursor: string | null };
  groups: BoardGroups;
  failing: FailingStep[];
  notMoving: NotMoving[];
  /** Steps open again, newest first: the case went back on something it had. */
  reopened: ReopenedStep[];
  /** Whether the board could see everything: Temporal reachable, and a worker polling. */
  system: { temporal: 'up' | 'down'; workers: number | null };
}

interface StepCount {
  programmeId: string | null;
  pathwayId: string | null;
  pathwayName: string | null;
  kind: GateKind | null;
  age: OverdueFor | null;
  count: string;
  set: number;
}

/** The counts of each coordinator's board and filter; the total (grouped by nothing) tells how large it is. */
const overdueCounts = new CountsMemo<OverdueCounts>((c) =>
  Number(c.stepCounts.find((r) => r.set === 0b1111)?.count ?? 0),
);

/** A workflow that should have woken by itself this long ago, with no newer state, is stalled. */
const STALLED_AFTER_MS = 2 * 60_000;
const NOT_STARTED_AFTER_MS = 60_000;
/** The board shows this many of each list of cases not moving or steps failing (oldest first). */
const NOT_MOVING_SHOWN = 500;
const LIST = 'board';
const DAY = 86_400_000;

async function checkSystem(temporal: Client, connection: Connection): Promise<StuckBoard['system']> {
  try {
    const deadline = Date.now() + 2_000;
    const { status } = await connection.withDeadline(deadline, () => connection.healthService.check({}));
    if (status !== 1 /* SERVING */) return { temporal: 'down', workers: null };
    const described = await connection.withDeadline(deadline, () =>
      connection.workflowService.describeTaskQueue({ namespace: temporal.options.namespace, taskQueue: { name: TASK_QUEUE } }),
    );
    return { temporal: 'up', workers: new Set((described.pollers ?? []).map((p) => p.identity)).size };
  } catch {
    return { temporal: 'down', workers: null };
  }
}

/** Each connection's last status check, shared by the boards asked for within a few seconds of it. */
const recentStatus = new WeakMap<Connection, { at: number; status: Promise<StuckBoard['system']> }>();
/** Two calls to Temporal cost more than the rest of a board together (~15 ms on a busy server). */
const STATUS_REUSED_MS = 3_000;

function systemStatus(temporal: Client, connection: Connection): Promise<StuckBoard['system']> {
  const recent = recentStatus.get(connection);
  if (recent && Date.now() - recent.at < STATUS_REUSED_MS) return recent.status;
  const status = checkSystem(temporal, connection);
  recentStatus.set(connection, { at: Date.now(), status });
  // Only "up" is reused: while Temporal is away, every board looks again, so its return shows at once.
  void status.then((s) => {
    if (s.temporal === 'down' && recentStatus.get(connection)?.status === status) recentStatus.delete(connection);
  });
  return status;
}

/** The conditions on `open_gates g` for the overdue steps of `org`'s cases within `filter`. */
export function overdueWhere(sql: Sql, org: string, filter: BoardFilter) {
  return {
    // Overdue: due before now (less the age asked for), and not held or paused.
    overdue: sql`g.coordinator_organisation_id = ${org} AND g.on_hold IS NULL AND g.due_at < now() - ${filter.overdueDays ?? 0} * interval '1 day'`,
    byStep: sql`
      ${filter.programmeId ? sql`AND g.programme_id = ${filter.programmeId}` : sql``}
      ${filter.pathwayId ? sql`AND g.pathway_id = ${filter.pathwayId}` : sql``}
      ${filter.gateKind ? sql`AND g.gate_kind = ${filter.gateKind}` : sql``}`,
    byParty: sql`
      ${filter.waitingOn ? sql`AND g.waiting_on = ${filter.waitingOn}` : sql`AND g.first_party`}
      ${filter.partyKind ? sql`AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = ANY(g.all_waiting_on) AND o.kind = ${filter.partyKind})` : sql``}`,
  };
}

type OverdueCounts = { stepCounts: StepCount[]; partyCounts: { party: string; count: string }[] };

/** Counts the overdue steps of `org`'s cases within `filter`: every one of them is read, so its cost grows with the board. */
export async function countOverdue(sql: Sql, org: string, filter: BoardFilter): Promise<OverdueCounts> {
  const { overdue, byStep, byParty } = overdueWhere(sql, org, filter);
  const age = sql`CASE WHEN g.due_at > now() - interval '7 days' THEN 'under-a-week' WHEN g.due_at > now() - interval '28 days' THEN '1-4-weeks' ELSE 'over-4-weeks' END`;
  const [stepCounts, partyCounts] = await Promise.all([
    // One pass over the filtered steps for the counts by programme, pathway, kind and age (and the total).
    sql<StepCount[]>`
      SELECT g.programme_id AS "programmeId", g.pathway_id AS "pathwayId", g.pathway_name AS "pathwayName", g.gate_kind AS kind, ${age} AS age, count(*) AS count,
             GROUPING(g.programme_id, g.pathway_id, g.gate_kind, ${age}) AS set
      FROM open_gates g
      WHERE ${overdue} ${byStep} ${byParty}
      GROUP BY GROUPING SETS ((g.programme_id), (g.pathway_id, g.pathway_name), (g.gate_kind), (${age}), ())`,
    // Turns per party, whatever party is chosen, so the coordinator sees every party to switch to.
    sql<{ party: string; count: string }[]>`
      SELECT g.waiting_on AS party, count(*) AS count FROM open_gates g
      WHERE ${overdue} ${byStep} AND g.waiting_on IS NOT NULL
      GROUP BY g.waiting_on`,
  ]);
  return { stepCounts: [...stepCounts], partyCounts: [...partyCounts] };
}

/** The coordinator's board, for the cases the caller's organisation coordinates. */
export async function stuckBoardFor(
  deps: { sql: Sql; temporal: Client; temporalConnection: Connection },
  caller: Caller,
  query: BoardQuery,
): Promise<StuckBoard> {
  if (caller.role !== 'coordinator') throw new ProblemError(403, 'Coordinators only', 'The stuck-case board is for coordinators.');
  const { sql } = deps;
  const org = caller.organisationId;
  const { limit, cursor, ...filter } = query;
  const after = cursor ? decodeCursor(cursor, LIST, ['timestamp', 'uuid', 'text'] as const) : undefined;
  const system = systemStatus(deps.temporal, deps.temporalConnection);

  const { overdue, byStep, byParty } = overdueWhere(sql, org, filter);

  const [page, { value: counts, countedAt }, failing, notMoving, reopened] = await Promise.all([
    sql<{ caseId: string; reference: string; gateId: string; kind: GateKind; title: string; allWaitingOn: string[]; programmeId: string | null; pathwayId: string; dueAt: Date; dueKey: string; remindersSent: number; escalationsSent: number }[]>`
      SELECT g.case_id AS "caseId", g.reference, g.gate_id AS "gateId", g.gate_kind AS kind, g.title, g.all_waiting_on AS "allWaitingOn",
             g.programme_id AS "programmeId", g.pathway_id AS "pathwayId", g.due_at AS "dueAt", g.due_at::text AS "dueKey",
             g.reminders_sent AS "remindersSent", g.escalations_sent AS "escalationsSent"
      FROM open_gates g
      WHERE ${overdue} ${byStep} ${byParty}
        ${after ? sql`AND (g.due_at, g.case_id, g.gate_id) > (${after[0]}::timestamptz, ${after[1]}::uuid, ${after[2]})` : sql``}
      ORDER BY g.due_at, g.case_id, g.gate_id
      LIMIT ${limit + 1}`,
    overdueCounts.get(`${org} ${JSON.stringify(filter)}`, () => countOverdue(sql, org, filter)),
    failingSteps(sql, org),
    casesNotMoving(sql, org),
    reopenedSteps(sql, org),
  ]);
  const { stepCounts, partyCounts } = counts;
  const shown = page.slice(0, limit);
  const [parties, programmeNames] = await Promise.all([
    partiesOf(sql, [...new Set([...partyCounts.map((p) => p.party), ...shown.flatMap((g) => g.allWaitingOn), ...reopened.flatMap((r) => r.allWaitingOn)])]),
    programmeNamesOf(sql, stepCounts.filter((r) => r.set === 0b0111 && r.programmeId).map((r) => r.programmeId!)),
  ]);
  // Every party is an organisation (a foreign key): the lookup finds each one.
  const partyOf = (id: string): Party[] => [parties.get(id)].filter((p): p is Party => p !== undefined);
  const last = shown.at(-1);
  const now = Date.now();
  const counted = <K extends string>(rows: StepCount[], set: number, key: (r: StepCount) => K) =>
    rows.filter((r) => r.set === set).map((r) => ({ key: key(r), count: Number(r.count) }));
  // GROUPING() sets a bit for each column left out: 0b0111 means grouped by the first column only.
  const byProgramme = counted(stepCounts, 0b0111, (r) => r.programmeId ?? '');
  const partyRows = partyCounts.flatMap((p) => partyOf(p.party).map((party) => ({ ...party, count: Number(p.count) }))).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const byAge = new Map(counted(stepCounts, 0b1110, (r) => r.age ?? '').map((a) => [a.key, a.count]));
  const kinds = new Map<OrganisationKind, number>();
  for (const p of partyRows) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + p.count);

  return {
    overdue: {
      total: Number(stepCounts.find((r) => r.set === 0b1111)?.count ?? 0),
      countedAt: new Date(countedAt).toISOString(),
      items: shown.map(({ dueKey: _k, allWaitingOn, dueAt, ...g }) => ({
        ...g,
        waitingOn: allWaitingOn.flatMap(partyOf),
        dueAt: dueAt.toISOString(),
        daysOverdue: Math.floor((now - dueAt.getTime()) / DAY),
      })),
      nextCursor: page.length > limit && last ? encodeCursor(LIST, [last.dueKey, last.caseId, last.gateId]) : null,
    },
    groups: {
      party: partyRows,
      partyKind: [...kinds].map(([kind, count]) => ({ kind, count })).sort((a, b) => b.count - a.count),
      programme: byProgramme.map((p) => ({ id: p.key || null, name: programmeNames.get(p.key) ?? null, count: p.count })).sort((a, b) => b.count - a.count),
      pathway: stepCounts.filter((r) => r.set === 0b1011).map((r) => ({ id: r.pathwayId ?? '', name: r.pathwayName ?? '', count: Number(r.count) })).sort((a, b) => b.count - a.count),
      gateKind: counted(stepCounts, 0b1101, (r) => r.kind as GateKind).map((p) => ({ kind: p.key, count: p.count })).sort((a, b) => b.count - a.count),
      overdueFor: OVERDUE_FOR.map((bucket) => ({ bucket, count: byAge.get(bucket) ?? 0 })),
    },
    failing,
    notMoving,
    reopened: reopened.map(({ allWaitingOn, since, dueAt, ...r }) => ({ ...r, since: since.toISOString(), dueAt: dueAt.toISOString(), waitingOn: allWaitingOn.flatMap(partyOf) })),
    system: await system,
  };
}

/** Steps open again in the coordinator's moving cases, newest first (bounded like the other lists). */
async function reopenedSteps(sql: Sql, org: string) {
  return sql<{ caseId: string; reference: string; gateId: string; title: string; reason: ReopenedStep['reason']; since: Date; dueAt: Date; allWaitingOn: string[] }[]>`
    SELECT g.case_id AS "caseId", g.reference, g.gate_id AS "gateId", g.title, g.reopened AS reason, g.reopened_at AS since, g.due_at AS "dueAt", g.all_waiting_on AS "allWaitingOn"
    FROM open_gates g
    WHERE g.coordinator_organisation_id = ${org} AND g.reopened IS NOT NULL AND g.first_party
    ORDER BY g.reopened_at DESC LIMIT ${NOT_MOVING_SHOWN}`;
}

async function partiesOf(sql: Sql, ids: string[]): Promise<Map<string, Party>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<Party[]>`SELECT id, name, kind FROM organisations WHERE id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r]));
}

async function programmeNamesOf(sql: Sql, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; name: string }[]>`SELECT id, name FROM programmes WHERE id = ANY(${ids}::uuid[])`;
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Activities being retried and emails not going through, for the coordinator's cases. */
async function failingSteps(sql: Sql, org: string): Promise<FailingStep[]> {
  const rows = await sql<FailingStep[]>`
    SELECT c.id AS "caseId", c.reference, f.activity_type AS step, f.attempt, f.last_failure AS "lastFailure", f.since::text AS since
    FROM failing_steps f JOIN cases c ON c.id = f.case_id
    WHERE c.coordinator_organisation_id = ${org}
    UNION ALL
    SELECT c.id, c.reference, 'email: ' || n.template, n.attempts, COALESCE(n.failure, n.last_error), min(n.created_at) OVER (PARTITION BY n.case_id)::text
    FROM notifications n JOIN cases c ON c.id = n.case_id
    WHERE c.coordinator_organisation_id = ${org} AND n.sent_at IS NULL AND n.last_error IS NOT NULL
      AND (n.failed_at IS NULL OR n.failed_at > now() - interval '7 days')
    ORDER BY 1 LIMIT ${NOT_MOVING_SHOWN}`;
  return rows.map((f) => ({ ...f, attempt: Number(f.attempt) }));
}

/**
 * Cases that stopped, stalled, never started or were refused by their programme, oldest first. Each
 * kind is read on its own index and bounded on its own, so a great many of one kind (every case
 * stalled while the workers were away) costs one bounded index range, not a sort of them all. The
 * orders name their table's column: unqualified, `next_wake_at` would be the text this branch
 * outputs under that name, which no index has, and every stalled case would be read and sorted.
 */
async function casesNotMoving(sql: Sql, org: string): Promise<NotMoving[]> {
  return sql<NotMoving[]>`
    SELECT * FROM (
      (SELECT id AS "caseId", reference, stopped->>'reason' AS reason, stopped->>'at' AS since
       FROM cases WHERE coordinator_organisation_id = ${org} AND stopped IS NOT NULL AND status IN ('starting', 'active', 'waitlisted')
       ORDER BY stopped->>'at' LIMIT ${NOT_MOVING_SHOWN})
      UNION ALL
      (SELECT id, reference, 'stalled', next_wake_at::text
       FROM cases WHERE coordinator_organisation_id = ${org} AND stopped IS NULL AND status IN ('active', 'waitlisted')
         AND next_wake_at < now() - ${STALLED_AFTER_MS} * interval '1 millisecond'
       ORDER BY cases.next_wake_at LIMIT ${NOT_MOVING_SHOWN})
      UNION ALL
      (SELECT id, reference, 'not-started', created_at::text
       FROM cases WHERE coordinator_organisation_id = ${org} AND status = 'starting' AND stopped IS NULL
         AND created_at < now() - ${NOT_STARTED_AFTER_MS} * interval '1 millisecond'
       ORDER BY cases.created_at LIMIT ${NOT_MOVING_SHOWN})
      UNION ALL
      (SELECT id, reference, 'programme-refused', (state->'outcome'->>'at')
       FROM cases WHERE coordinator_organisation_id = ${org} AND status = 'withdrawn' AND state->'outcome'->>'code' = 'programme-refused'
         AND updated_at > now() - interval '30 days'
       ORDER BY updated_at LIMIT ${NOT_MOVING_SHOWN})
    ) AS not_moving
    ORDER BY since LIMIT ${NOT_MOVING_SHOWN}`;
}
