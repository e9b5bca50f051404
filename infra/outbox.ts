/**
 * The one way SafeRoutes sends email: a row in the `notifications` outbox per (event, person),
 * sent while holding that row's lock and marked sent in the same transaction, so a retried caller
 * does not send it again. Workflow notifications and sign-in links both go through here.
 */
import { createHash } from 'node:crypto';
import type { Sql } from './db.js';
import type { Mailer } from './mailer.js';

export interface OutboxMessage {
  /** Unique per (event, recipient): the same key is never sent twice. */
  key: string;
  personId: string;
  to: string;
  template: string;
  caseId?: string;
  programmeId?: string;
  /** Rendered only when the message is actually sent. */
  render(): { subject: string; text: string; html: string };
}

export type Delivery = 'sent' | 'already-sent' | 'failed';

export async function deliverOnce(sql: Sql, mailer: Mailer, mailFrom: string, m: OutboxMessage): Promise<Delivery> {
  const messageId = `<${createHash('sha256').update(m.key).digest('hex').slice(0, 32)}@saferoutes>`;
  await sql`
    INSERT INTO notifications (key, case_id, programme_id, person_id, template, message_id)
    VALUES (${m.key}, ${m.caseId ?? null}, ${m.programmeId ?? null}, ${m.personId}, ${m.template}, ${messageId})
    ON CONFLICT (key) DO NOTHING`;
  // The row lock is held while sending, so two concurrent attempts cannot both send.
  return sql.begin(async (tx) => {
    const [row] = await tx<{ sent_at: Date | null; failed_at: Date | null }[]>`SELECT sent_at, failed_at FROM notifications WHERE key = ${m.key} FOR UPDATE`;
    if (row?.sent_at || row?.failed_at) return 'already-sent' as const;
    // At least once: if the commit below is lost after sending, a retry sends again (with the
    // same Message-ID, which some mail systems use to drop the duplicate).
    try {
      await mailer.sendMail({ from: mailFrom, to: m.to, messageId, ...m.render() });
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // A permanent refusal (5xx) will not get better by retrying; a transient one might.
      if (code === undefined || code < 500) throw error;
      await tx`UPDATE notifications SET failed_at = now(), failure = ${`SMTP ${code}`} WHERE key = ${m.key}`;
      return 'failed' as const;
    }
    await tx`UPDATE notifications SET sent_at = now() WHERE key = ${m.key}`;
    return 'sent' as const;
  });
}
