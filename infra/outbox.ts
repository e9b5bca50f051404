/**
 * The one way SafeRoutes sends email: a row in the `notifications` outbox per (event, person).
 * A sender claims a row for a while (a lease), talks to SMTP holding no lock and no database
 * connection, then records the outcome. A claimed row is not sent by anyone else until its lease
 * runs out, so each row is handed to SMTP once — unless the process dies between SMTP accepting
 * it and recording so, in which case it goes again with the same Message-ID, which mail systems
 * use to drop the duplicate.
 */
import type { Sql } from './db.js';
import type { Mailer } from './mailer.js';
import { notificationsDelivered } from './metrics.js';

/** How long a claim lasts: longer than any SMTP exchange (the mailer's socket timeout is 20 s). */
const LEASE_SECONDS = 60;
/**
 * Retries back off from 2 s to at most 30 s: cheap, and once a retry goes through the rest of the
 * backlog is woken at once (see `recordSent`), so mail flows again soon after SMTP is back.
 */
const retryDelaySeconds = (attempts: number) => Math.min(2 * 2 ** Math.max(0, attempts - 1), 30);

export interface OutboxRow {
  key: string;
  personId: string;
  template: string;
  messageId: string;
  attempts: number;
  caseId: string | null;
  programmeId: string | null;
  payload: unknown;
}

export interface Rendered {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export type Delivery = 'sent' | 'retry' | 'failed';

const columns = (sql: Sql) => sql`
  key, person_id AS "personId", template, message_id AS "messageId", attempts,
  case_id AS "caseId", programme_id AS "programmeId", payload`;

/** Claims one row by key, if it is due and nobody holds it. */
export async function claimOne(sql: Sql, key: string): Promise<OutboxRow | undefined> {
  const [row] = await sql<OutboxRow[]>`
    UPDATE notifications SET claimed_until = now() + ${LEASE_SECONDS} * interval '1 second', attempts = attempts + 1, last_attempt_at = now()
    WHERE key = ${key} AND sent_at IS NULL AND failed_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
    RETURNING ${columns(sql)}`;
  return row;
}

/** Claims up to `limit` due rows with something to render, oldest due first; `only` narrows them to some recipients' organisations (tests). */
export async function claimDue(sql: Sql, limit: number, only?: readonly string[]): Promise<OutboxRow[]> {
  return sql<OutboxRow[]>`
    UPDATE notifications n SET claimed_until = now() + ${LEASE_SECONDS} * interval '1 second', attempts = attempts + 1, last_attempt_at = now()
    WHERE n.key IN (
      SELECT key FROM notifications
      WHERE sent_at IS NULL AND failed_at IS NULL AND payload IS NOT NULL AND next_attempt_at <= now()
        AND (claimed_until IS NULL OR claimed_until < now())
        ${only ? sql`AND person_id IN (SELECT id FROM people WHERE organisation_id = ANY(${only as string[]}::uuid[]))` : sql``}
      ORDER BY next_attempt_at LIMIT ${limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING ${columns(sql)}`;
}

/** Sends a claimed row and records what happened. A permanent refusal (5xx) is not retried. */
export async function sendClaimed(sql: Sql, mailer: Mailer, mailFrom: string, row: OutboxRow, message: Rendered): Promise<Delivery> {
  try {
    await mailer.sendMail({ from: mailFrom, messageId: row.messageId, ...message });
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    // The SMTP reply can name the recipient, so only its code is kept; a connection error says where it failed.
    const failure = code ? `SMTP ${code}` : `${(error as { code?: string }).code ?? (error as Error).name}: ${((error as Error).message ?? '').split('\n')[0]!.slice(0, 120)}`;
    if (code !== undefined && code >= 500) {
      await sql`UPDATE notifications SET failed_at = now(), failure = ${failure}, last_error = ${failure}, claimed_until = NULL WHERE key = ${row.key}`;
      notificationsDelivered.inc({ result: 'failed' });
      return 'failed';
    }
    await sql`
      UPDATE notifications SET last_error = ${failure}, claimed_until = NULL,
        next_attempt_at = now() + ${retryDelaySeconds(row.attempts)} * interval '1 second'
      WHERE key = ${row.key}`;
    notificationsDelivered.inc({ result: 'retry' });
    return 'retry';
  }
  await recordSent(sql, row.key);
  notificationsDelivered.inc({ result: 'sent' });
  return 'sent';
}

/**
 * SMTP took the message: that must be recorded even if PostgreSQL is away for a moment, or the
 * row would be sent again when its lease runs out. Keeps trying for a while before giving up.
 */
async function recordSent(sql: Sql, key: string): Promise<void> {
  const deadline = Date.now() + (LEASE_SECONDS - 5) * 1000;
  for (;;) {
    try {
      const [row] = await sql<{ hadFailed: boolean }[]>`
        UPDATE notifications n SET sent_at = now(), claimed_until = NULL, last_error = NULL
        FROM (SELECT last_error IS NOT NULL AS had_failed FROM notifications WHERE key = ${key}) before
        WHERE n.key = ${key} RETURNING before.had_failed AS "hadFailed"`;
      // It had failed before and went through now: SMTP is back, so the backlog need not wait out its back-off.
      if (row?.hadFailed) await sql`UPDATE notifications SET next_attempt_at = now() WHERE sent_at IS NULL AND failed_at IS NULL AND last_error IS NOT NULL AND next_attempt_at > now()`;
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

/** Queues one message and sends it at once (sign-in links: the person is waiting for it). */
export async function sendNow(
  sql: Sql,
  mailer: Mailer,
  mailFrom: string,
  m: { key: string; personId: string; template: string; render(): Rendered },
): Promise<Delivery | 'already-sent'> {
  await sql`
    INSERT INTO notifications (key, person_id, template, message_id)
    VALUES (${m.key}, ${m.personId}, ${m.template}, '<' || left(encode(sha256(convert_to(${m.key}, 'UTF8')), 'hex'), 32) || '@saferoutes>')
    ON CONFLICT (key) DO NOTHING`;
  const row = await claimOne(sql, m.key);
  if (!row) return 'already-sent';
  return sendClaimed(sql, mailer, mailFrom, row, m.render());
}
