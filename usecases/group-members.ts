/**
 * A sponsor group's roster: its members (name, optional email) and the checks each completed (a
 * certificate of good conduct, training…), which a case's `group-check` step counts
 * (activities/group-requirements.ts). The API (`/v1/groups/{id}/members…`) and the "Our group" page
 * (web/group.tsx) read and change it here alike.
 *
 * - Who reads: the group's own people (every member, those who left too, with emails); the
 *   coordinator of a case in which the group takes part, for that case (`caseId`): the current
 *   members' names and checks, the read recorded in `personal_data_reads` in the same transaction.
 *   Anyone else: 404, as for a group that does not exist.
 * - Who changes: the group's own people only. Every change raises `organisations.roster_version`
 *   and writes its `roster_changes` row (the outbox) in the same transaction, then starts the
 *   delivery of that version to the group's cases (workflows/roster-delivery.ts). If that start does not reach
 *   Temporal, the change stays committed, the answer is 503 "send it again with the same key", and
 *   the worker's watchdog delivers it anyway.
 * - Exactly once: an Idempotency-Key (a form's `_key`) gets its first answer again; the member a
 *   retry adds has the id chosen the first time; marking as left and recording the same check again
 *   change nothing, so they raise no version.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
// zod with OpenAPI metadata: the API documents these very schemas.
import { z } from '@hono/zod-openapi';
import type { Queryable, Sql } from '../infra/db.js';
import { rosterDeliveryWorkflowId, type rosterDeliveryWorkflow } from '../workflows/roster-delivery.js';
import type { Caller } from './caller.js';
import type { Deps } from './deps.js';
import { beginRequest, finishRequest, requestScope } from './idempotency.js';
import { invalidInput, ProblemError } from './problem.js';
import { startOnce } from './start-workflow.js';
import { RETRY_AFTER_SECONDS } from './updates.js';

/** A check's name as the pathways' templates spell it: `good-conduct`, `training`, … */
export const CheckSlug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'expected a lowercase slug like "good-conduct"')
  .openapi({ description: 'The check, as the pathways name it: `good-conduct` (a certificate of good conduct), `training`, …', example: 'good-conduct' });

const day = z.iso.date().openapi({ description: 'A calendar day, YYYY-MM-DD' });

export const NewMember = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ description: 'The member’s name' }),
    email: z.email().max(320).optional().openapi({ description: 'An email address, if the group wants to keep one' }),
  })
  .openapi('NewGroupMember', { example: { name: 'Anna de Vries', email: 'anna@example.org' } });
export type NewMember = z.infer<typeof NewMember>;

export const RecordCheck = z
  .object({
    check: CheckSlug,
    completedOn: day.openapi({ description: 'When the member completed it (not in the future)', example: '2027-01-15' }),
    validUntil: day.optional().openapi({ description: 'The last day it counts, if it lapses (a certificate of good conduct is often asked to be recent)', example: '2028-01-15' }),
  })
  .openapi('RecordGroupCheck', { example: { check: 'good-conduct', completedOn: '2027-01-15', validUntil: '2028-01-15' } });
export type RecordCheck = z.infer<typeof RecordCheck>;

export interface MemberCheck {
  check: string;
  completedOn: string;
  validUntil: string | null;
  /** It counts today: no end, or its last day is today or later. */
  current: boolean;
}

export interface GroupMember {
  id: string;
  name: string;
  /** Shown to the group's own people only (null for a coordinator, or when none was given). */
  email: string | null;
  joinedAt: string;
  leftAt: string | null;
  checks: MemberCheck[];
}

export interface Roster {
  organisationId: string;
  name: string;
  /** Raised by every change of members or checks. */
  rosterVersion: number;
  members: GroupMember[];
}

export const groupNotFound = () =>
  new ProblemError(404, 'Group not found', "No sponsor group with this id is visible to you. A case's coordinator reads its group's members for that case: add `caseId`.");
