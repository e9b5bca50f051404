/**
 * A case's or a programme's append-only timeline as a reader gets it — the API's
 * `…/timeline` routes and the case page alike: each event with the reason or comment its actor
 * wrote (from `texts`), and who acted by name. An actor's organisation is named to every reader;
 * the person only to readers of the same organisation and to the coordinator of the case or
 * programme — other parties learn which organisation acted, not which of its people.
 */
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import { aboutOtherCandidate, candidateOnly } from './match.js';
import { visibleCase, visibleProgramme } from './scope.js';

export interface TimelineActor {
  organisation: { id: string; name: string };
  /** `name` is null unless the reader is of the same organisation or the coordinator. */
  person: { id: string; name: string | null };
  /**
   * Absent colleagues the person stood in for when they acted (their absence named this person
   * their delegate and covered the moment): "X (for Y)". Named by the same rule as `person`.
   */
  onBehalfOf?: { id: string; name: string | null }[];
}

export interface TimelineItem {
  id: string;
  kind: string;
  /** The person who acted, by id, or `system`. */
  actor: string;
  /** The actor named; null for `system`. */
  by: TimelineActor | null;
  gateId: string | null;
  /** What the actor wrote (a reason or comment), if anything. */
  reason: string | null;
  /** When what the actor wrote was erased with the case's personal data (usecases/erasure.ts); `reason` is then null. */
  reasonErasedAt?: string | null;
  data: Record<string, unknown>;
  at: string;
}

export interface TimelinePage {
  items: TimelineItem[];
  /** Organisation id → name, for every organisation the items name (actors, and ids in `data` such as a reassignment's `from` and `to`). */
  organisations: Record<string, string>;
}

