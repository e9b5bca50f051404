/** Notification emails: once per (event, person), however often the activity is retried. */
import type { CaseNotification } from '../domain/case-effects.js';
import type { Language } from '../domain/organisation.js';
import type { Sql } from '../infra/db.js';
import type { Mailer } from '../infra/mailer.js';
import { deliverOnce } from '../infra/outbox.js';
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
        const outcome = await deliverOnce(sql, mailer, mailFrom, {
          key: `${n.key}:${r.personId}`,
          personId: r.personId,
          to: r.email,
          template: n.template,
          ...(subject.kind === 'case' ? { caseId: subject.id } : { programmeId: subject.id }),
          render: () =>
            renderMail(n.template, r.language, {
              recipientName: r.name,
              subjectKind: subject.kind,
              reference: subject.reference,
              gateTitle: n.gateTitle,
              dueAt: n.dueAt,
              detail: n.detail,
              link,
            }),
        });
        if (outcome === 'sent') sent += 1;
        else if (outcome === 'failed') failed += 1;
        else alreadySent += 1;
      }
      return { sent, alreadySent, failed };
    },
  };
}