export const memberNotFound = () => new ProblemError(404, 'Member not found', 'No member with this id in this group.');
const memberLeft = () => new ProblemError(409, 'Member has left', 'This member has left the group; checks are recorded for current members.');

type MemberRow = { id: string; name: string; email: string | null; joinedAt: Date; leftAt: Date | null; checks: MemberCheck[] | null };

/** Members with their checks, in the order they joined; `current` leaves out those who left. */
const memberRows = (sql: Queryable, organisationId: string, where: { current?: boolean; memberId?: string }) => sql<MemberRow[]>`
  SELECT m.id, m.name, m.email, m.joined_at AS "joinedAt", m.left_at AS "leftAt",
    (SELECT json_agg(json_build_object('check', c.check_kind, 'completedOn', to_char(c.completed_on, 'YYYY-MM-DD'),
              'validUntil', to_char(c.valid_until, 'YYYY-MM-DD'), 'current', c.valid_until IS NULL OR c.valid_until >= current_date) ORDER BY c.check_kind)
       FROM member_checks c WHERE c.member_id = m.id) AS checks
  FROM group_members m
  WHERE m.organisation_id = ${organisationId}
    ${where.current ? sql`AND m.left_at IS NULL` : sql``}
    ${where.memberId ? sql`AND m.id = ${where.memberId}` : sql``}
  ORDER BY m.joined_at, m.id`;

const memberOf = (r: MemberRow, withEmail: boolean): GroupMember => ({
  id: r.id,
  name: r.name,
  email: withEmail ? r.email : null,
  joinedAt: r.joinedAt.toISOString(),
  leftAt: r.leftAt ? r.leftAt.toISOString() : null,
  checks: r.checks ?? [],
});

/** The group itself: a sponsor group, and the caller one of its people. */
async function ownGroup(sql: Queryable, caller: Caller, organisationId: string): Promise<{ name: string; rosterVersion: number }> {
  if (caller.organisationId !== organisationId) throw groupNotFound();
  const [org] = await sql<{ name: string; kind: string; rosterVersion: string }[]>`
    SELECT name, kind, roster_version::text AS "rosterVersion" FROM organisations WHERE id = ${organisationId}`;
  if (!org || org.kind !== 'sponsor_group') throw groupNotFound();
  return { name: org.name, rosterVersion: Number(org.rosterVersion) };
}

/** Whether the caller may change this group's roster (the pages offer the forms only then). */
export const mayChangeRoster = (caller: Caller, organisationId: string): boolean => caller.organisationId === organisationId && caller.organisationKind === 'sponsor_group';

/**
 * `GET /v1/groups/{id}/members` and the "Our group" page: the group's roster for its own people;
 * for the coordinator of case `caseId` in which the group takes part, its current members' names
 * and checks, the read recorded. Anyone else: 404.
 */
export async function readRoster(deps: Pick<Deps, 'sql'>, caller: Caller, organisationId: string, options: { caseId?: string; door: 'api' | 'web' }): Promise<Roster> {
  const { sql } = deps;
  if (caller.organisationId === organisationId) {
    const org = await ownGroup(sql, caller, organisationId);
    const rows = await memberRows(sql, organisationId, {});
    return { organisationId, ...org, members: rows.map((r) => memberOf(r, true)) };
  }
  if (!options.caseId) throw groupNotFound();
  const caseId = options.caseId;
  return sql.begin(async (tx) => {
    const [org] = await tx<{ name: string; rosterVersion: string }[]>`
      SELECT o.name, o.roster_version::text AS "rosterVersion" FROM organisations o
      WHERE o.id = ${organisationId} AND o.kind = 'sponsor_group'
        AND EXISTS (SELECT 1 FROM cases c WHERE c.id = ${caseId} AND c.coordinator_organisation_id = ${caller.organisationId}
                    AND EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.organisation_id = ${organisationId} AND p.slot NOT LIKE 'proposed:%'))`;
    if (!org) throw groupNotFound();
    const members = (await memberRows(tx, organisationId, { current: true })).map((r) => memberOf(r, false));
    // Names are personal data: recorded with the read, in its transaction; an empty roster tells nobody's.
    if (members.length > 0) {
      await tx`
        INSERT INTO personal_data_reads (case_id, person_id, organisation_id, level, fields, door)
        VALUES (${caseId}, ${caller.personId}, ${caller.organisationId}, 'group-roster', ${['groupRoster']}, ${options.door})`;
    }
    return { organisationId, name: org.name, rosterVersion: Number(org.rosterVersion), members };
  });
}

