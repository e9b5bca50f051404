/** Notification emails: once per (event, person), however often the activity is retried. */
import { createHash } from 'node:crypto';
import type { CaseNotification } from '../domain/case-effects.js';
import type { Language } from '../domain/organisation.js';
import type { Sql } from '../infra/db.js';
import type { Mailer } from '../infra/mailer.js';
import { renderMail } from './mail-templates.js';

export interface NotifyDeps {
  sql: Sql;
  mailer: Mailer;
  mailFrom: string;
  publicUrl: string;
}

export interface NotifyInput {
  subject: { kind: 'case' | 'programme'; id: string; reference: string };
  notification: CaseNotification;
}

interface Recipient {
  personId: string;
  email: string;
  name: string;
  language: Language;
}

export function createNotifyActivities({ sql, mailer, mailFrom, publicUrl }: NotifyDeps) {
  return {
    async notify({ subject, notification: n }: NotifyInput): Promise<{ sent: number; alreadySent: number }> {
      const recipients = await sql<Recipient[]>`
        SELECT id AS "personId", email, name, language FROM people
        WHERE organisation_id = ANY(${n.organisationIds}::uuid[]) AND role <> 'admin'
        ORDER BY id`;
      const link = `${publicUrl}/${subject.kind === 'case' ? 'cases' : 'programmes'}/${subject.id}`;
      let sent = 0;
      let alreadySent = 0;
      for (const r of recipients) {
        const key = `${n.key}:${r.personId}`;
        const messageId = `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@saferoutes>`;
        await sql`
          INSERT INTO notifications (key, case_id, programme_id, person_id, template, message_id)
          VALUES (${key}, ${subject.kind === 'case' ? subject.id : null}, ${subject.kind === 'programme' ? subject.id : null}, ${r.personId}, ${n.template}, ${messageId})
          ON CONFLICT (key) DO NOTHING`;
        // The row lock is held while sending, so two concurrent attempts cannot both send.
        const didSend = await sql.begin(async (tx) => {
          const [row] = await tx<{ sent_at: Date | null }[]>`SELECT sent_at FROM notifications WHERE key = ${key} FOR UPDATE`;
          if (row?.sent_at) return false;
          const mail = renderMail(n.template, r.language, {
            recipientName: r.name,
            subjectKind: subject.kind,
            reference: subject.reference,
            gateTitle: n.gateTitle,
            dueAt: n.dueAt,
            detail: n.detail,
            link,
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
