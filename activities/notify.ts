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
    async notify({ subject, notification: n }: NotifyInput): Promise<{ sent: number; alreadySent: number; failed: number }> {
      const recipients = await sql<Recipient[]>`
        SELECT id AS "personId", email, name, language FROM people
        WHERE organisation_id = ANY(${n.organisationIds}::uuid[]) AND role <> 'admin'
        ORDER BY id`;
      const link = `${publicUrl}/${subject.kind === 'case' ? 'cases' : 'programmes'}/${subject.id}`;
      let sent = 0;
      let alreadySent = 0;
      let failed = 0;
      for (const r of recipients) {
        const key = `${n.key}:${r.personId}`;
        const messageId = `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@saferoutes>`;
        await sql`
          INSERT INTO notifications (key, case_id, programme_id, person_id, template, message_id)
          VALUES (${key}, ${subject.kind === 'case' ? subject.id : null}, ${subject.kind === 'programme' ? subject.id : null}, ${r.personId}, ${n.template}, ${messageId})
          ON CONFLICT (key) DO NOTHING`;
        // The row lock is held while sending, so two concurrent attempts cannot both send.
        const outcome = await sql.begin(async (tx) => {
          const [row] = await tx<{ sent_at: Date | null; failed_at: Date | null }[]>`SELECT sent_at, failed_at FROM notifications WHERE key = ${key} FOR UPDATE`;
          if (row?.sent_at || row?.failed_at) return 'done' as const;
          const mail = renderMail(n.template, r.language, {
            recipientName: r.name,
            subjectKind: subject.kind,
            reference: subject.reference,
            gateTitle: n.gateTitle,
            dueAt: n.dueAt,
            detail: n.detail,
            link,
          });
          // At least once: if the commit below is lost after sending, a retry sends again (with the
          // same Message-ID, which some mail systems use to drop the duplicate).
          try {
            await mailer.sendMail({ from: mailFrom, to: r.email, messageId, ...mail });
          } catch (error) {
            const code = (error as { responseCode?: number }).responseCode;
            // A permanent refusal (5xx) will not get better by retrying; a transient one might.
            if (code === undefined || code < 500) throw error;
            await tx`UPDATE notifications SET failed_at = now(), failure = ${`SMTP ${code}`} WHERE key = ${key}`;
            return 'failed' as const;
          }
          await tx`UPDATE notifications SET sent_at = now() WHERE key = ${key}`;
          return 'sent' as const;
        });
        if (outcome === 'sent') sent += 1;
        else if (outcome === 'failed') failed += 1;
        else alreadySent += 1;
      }
      return { sent, alreadySent, failed };
    },
  };
}
