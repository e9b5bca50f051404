/**
 * A person's own settings: how each kind of message reaches them (at once, in the daily digest,
 * not at all — essential ones always at once, domain/notification-preferences.ts), the local hour
 * of their digest, and their absences with the colleague who stands in meanwhile. The API
 * (`/v1/me/…`) and the "My settings" page (web/me.tsx) read and change them here alike.
 */
// zod with OpenAPI metadata: the API documents these very schemas.
import { z } from '@hono/zod-openapi';
import { allowedDeliveries, DELIVERIES, isEssential, NOTIFICATION_KINDS, type Delivery, type NotificationKind } from '../domain/notification-preferences.js';
import type { Queryable, Sql } from '../infra/db.js';
import type { Caller } from './caller.js';
import { beginRequest, finishRequest, requestScope } from './idempotency.js';
import { invalidInput, ProblemError } from './problem.js';

export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam';
/** The hour a digest goes when someone holds messages for it without choosing one. */
export const DEFAULT_DIGEST_HOUR = 8;

const validTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const PreferencesInput = z
  .object({
    preferences: z
      .partialRecord(z.enum(NOTIFICATION_KINDS), z.enum(DELIVERIES))
      .default({})
      .openapi({ description: 'Per kind of message: `immediately`, `digest` or `off`; a kind left out is `immediately`. Essential kinds (`escalation`, `offer-expiring`) only take `immediately`' }),
    digestHour: z.number().int().min(0).max(23).nullable().optional().openapi({ description: 'The local hour (0–23) of the daily digest; null: no digest. Left out: none, or 8 when any kind is `digest` (held messages need one)' }),
    timeZone: z.string().max(64).refine(validTimeZone, 'not a time zone').optional().openapi({ description: 'An IANA time zone, e.g. `Europe/Amsterdam` (the default)' }),
  })
  .strict()
  .openapi('NotificationPreferencesInput', { example: { preferences: { 'case-update': 'digest', reminder: 'digest', 'offer-made': 'immediately' }, digestHour: 8, timeZone: 'Europe/Amsterdam' } });
export type PreferencesInput = z.infer<typeof PreferencesInput>;

export interface KindPreference {
  kind: NotificationKind;
  delivery: Delivery;
  essential: boolean;
  allowed: Delivery[];
}

export interface NotificationPreferences {
  kinds: KindPreference[];
  digestHour: number | null;
  timeZone: string;
}

export async function readPreferences(sql: Queryable, caller: Caller): Promise<NotificationPreferences> {
  const [settings] = await sql<{ digestHour: number | null; timeZone: string }[]>`
    SELECT digest_hour AS "digestHour", time_zone AS "timeZone" FROM notification_settings WHERE person_id = ${caller.personId}`;
  const rows = await sql<{ kind: string; delivery: Delivery }[]>`SELECT kind, delivery FROM notification_preferences WHERE person_id = ${caller.personId}`;
  const chosen = new Map(rows.map((r) => [r.kind, r.delivery]));
  return {
    kinds: NOTIFICATION_KINDS.map((kind) => ({ kind, delivery: isEssential(kind) ? 'immediately' : (chosen.get(kind) ?? 'immediately'), essential: isEssential(kind), allowed: [...allowedDeliveries(kind)] })),
    digestHour: settings?.digestHour ?? null,
    timeZone: settings?.timeZone ?? DEFAULT_TIME_ZONE,
  };
}

/** Replaces the caller's preferences (kinds left out: at once). */
export async function savePreferences(sql: Sql, caller: Caller, input: PreferencesInput): Promise<NotificationPreferences> {
  for (const [kind, delivery] of Object.entries(input.preferences)) {
    if (!allowedDeliveries(kind).includes(delivery)) throw invalidInput(`preferences.${kind}`, `"${kind}" is essential: it is always sent immediately`);
  }
  // PostgreSQL must know the zone too: the hourly digest query reads every person's by name.
  if (input.timeZone && !(await sql`SELECT 1 FROM pg_timezone_names WHERE name = ${input.timeZone}`).length) throw invalidInput('timeZone', 'not a time zone');
  const holdsAny = Object.values(input.preferences).includes('digest');
  if (holdsAny && input.digestHour === null) throw invalidInput('digestHour', 'messages held for the digest need a digest hour');
  const digestHour = input.digestHour === undefined ? (holdsAny ? DEFAULT_DIGEST_HOUR : null) : input.digestHour;
  const rows = Object.entries(input.preferences)
    .filter(([, delivery]) => delivery !== 'immediately')
    .map(([kind, delivery]) => ({ person_id: caller.personId, kind, delivery }));
  await sql.begin(async (tx) => {
    await tx`
      INSERT INTO notification_settings (person_id, digest_hour, time_zone) VALUES (${caller.personId}, ${digestHour}, ${input.timeZone ?? DEFAULT_TIME_ZONE})
      ON CONFLICT (person_id) DO UPDATE SET digest_hour = EXCLUDED.digest_hour,
        time_zone = ${input.timeZone ? tx`EXCLUDED.time_zone` : tx`notification_settings.time_zone`}, updated_at = now()`;
    await tx`DELETE FROM notification_preferences WHERE person_id = ${caller.personId}`;
    if (rows.length) await tx`INSERT INTO notification_preferences ${tx(rows)}`;
  });
  return readPreferences(sql, caller);
}

// Years PostgreSQL and people both read as dates (it has no year 0).
const LocalDay = z.iso.date().refine((d) => d >= '2000-01-01' && d <= '2999-12-31', 'a day between 2000 and 2999');

