import { createHash } from 'node:crypto';
import type { Sql } from '../infra/db.js';
import type { Mailer } from '../infra/mailer.js';
import { renderMail, type Language, type NotificationEvent } from './mail-templates.js';

export interface NotifyDeps {
  sql: Sql;
  mailer: Mailer;
  mailFrom: string;
  publicUrl: string;
}

export interface NotifyCaseInput {
  caseId: string;
  event: NotificationEvent;
  /** Unique per occurrence of the event: the same key never sends twice. */
  eventKey: string;
}

interface Recipient {
  personId: string;
  email: string;
  name: string;
  language: Language;
  reference: string;
}

export function createNotifyActivities({ sql, mailer, mailFrom, publicUrl }: NotifyDeps) {
  return {
    /** Emails the case's sponsor group, once per (event, person), however often it is retried. */
    async notifyCase(input: NotifyCaseInput): Promise<{ sent: number; alreadySent: number }> {
      const recipients = await sql<Recipient[]>`
        SELECT p.id AS "personId", p.email, p.name, p.language, c.reference
        FROM cases c JOIN people p ON p.organisation_id = c.sponsor_organisation_id
        WHERE c.id = ${input.caseId}`;
      let sent = 0;
      let alreadySent = 0;
      for (const r of recipients) {
        const key = `${input.eventKey}:${r.personId}`;
        const messageId = `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@saferoutes>`;
        await sql`
          INSERT INTO notifications (key, case_id, person_id, template, message_id)
          VALUES (${key}, ${input.caseId}, ${r.personId}, ${input.event}, ${messageId})
          ON CONFLICT (key) DO NOTHING`;
        // The row lock is held while sending, so two concurrent attempts cannot both send.
        const didSend = await sql.begin(async (tx) => {
          const [row] = await tx<{ sent_at: Date | null }[]>`SELECT sent_at FROM notifications WHERE key = ${key} FOR UPDATE`;
          if (row?.sent_at) return false;
          const mail = renderMail(input.event, r.language, {
            recipientName: r.name,
            caseReference: r.reference,
            caseUrl: `${publicUrl}/cases/${input.caseId}`,
          });
          // A stable Message-ID lets mail servers drop a duplicate if the commit below is lost.
          await mailer.sendMail({ from: mailFrom, to: r.email, messageId, ...mail });
          await tx`UPDATE notifications SET sent_at = now() WHERE key = ${key}`;
          return true;
        });
        if (didSend) sent += 1;
        else alreadySent += 1;
      }
      return { sent, alreadySent };
    },
  };
}
