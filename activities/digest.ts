/**
 * The daily digest's activities (workflows/digest.ts runs them every hour): who is due a digest
 * now, and each one's digest built from the projection and queued for the mail dispatcher.
 * Exactly once per person per local day: the `digests_sent` row (primary key person, day) is
 * written in the same transaction as the digest's outbox row, so a retried activity or a second
 * run of the schedule finds it and sends nothing. Names and texts are read here, never passed
 * through the workflow.
 */
import type { JSONValue } from 'postgres';
import type { Sql } from '../infra/db.js';
import { DIGEST_TEMPLATE, type DigestPayload, type DigestStep, type NotificationPayload } from '../notifications/payload.js';

/** At most this many steps per list in one email: the rest are one click away ("Waiting on us"). */
export const DIGEST_LIST = 20;
/** Without an earlier digest, "since the previous one" means the last day. */
const FIRST_DIGEST_LOOKS_BACK_MS = 86_400_000;

export type DigestOutcome = 'sent' | 'skipped' | 'already';

type StepRow = { caseId: string; reference: string; title: string; dueAt: Date };
const stepOf = (r: StepRow): DigestStep => ({ caseId: r.caseId, reference: r.reference, title: r.title, dueAt: r.dueAt.getTime() });

export function createDigestActivities({ sql }: { sql: Sql }) {
  return {
    /**
     * The people whose digest hour has come today (local, in their time zone) and who have had no
     * digest today: an hourly run that was missed is made up by the next one the same day. Nobody
     * away gets one; what was held waits for their first digest back.
     */
    async dueDigests({ now }: { now: number }): Promise<string[]> {
      const at = new Date(now);
      const rows = await sql<{ personId: string }[]>`
        SELECT s.person_id AS "personId"
        FROM notification_settings s JOIN people p ON p.id = s.person_id
        WHERE s.digest_hour IS NOT NULL AND p.role <> 'admin'
          AND extract(hour FROM (${at}::timestamptz AT TIME ZONE s.time_zone)) >= s.digest_hour
          AND NOT EXISTS (SELECT 1 FROM digests_sent d WHERE d.person_id = s.person_id AND d.day = (${at}::timestamptz AT TIME ZONE s.time_zone)::date)
          AND NOT EXISTS (SELECT 1 FROM absences a WHERE a.person_id = s.person_id AND a.starts_at <= ${at} AND a.ends_at > ${at})
        ORDER BY s.person_id`;
      return rows.map((r) => r.personId);
    },

    /** Builds and queues one person's digest for their local day of `now`; an empty one is recorded as skipped. */
    async sendDigest({ personId, now }: { personId: string; now: number }): Promise<DigestOutcome> {
      const at = new Date(now);
      return sql.begin(async (tx) => {
        const [me] = await tx<{ organisationId: string; day: string }[]>`
          SELECT p.organisation_id AS "organisationId", to_char((${at}::timestamptz AT TIME ZONE s.time_zone)::date, 'YYYY-MM-DD') AS day
          FROM people p JOIN notification_settings s ON s.person_id = p.id WHERE p.id = ${personId}`;
        if (!me) return 'skipped';
        const [previous] = await tx<{ at: Date | null }[]>`SELECT max(sent_at) AS at FROM digests_sent WHERE person_id = ${personId} AND day < ${me.day}::date`;
        // The exactly-once: a second run (or a retry after a commit) stops here. A concurrent one waits on this row's key, then stops here too.
        const [claimed] = await tx`
          INSERT INTO digests_sent (person_id, day, sent_at, outcome) VALUES (${personId}, ${me.day}::date, ${at}, 'skipped')
          ON CONFLICT (person_id, day) DO NOTHING RETURNING day`;
        if (!claimed) return 'already';
        const since = previous?.at ?? new Date(now - FIRST_DIGEST_LOOKS_BACK_MS);
        const org = me.organisationId;
        const [waiting, [waitingCount], overdue, changes, held] = await Promise.all([
          tx<StepRow[]>`
            SELECT case_id AS "caseId", reference, title, due_at AS "dueAt" FROM open_gates
            WHERE waiting_on = ${org} AND on_hold IS NULL ORDER BY due_at, case_id, gate_id LIMIT ${DIGEST_LIST}`,
          tx<{ n: number }[]>`SELECT count(*)::int AS n FROM open_gates WHERE waiting_on = ${org} AND on_hold IS NULL`,
          tx<StepRow[]>`
            SELECT case_id AS "caseId", reference, title, due_at AS "dueAt" FROM open_gates
            WHERE waiting_on = ${org} AND on_hold IS NULL AND due_at > ${since} AND due_at <= ${at}
            ORDER BY due_at, case_id, gate_id LIMIT ${DIGEST_LIST}`,
          // What others did or the system did on the organisation's cases; the reader's own acts are no news to them.
          tx<{ caseId: string; reference: string; count: number }[]>`
            SELECT e.case_id AS "caseId", c.reference, count(*)::int AS count
            FROM case_events e JOIN cases c ON c.id = e.case_id
            WHERE e.case_id IN (SELECT case_id FROM case_parties WHERE organisation_id = ${org} UNION SELECT id FROM cases WHERE coordinator_organisation_id = ${org})
              AND e.at > ${since} AND e.at <= ${at} AND e.actor <> ${personId}
            GROUP BY e.case_id, c.reference ORDER BY c.reference LIMIT ${DIGEST_LIST}`,
          tx<{ key: string; template: string; payload: NotificationPayload }[]>`
            SELECT key, template, payload FROM notifications_withheld
            WHERE person_id = ${personId} AND reason = 'digest' AND digested_at IS NULL ORDER BY created_at, key FOR UPDATE`,
        ]);
        if (waiting.length + overdue.length + changes.length + held.length === 0) return 'skipped';
        const digest: DigestPayload = {
          day: me.day,
          waiting: waiting.map(stepOf),
          waitingTotal: waitingCount?.n ?? waiting.length,
          overdue: overdue.map(stepOf),
          changes,
          held: held.map((h) => ({ ...h.payload, template: h.template })),
        };
        const key = `digest:${personId}:${me.day}`;
        await tx`
          INSERT INTO notifications (key, person_id, template, message_id, payload)
          VALUES (${key}, ${personId}, ${DIGEST_TEMPLATE}, '<' || left(encode(sha256(convert_to(${key}, 'UTF8')), 'hex'), 32) || '@saferoutes>', ${tx.json(digest as unknown as JSONValue)})
          ON CONFLICT (key) DO NOTHING`;
        await tx`UPDATE digests_sent SET outcome = 'sent', notification_key = ${key} WHERE person_id = ${personId} AND day = ${me.day}::date`;
        if (held.length) {
          await tx`UPDATE notifications_withheld SET digested_at = ${at}, digest_day = ${me.day}::date WHERE key = ANY(${held.map((h) => h.key)})`;
        }
        return 'sent';
      });
    },
  };
}