/** One change of a roster, as the API and the forms send it. */
export type RosterChange = { kind: 'add'; member: NewMember } | { kind: 'leave'; memberId: string } | { kind: 'check'; memberId: string; record: RecordCheck };

/** Starts the delivery of version `rosterVersion` of the group's roster (and of any later one waiting) to its cases. */
export function startRosterDelivery(temporal: Client, taskQueue: string, organisationId: string, rosterVersion: number): Promise<'started' | 'unknown'> {
  return startOnce(() =>
    temporal.workflow.start<typeof rosterDeliveryWorkflow>('rosterDeliveryWorkflow', {
      workflowId: rosterDeliveryWorkflowId(organisationId, rosterVersion),
      taskQueue,
      args: [{ organisationId, rosterVersion }],
      // Running: it will deliver. Ended (a retry, the watchdog): a new run, which finds nothing or what is left.
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    }),
  );
}

/** The newest version of the group's roster not yet delivered, if any. */
async function waitingVersion(sql: Queryable, organisationId: string): Promise<number | undefined> {
  const [row] = await sql<{ version: string | null }[]>`SELECT max(roster_version)::text AS version FROM roster_changes WHERE organisation_id = ${organisationId}`;
  return row?.version ? Number(row.version) : undefined;
}

/**
 * For the worker's watchdog: starts the delivery of the newest waiting version of every group whose
 * changes have waited `olderThanMs` or longer (a start that never reached Temporal, or a delivery
 * still retrying: then it is found running). Returns the groups it started or found delivering.
 */
export async function deliverForgottenRosterChanges(deps: Pick<Deps, 'sql' | 'temporal'> & { taskQueue: string }, olderThanMs: number): Promise<string[]> {
  const rows = await deps.sql<{ organisationId: string; version: string }[]>`
    SELECT organisation_id AS "organisationId", max(roster_version)::text AS version FROM roster_changes
    WHERE organisation_id IN (SELECT organisation_id FROM roster_changes WHERE changed_at < now() - ${olderThanMs} * interval '1 millisecond')
    GROUP BY organisation_id ORDER BY min(changed_at) LIMIT 100`;
  const started: string[] = [];
  for (const r of rows) if ((await startRosterDelivery(deps.temporal, deps.taskQueue, r.organisationId, Number(r.version))) === 'started') started.push(r.organisationId);
  return started;
}

/** The checks of a recorded check that need the calendar: not done in the future, not ending before it was done. */
function checkDates(record: RecordCheck): void {
  // A day ahead of UTC's: someone in a later time zone records today's check on their today.
  if (record.completedOn > new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)) throw invalidInput('completedOn', 'must not be in the future');
  if (record.validUntil !== undefined && record.validUntil < record.completedOn) throw invalidInput('validUntil', 'must be on or after completedOn');
}

/** Raises the group's version and writes the change's outbox row, in the change's transaction; the new version. */
async function recordChange(tx: Queryable, organisationId: string): Promise<number> {
  const [org] = await tx<{ version: string }[]>`UPDATE organisations SET roster_version = roster_version + 1 WHERE id = ${organisationId} RETURNING roster_version::text AS version`;
  await tx`INSERT INTO roster_changes (organisation_id, roster_version) VALUES (${organisationId}, ${org!.version})`;
  return Number(org!.version);
}

