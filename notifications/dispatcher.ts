/**
 * Delivers the notifications the projection queued: claims due rows, renders each in its
 * recipient's language (name and address read now, never stored with the message), sends it and
 * records the outcome. A mail server that is down only delays mail: cases go on, and failing
 * deliveries show on the coordinators' board until they go through.
 */
import type { Sql } from '../infra/db.js';
import { Waker } from '../infra/waker.js';
import type { Mailer } from '../infra/mailer.js';
import { claimDue, sendClaimed, type OutboxRow } from '../infra/outbox.js';
import type { Language } from '../domain/organisation.js';
import type { NotificationTemplate } from '../domain/case-effects.js';
import type { DigestPayload, NotificationPayload } from './payload.js';
import { DIGEST_TEMPLATE } from './payload.js';
import { renderDigest } from './digest-template.js';
import { renderMail } from './templates.js';
import { log as processLog } from '../infra/logger.js';

export interface DispatcherOptions {
  sql: Sql;
  mailer: Mailer;
  mailFrom: string;
  publicUrl: string;
  /** How often to look for due mail when there was none. */
  pollMs?: number;
  /** Only mail to people of these organisations (tests that share one database). */
  onlyOrganisations?: () => readonly string[];
  /** Called with a line to log (no personal data: keys and error names only). */
  log?: (line: string) => void;
}

export interface RunningDispatcher {
  stop(): Promise<void>;
}

const BATCH = 20;
const SENDING_AT_ONCE = 4;

export function startMailDispatcher(options: DispatcherOptions): RunningDispatcher {
  const { sql, mailer, mailFrom, publicUrl } = options;
  const pollMs = options.pollMs ?? 500;
  const mailLog = processLog.child({ component: 'mail' });
  const log = options.log ?? ((line: string) => mailLog.warn(line));
  let stopping = false;
  const waker = new Waker();

  /** Names of the absent colleagues a message stands in for, read now (never stored with it). */
  const namesOf = async (ids: string[]) => (await sql<{ name: string }[]>`SELECT name FROM people WHERE id = ANY(${ids}::uuid[]) ORDER BY name`).map((p) => p.name);

  async function deliver(row: OutboxRow): Promise<void> {
    const [person] = await sql<{ email: string; name: string; language: Language }[]>`SELECT email, name, language FROM people WHERE id = ${row.personId}`;
    const payload = row.payload as NotificationPayload;
    if (!person) {
      await sql`UPDATE notifications SET failed_at = now(), failure = 'no such person', claimed_until = NULL WHERE key = ${row.key}`;
      return;
    }
    const mail = row.template === DIGEST_TEMPLATE ? renderDigest(person.language, person.name, row.payload as DigestPayload, publicUrl) : renderMail(row.template as NotificationTemplate, person.language, {
      recipientName: person.name,
      subjectKind: payload.subject.kind,
      reference: payload.subject.reference,
      gateTitle: payload.gateTitle,
      dueAt: payload.dueAt,
      detail: payload.detail,
      measure: payload.measure,
      link: `${publicUrl}/${payload.subject.kind === 'case' ? 'cases' : 'programmes'}/${payload.subject.id}`,
      onBehalfOf: payload.onBehalfOf?.length ? await namesOf(payload.onBehalfOf) : undefined,
    });
    const outcome = await sendClaimed(sql, mailer, mailFrom, row, { to: person.email, ...mail });
    if (outcome !== 'sent') log(`${outcome === 'failed' ? 'refused for good' : 'will retry'}: ${row.key} (attempt ${row.attempts})`);
  }

  async function round(): Promise<number> {
    const rows = await claimDue(sql, BATCH, options.onlyOrganisations?.());
    for (let i = 0; i < rows.length; i += SENDING_AT_ONCE) {
      await Promise.all(rows.slice(i, i + SENDING_AT_ONCE).map((row) => deliver(row).catch((e: Error) => log(`could not deliver ${row.key}: ${e.name}`))));
    }
    return rows.length;
  }

  const running = (async () => {
    while (!stopping) {
      let claimed = 0;
      try {
        claimed = await round();
      } catch (error) {
        // PostgreSQL away: try again shortly; nothing was claimed, or the claim runs out.
        log(`outbox unreachable: ${(error as Error).name} ${(error as { code?: string }).code ?? ''}`.trim());
      }
      if (claimed === BATCH) continue;
      await waker.sleep(pollMs);
    }
  })();

  return {
    async stop() {
      stopping = true;
      waker.wake();
      await running;
    },
  };
}