export const AbsenceInput = z
  .object({
    from: LocalDay.openapi({ description: 'The first day away (`YYYY-MM-DD`, in your time zone)' }),
    until: LocalDay.openapi({ description: 'The last day away, inclusive' }),
    delegateId: z.uuid().openapi({ description: 'A colleague of your organisation who receives your messages meanwhile' }),
  })
  .strict()
  .openapi('AbsenceInput', { example: { from: '2027-07-12', until: '2027-07-30', delegateId: '9c4e2a10-3b5d-4f6e-8a7b-1c2d3e4f5a6b' } });
export type AbsenceInput = z.infer<typeof AbsenceInput>;

export interface Absence {
  id: string;
  startsAt: string;
  endsAt: string;
  delegate: { personId: string; name: string };
  /** Under way now. */
  current: boolean;
}

type AbsenceRow = { id: string; startsAt: Date; endsAt: Date; delegateId: string; delegateName: string; current: boolean };
const absenceOf = (r: AbsenceRow): Absence => ({ id: r.id, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(), delegate: { personId: r.delegateId, name: r.delegateName }, current: r.current });

/** The caller's absences not over yet, soonest first. */
export async function listAbsences(sql: Queryable, caller: Caller): Promise<Absence[]> {
  const rows = await sql<AbsenceRow[]>`
    SELECT a.id, a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.delegate_id AS "delegateId", d.name AS "delegateName", a.starts_at <= now() AS current
    FROM absences a JOIN people d ON d.id = a.delegate_id
    WHERE a.person_id = ${caller.personId} AND a.ends_at > now() ORDER BY a.starts_at`;
  return rows.map(absenceOf);
}

/** The colleagues who may stand in for the caller: the other people of their organisation. */
export async function colleaguesOf(sql: Queryable, caller: Caller): Promise<{ personId: string; name: string }[]> {
  return sql<{ personId: string; name: string }[]>`
    SELECT id AS "personId", name FROM people WHERE organisation_id = ${caller.organisationId} AND id <> ${caller.personId} AND role <> 'admin' ORDER BY name, id`;
}

/** Records an absence from the start of `from` to the end of `until`, in the caller's time zone. */
export async function addAbsence(sql: Sql, caller: Caller, input: AbsenceInput, key?: string): Promise<Absence> {
  // A retry with the same Idempotency-Key gets the first answer, instead of "you are away already".
  const scope = requestScope(caller.personId, key, { route: 'add-absence', body: input });
  const begun = await beginRequest(sql, scope);
  if (begun.answer) return begun.answer.body as Absence;
  if (input.until < input.from) throw invalidInput('until', 'the last day away comes on or after the first');
  const [delegate] = await sql<{ id: string }[]>`SELECT id FROM people WHERE id = ${input.delegateId} AND organisation_id = ${caller.organisationId} AND role <> 'admin'`;
  if (!delegate || input.delegateId === caller.personId) throw invalidInput('delegateId', 'the delegate is another person of your organisation');
  const absence = await sql.begin(async (tx) => {
    // One absence at a time per person: serialise this person's changes, then look for an overlap.
    await tx`SELECT pg_advisory_xact_lock(hashtext('absence:' || ${caller.personId}))`;
    const [span] = await tx<{ startsAt: Date; endsAt: Date; past: boolean }[]>`
      WITH tz AS (SELECT COALESCE((SELECT time_zone FROM notification_settings WHERE person_id = ${caller.personId}), ${DEFAULT_TIME_ZONE}) AS zone)
      SELECT (${input.from}::date)::timestamp AT TIME ZONE zone AS "startsAt", (${input.until}::date + 1)::timestamp AT TIME ZONE zone AS "endsAt",
             (${input.until}::date + 1)::timestamp AT TIME ZONE zone <= now() AS past
      FROM tz`;
    if (span!.past) throw invalidInput('until', 'the absence is over already');
    const [overlap] = await tx`SELECT 1 FROM absences WHERE person_id = ${caller.personId} AND starts_at < ${span!.endsAt} AND ends_at > ${span!.startsAt}`;
    if (overlap) throw new ProblemError(409, 'Overlapping absence', 'You are away already for part of this time: end or delete that absence first.');
    const [row] = await tx<AbsenceRow[]>`
      WITH made AS (INSERT INTO absences (person_id, delegate_id, starts_at, ends_at) VALUES (${caller.personId}, ${input.delegateId}, ${span!.startsAt}, ${span!.endsAt}) RETURNING *)
      SELECT m.id, m.starts_at AS "startsAt", m.ends_at AS "endsAt", m.delegate_id AS "delegateId", d.name AS "delegateName", m.starts_at <= now() AS current
      FROM made m JOIN people d ON d.id = m.delegate_id`;
    return absenceOf(row!);
  });
  return (await finishRequest(sql, scope, { status: 201, body: absence })).body as Absence;
}

/**
 * Calls an absence off: one not begun yet is deleted; one under way ends now and is kept, because
 * the timeline says from it for whom the delegate acted meanwhile.
 */
export async function endAbsence(sql: Sql, caller: Caller, id: string): Promise<'deleted' | 'ended'> {
  return sql.begin(async (tx) => {
    const [row] = await tx<{ begun: boolean }[]>`SELECT starts_at <= now() AS begun FROM absences WHERE id = ${id} AND person_id = ${caller.personId} AND ends_at > now() FOR UPDATE`;
    if (!row) throw new ProblemError(404, 'Absence not found', 'No absence of yours with this id is still to come or under way.');
    if (!row.begun) {
      await tx`DELETE FROM absences WHERE id = ${id}`;
      return 'deleted';
    }
    await tx`UPDATE absences SET ends_at = now() WHERE id = ${id}`;
    return 'ended';
  });
}
