/**
 * What waits on a person's organisation (the inbox), and the coordinators' board: every case that
 * is not moving and why — overdue gates, steps failing on our side (activities and emails), cases
 * whose workflow stopped or stalled, cases never started — and whether the machinery itself is up.
 * When part of it cannot be read, the board says so instead of showing an empty list.
 */
import type { Client, Connection } from '@temporalio/client';
import type { CaseView, GateView } from '../domain/case-view.js';
import type { Sql } from '../infra/db.js';
import { TASK_QUEUE } from '../workflows/contract.js';
import type { Caller } from './caller.js';
import { ProblemError } from './problem.js';

export interface InboxEntry {
  kind: 'case' | 'programme';
  id: string;
  reference: string;
  gateId: string | null;
  title: string;
  dueAt: string | null;
  stuck: boolean;
}

export interface OverdueGate {
  caseId: string;
  reference: string;
  gateId: string;
  title: string;
  waitingOn: { id: string; name: string }[];
  dueAt: string;
  daysOverdue: number;
  remindersSent: number;
  escalationsSent: number;
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

export interface StuckBoard {
  overdue: OverdueGate[];
  failing: FailingStep[];
  notMoving: NotMoving[];
  /** Whether the board could see everything: Temporal reachable, and a worker polling. */
  system: { temporal: 'up' | 'down'; workers: number | null };
}

/** A workflow that should have woken by itself this long ago, with no newer state, is stalled. */
const STALLED_AFTER_MS = 2 * 60_000;
const NOT_STARTED_AFTER_MS = 60_000;

/** What waits on the caller's organisation now, soonest due first. */
export async function inboxFor(sql: Sql, caller: Caller): Promise<InboxEntry[]> {
  const org = caller.organisationId;
  const cases = await sql<{ id: string; reference: string; state: CaseView }[]>`
    SELECT id, reference, state FROM cases WHERE waiting_on @> ARRAY[${org}]::uuid[] AND status = 'active'`;
  const programmes = await sql<{ id: string; name: string; state: { status: string; mou: { version: number; unsigned: string[]; dueAt: string | null } } }[]>`
    SELECT id, name, state FROM programmes WHERE status = 'negotiating' AND state->'mou'->'unsigned' ? ${org}`;
  return [
    ...cases.flatMap((r) =>
      r.state.gates
        .filter((g: GateView) => g.status === 'open' && g.waitingOn.includes(org))
        .map((g: GateView) => ({ kind: 'case' as const, id: r.id, reference: r.reference, gateId: g.id, title: g.title, dueAt: g.dueAt, stuck: g.stuck })),
    ),
    ...programmes.map((p) => ({ kind: 'programme' as const, id: p.id, reference: p.name, gateId: null, title: `MoU v${p.state.mou.version}: sign`, dueAt: p.state.mou.dueAt, stuck: false })),
  ].sort((a, b) => (a.dueAt ?? '9').localeCompare(b.dueAt ?? '9'));
}

async function systemStatus(temporal: Client, connection: Connection): Promise<StuckBoard['system']> {
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

/** The coordinator's board, for the cases the caller's organisation coordinates. */
export async function stuckBoardFor(deps: { sql: Sql; temporal: Client; temporalConnection: Connection }, caller: Caller): Promise<StuckBoard> {
  if (caller.role !== 'coordinator') throw new ProblemError(403, 'Coordinators only', 'The stuck-case board is for coordinators.');
  const { sql } = deps;
  const org = caller.organisationId;
  const system = systemStatus(deps.temporal, deps.temporalConnection);
  const rows = await sql<{ id: string; reference: string; state: CaseView }[]>`
    SELECT id, reference, state FROM cases
    WHERE coordinator_organisation_id = ${org} AND status IN ('active', 'waitlisted') AND stuck AND state IS NOT NULL`;
  const names = new Map((await sql<{ id: string; name: string }[]>`SELECT id, name FROM organisations`).map((o) => [o.id, o.name]));
  const now = Date.now();
  const overdue = rows
    .flatMap((r) =>
      r.state.gates
        .filter((g) => g.status === 'open' && g.stuck)
        .map((g) => ({
          caseId: r.id,
          reference: r.reference,
          gateId: g.id,
          title: g.title,
          waitingOn: g.waitingOn.map((id) => ({ id, name: names.get(id) ?? id })),
          dueAt: g.dueAt,
          daysOverdue: Math.floor((now - Date.parse(g.dueAt)) / 86_400_000),
          remindersSent: g.remindersSent,
          escalationsSent: g.escalationsSent,
        })),
    )
    .sort((a, b) => b.daysOverdue - a.daysOverdue || a.dueAt.localeCompare(b.dueAt));

  const failing = await sql<FailingStep[]>`
    SELECT c.id AS "caseId", c.reference, f.activity_type AS step, f.attempt, f.last_failure AS "lastFailure", f.since::text AS since
    FROM failing_steps f JOIN cases c ON c.id = f.case_id
    WHERE c.coordinator_organisation_id = ${org}
    UNION ALL
    SELECT c.id, c.reference, 'email: ' || n.template, n.attempts, COALESCE(n.failure, n.last_error), min(n.created_at) OVER (PARTITION BY n.case_id)::text
    FROM notifications n JOIN cases c ON c.id = n.case_id
    WHERE c.coordinator_organisation_id = ${org} AND n.sent_at IS NULL AND n.last_error IS NOT NULL
      AND (n.failed_at IS NULL OR n.failed_at > now() - interval '7 days')
    ORDER BY 1 LIMIT 500`;

  const notMoving = await sql<NotMoving[]>`
    SELECT id AS "caseId", reference, stopped->>'reason' AS reason, stopped->>'at' AS since
    FROM cases WHERE coordinator_organisation_id = ${org} AND stopped IS NOT NULL AND status IN ('starting', 'active', 'waitlisted')
    UNION ALL
    SELECT id, reference, 'stalled', next_wake_at::text
    FROM cases WHERE coordinator_organisation_id = ${org} AND stopped IS NULL AND status IN ('active', 'waitlisted')
      AND next_wake_at < now() - ${STALLED_AFTER_MS} * interval '1 millisecond'
    UNION ALL
    SELECT id, reference, 'not-started', created_at::text
    FROM cases WHERE coordinator_organisation_id = ${org} AND status = 'starting' AND stopped IS NULL
      AND created_at < now() - ${NOT_STARTED_AFTER_MS} * interval '1 millisecond'
    UNION ALL
    SELECT id, reference, 'programme-refused', (state->'outcome'->>'at')
    FROM cases WHERE coordinator_organisation_id = ${org} AND status = 'withdrawn' AND state->'outcome'->>'code' = 'programme-refused'
      AND updated_at > now() - interval '30 days'
    ORDER BY 4 LIMIT 500`;

  return { overdue, failing: failing.map((f) => ({ ...f, attempt: Number(f.attempt) })), notMoving, system: await system };
}