export interface TimelineQuery {
  /** Events after this id (oldest first); ignored with `newestFirst`. */
  after?: number;
  limit: number;
  /** The newest `limit` events, newest first (the case page). */
  newestFirst?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_SQL = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

type Row = { id: string; kind: string; actor: string; reason: string | null; reasonErasedAt: Date | null; data: Record<string, unknown>; at: Date };

/** One page of events, each served by the (owner, id) index of its table. */
function eventRows(sql: Queryable, of: { caseId: string } | { programmeId: string }, q: TimelineQuery) {
  const [table, owner, id] = 'caseId' in of ? (['case_events', 'case_id', of.caseId] as const) : (['programme_events', 'programme_id', of.programmeId] as const);
  return sql<Row[]>`
    SELECT e.id::text AS id, e.kind, e.actor, CASE WHEN t.erased_at IS NULL THEN COALESCE(t.body, e.reason) END AS reason, t.erased_at AS "reasonErasedAt", e.data, e.at
    FROM ${sql(table)} e LEFT JOIN texts t ON t.id = (CASE WHEN e.data->>'textRef' ~ ${UUID_SQL} THEN (e.data->>'textRef')::uuid END)
    WHERE e.${sql(owner)} = ${id} ${q.newestFirst ? sql`ORDER BY e.id DESC` : sql`AND e.id > ${q.after ?? 0} ORDER BY e.id`}
    LIMIT ${q.limit}`;
}

/** Organisation ids an event's data names: its uuid values, and uuids in comma-separated lists (who has not signed). */
const idsIn = (data: Record<string, unknown>) => Object.values(data).flatMap((v) => (typeof v === 'string' ? v.split(',').filter((s) => UUID.test(s)) : []));

/** The rows with their actors named for this caller: two indexed look-ups per page, whatever its size. */
async function named(sql: Queryable, caller: Caller, coordinator: string | null, rows: Row[]): Promise<TimelinePage> {
  const personIds = [...new Set(rows.map((r) => r.actor).filter((a) => UUID.test(a)))];
  const people = personIds.length
    ? await sql<{ id: string; name: string; organisationId: string }[]>`SELECT id, name, organisation_id AS "organisationId" FROM people WHERE id = ANY(${personIds}::uuid[])`
    : [];
  const orgIds = [...new Set([...people.map((p) => p.organisationId), ...rows.flatMap((r) => idsIn(r.data))])];
  const orgs = orgIds.length ? await sql<{ id: string; name: string }[]>`SELECT id, name FROM organisations WHERE id = ANY(${orgIds}::uuid[])` : [];
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const seesNames = (organisationId: string) => organisationId === caller.organisationId || coordinator === caller.organisationId;
  const actors = new Map(
    people.map((p) => [p.id, { organisation: { id: p.organisationId, name: orgName.get(p.organisationId) ?? p.organisationId }, person: { id: p.id, name: seesNames(p.organisationId) ? p.name : null } }]),
  );
  const standIns = await standingIn(sql, rows, personIds);
  return {
    items: rows.map(({ data: { textRef: _t, ...data }, reasonErasedAt, ...r }) => ({
      ...r,
      reasonErasedAt: reasonErasedAt?.toISOString() ?? null,
      by: withStandIn(actors.get(r.actor) ?? null, standIns, r, seesNames),
      gateId: typeof data.gateId === 'string' ? data.gateId : null,
      data,
      at: r.at.toISOString(),
    })),
    organisations: Object.fromEntries(orgName),
  };
}

type StandIn = { delegateId: string; personId: string; name: string; organisationId: string; startsAt: Date; endsAt: Date };

/** The absences whose delegate is among the page's actors and that overlap its events: one indexed look-up. */
async function standingIn(sql: Queryable, rows: Row[], actorIds: string[]): Promise<StandIn[]> {
  if (actorIds.length === 0 || rows.length === 0) return [];
  const times = rows.map((r) => r.at.getTime());
  const [first, last] = [new Date(Math.min(...times)), new Date(Math.max(...times))];
  return sql<StandIn[]>`
    SELECT a.delegate_id AS "delegateId", a.person_id AS "personId", p.name, p.organisation_id AS "organisationId", a.starts_at AS "startsAt", a.ends_at AS "endsAt"
    FROM absences a JOIN people p ON p.id = a.person_id
    WHERE a.delegate_id = ANY(${actorIds}::uuid[]) AND a.starts_at <= ${last} AND a.ends_at > ${first}
    ORDER BY p.name`;
}

function withStandIn(actor: TimelineActor | null, standIns: StandIn[], r: Pick<Row, 'actor' | 'at'>, seesNames: (organisationId: string) => boolean): TimelineActor | null {
  if (!actor) return null;
  const at = r.at.getTime();
  const stoodIn = standIns.filter((s) => s.delegateId === r.actor && s.startsAt.getTime() <= at && at < s.endsAt.getTime());
  if (stoodIn.length === 0) return actor;
  return { ...actor, onBehalfOf: stoodIn.map((s) => ({ id: s.personId, name: seesNames(s.organisationId) ? s.name : null })) };
}

/** A case's timeline, for a caller whose organisation takes part in the case (else 404). */
export async function caseTimeline(sql: Queryable, caller: Caller, caseId: string, q: TimelineQuery): Promise<TimelinePage> {
  const { coordinator } = await visibleCase(sql, caller, caseId);
  return visibleCaseTimeline(sql, caller, { id: caseId, coordinator }, q);
}

/** The same, for a reader who has just been found to take part in the case (its page, after case-detail.ts). */
export async function visibleCaseTimeline(sql: Queryable, caller: Caller, c: { id: string; coordinator: string | null }, q: TimelineQuery): Promise<TimelinePage> {
  const rows = await eventRows(sql, { caseId: c.id }, q);
  // A match's candidate, no party yet, reads of the match only what concerns itself (usecases/match.ts).
  const candidate = await candidateOnly(sql, c.id, caller.organisationId);
  return named(sql, caller, c.coordinator, candidate ? rows.filter((r) => !aboutOtherCandidate(r, caller.organisationId)) : rows);
}

/** A programme's timeline (MoU versions, signatures and change requests, pauses, places), for its coordinator and signatories (else 404). */
export async function programmeTimeline(sql: Queryable, caller: Caller, programmeId: string, q: TimelineQuery): Promise<TimelinePage> {
  const { coordinator } = await visibleProgramme(sql, caller, programmeId);
  return named(sql, caller, coordinator, await eventRows(sql, { programmeId }, q));
}