/** Applies the change in one transaction; the roster version it made, if it changed anything. */
async function apply(sql: Sql, caller: Caller, organisationId: string, change: RosterChange, memberId: string): Promise<number | undefined> {
  return sql.begin(async (tx) => {
    let changed = false;
    if (change.kind === 'add') {
      const inserted = await tx`
        INSERT INTO group_members (id, organisation_id, name, email, added_by)
        VALUES (${memberId}, ${organisationId}, ${change.member.name}, ${change.member.email ?? null}, ${caller.personId})
        ON CONFLICT (id) DO NOTHING RETURNING id`;
      changed = inserted.length > 0;
    } else {
      const [member] = await tx<{ left: boolean }[]>`SELECT left_at IS NOT NULL AS left FROM group_members WHERE id = ${memberId} AND organisation_id = ${organisationId} FOR UPDATE`;
      if (!member) throw memberNotFound();
      if (change.kind === 'leave') {
        changed = (await tx`UPDATE group_members SET left_at = now() WHERE id = ${memberId} AND left_at IS NULL RETURNING id`).length > 0;
      } else {
        if (member.left) throw memberLeft();
        const { check, completedOn, validUntil } = change.record;
        const written = await tx`
          INSERT INTO member_checks (member_id, check_kind, completed_on, valid_until, recorded_by)
          VALUES (${memberId}, ${check}, ${completedOn}, ${validUntil ?? null}, ${caller.personId})
          ON CONFLICT (member_id, check_kind) DO UPDATE SET completed_on = EXCLUDED.completed_on, valid_until = EXCLUDED.valid_until,
            recorded_by = EXCLUDED.recorded_by, recorded_at = now()
          WHERE (member_checks.completed_on, member_checks.valid_until) IS DISTINCT FROM (EXCLUDED.completed_on, EXCLUDED.valid_until)
          RETURNING member_id`;
        changed = written.length > 0;
      }
    }
    return changed ? recordChange(tx, organisationId) : undefined;
  });
}

/**
 * `POST /v1/groups/{id}/members` (add), `…/members/{memberId}/leave`, `…/members/{memberId}/checks`
 * and the "Our group" forms: the change and its outbox row in one transaction, then the delivery
 * started. Answers the member as it is now (201 for a new one).
 */
export async function changeRoster(deps: Deps & { taskQueue: string }, caller: Caller, organisationId: string, change: RosterChange, key: string | undefined): Promise<{ status: 200 | 201; body: GroupMember }> {
  const { sql } = deps;
  if (!mayChangeRoster(caller, organisationId)) throw groupNotFound();
  await ownGroup(sql, caller, organisationId);
  if (change.kind === 'check') checkDates(change.record);
  const scope = requestScope(caller.personId, key, { route: 'group-roster', organisationId, change });
  const begun = await beginRequest(sql, scope, change.kind === 'add' ? randomUUID() : undefined);
  if (begun.answer) return begun.answer as { status: 200 | 201; body: GroupMember };
  const memberId = change.kind === 'add' ? (begun.resourceId ?? randomUUID()) : change.memberId;
  // Started for the version this request made, or — when it changed nothing (a retry of an attempt
  // that answered 503) — for a change still waiting: a retry is what tries the start again.
  const version = (await apply(sql, caller, organisationId, change, memberId)) ?? (await waitingVersion(sql, organisationId));
  if (version !== undefined && (await startRosterDelivery(deps.temporal, deps.taskQueue, organisationId, version)) === 'unknown') {
    throw new ProblemError(
      503,
      'Temporal is unavailable',
      key
        ? "The change is saved, but the group's cases could not be told yet. Send the same request again with the same Idempotency-Key (it is applied once); SafeRoutes also tells them by itself within a minute or two."
        : "The change is saved, but the group's cases could not be told yet; SafeRoutes tells them by itself within a minute or two. Send requests with an Idempotency-Key so that a retry is always safe.",
      { memberId },
      RETRY_AFTER_SECONDS,
    );
  }
  const [row] = await memberRows(sql, organisationId, { memberId });
  if (!row) throw memberNotFound();
  return (await finishRequest(sql, scope, { status: change.kind === 'add' ? 201 : 200, body: memberOf(row, true) })) as { status: 200 | 201; body: GroupMember };
}
