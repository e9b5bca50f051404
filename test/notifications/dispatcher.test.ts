// Email off the critical path: the projection queues, the dispatcher delivers — each (event,
// recipient) once, in the recipient's language, retried while SMTP is down (real PostgreSQL + SMTP).
import { afterAll, describe, expect, it } from 'vitest';
import { createProjectionActivities } from '../../activities/projection.js';
import type { CaseNotification } from '../../domain/case-effects.js';
import type { CaseView } from '../../domain/case-view.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { createMailer } from '../../infra/mailer.js';
import { startMailDispatcher } from '../../notifications/dispatcher.js';
import { createCaseRow, createdOrganisations, createParties } from '../support/fixtures.js';
import { receivedMail, waitForMail } from '../support/mail.js';
import { freePort } from '../support/ports.js';
import { PUBLIC_URL, startTestDispatcher, TEST_MAIL_FROM, testDb } from '../support/stack.js';

const template = builtInTemplates['community-sponsorship']!;

describe('the mail dispatcher', () => {
  const sql = testDb();
  afterAll(() => sql.end());
  const { projectCase } = createProjectionActivities({ sql });

  /** Queues `notification` for a case the way the case workflow's projection does. */
  async function queue(caseId: string, reference: string, notification: CaseNotification, version = 1) {
    const view = { caseId, reference, version, status: 'active', stage: null, gates: [], held: null, programmePaused: false, stuck: false, waitingOn: [], nextDueAt: null, nextWakeAt: null, place: 'not_needed_yet', programmeId: null, pathway: { id: template.id, name: template.name, version: 1 }, parties: {} } as unknown as CaseView;
    await projectCase({ view, events: [], notifications: [notification] });
  }

  it('sends each (event, recipient) once, however often it is queued and however many dispatchers run', async () => {
    const { parties, members } = await createParties(sql, template, 'en');
    const sponsor = members.sponsor!;
    const { caseId } = await createCaseRow(sql, template, parties);
    const n: CaseNotification = { key: `${caseId}:1:mail-offer-made`, template: 'offer-made', organisationIds: [sponsor.organisationId], gateTitle: 'Housing offer', dueAt: Date.parse('2027-01-15T00:00:00Z') };
    await Promise.all([queue(caseId, 'N-1', n), queue(caseId, 'N-1', n), queue(caseId, 'N-1', n)]);
    const dispatchers = [startTestDispatcher(sql), startTestDispatcher(sql), startTestDispatcher(sql)];
    try {
      await waitForMail((m) => m.to.includes(sponsor.email));
      await new Promise((r) => setTimeout(r, 1_500));
      const mine = (await receivedMail()).filter((m) => m.to.includes(sponsor.email));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.subject).toBe('Housing offer for case N-1');
      expect(mine[0]!.text).toContain('before Friday 15 January 2027.'); // in words, never an ISO date
      expect(mine[0]!.text).toContain(`${PUBLIC_URL}/cases/${caseId}`);
      expect(mine[0]!.html).toContain('<a href=');
      const [row] = await sql`SELECT attempts, sent_at IS NOT NULL AS sent FROM notifications WHERE key = ${`${n.key}:${sponsor.personId}`}`;
      expect(row).toEqual({ attempts: 1, sent: true });
    } finally {
      await Promise.all(dispatchers.map((d) => d.stop()));
    }
  });

  it("writes in each recipient's language", async () => {
    const { parties, members } = await createParties(sql, template, 'nl');
    const municipality = members.municipality!;
    const { caseId } = await createCaseRow(sql, template, parties);
    await queue(caseId, 'N-2', { key: `${caseId}:1:mail-reminder`, template: 'reminder', organisationIds: [municipality.organisationId], gateTitle: 'Municipal consent', dueAt: Date.parse('2027-02-01T00:00:00Z') });
    const dispatcher = startTestDispatcher(sql);
    try {
      const [mail] = await waitForMail((m) => m.to.includes(municipality.email));
      expect(mail!.subject).toBe('Herinnering: Instemming van de gemeente — casus N-2');
      expect(mail!.text).toContain('De uiterste datum is maandag 1 februari 2027.');
    } finally {
      await dispatcher.stop();
    }
  });

  it('marks a message the mail server refuses for good as failed, and does not retry it', async () => {
    const { parties, members } = await createParties(sql, template, 'en');
    const { caseId } = await createCaseRow(sql, template, parties);
    await sql`UPDATE people SET email = ${`gone-${members.sponsor!.personId}@bounce.invalid`} WHERE id = ${members.sponsor!.personId}`;
    await queue(caseId, 'N-3', { key: `${caseId}:9:mail-reminder`, template: 'reminder', organisationIds: [parties.sponsor!] });
    const key = `${caseId}:9:mail-reminder:${members.sponsor!.personId}`;
    const dispatcher = startTestDispatcher(sql);
    try {
      await expect.poll(async () => (await sql`SELECT failure FROM notifications WHERE key = ${key}`)[0]!.failure, { timeout: 10_000 }).toBe('SMTP 550');
      await new Promise((r) => setTimeout(r, 1_000));
      expect((await sql`SELECT attempts FROM notifications WHERE key = ${key}`)[0]!.attempts).toBe(1);
    } finally {
      await dispatcher.stop();
    }
  });

  it('keeps a message while SMTP is down, shows why, and sends it once when SMTP is back', async () => {
    const { parties, members } = await createParties(sql, template, 'en');
    const sponsor = members.sponsor!;
    const { caseId } = await createCaseRow(sql, template, parties);
    await queue(caseId, 'N-4', { key: `${caseId}:2:mail-case-update`, template: 'case-update', organisationIds: [sponsor.organisationId], detail: 'place-reserved' });
    const key = `${caseId}:2:mail-case-update:${sponsor.personId}`;
    // Nothing listens on this port: every attempt fails, like a mail server that is down.
    const down = startMailDispatcher({ sql, mailer: createMailer(`smtp://127.0.0.1:${await freePort()}`), mailFrom: TEST_MAIL_FROM, publicUrl: PUBLIC_URL, pollMs: 100, onlyOrganisations: () => [...createdOrganisations], log: () => {} });
    try {
      await expect.poll(async () => (await sql`SELECT last_error FROM notifications WHERE key = ${key}`)[0]!.last_error, { timeout: 15_000 }).toMatch(/ECONNREFUSED|no answer/);
    } finally {
      await down.stop();
    }
    expect((await sql`SELECT sent_at FROM notifications WHERE key = ${key}`)[0]!.sent_at).toBeNull();
    // The retry waits its back-off; make it due now rather than wait.
    await sql`UPDATE notifications SET next_attempt_at = now() WHERE key = ${key}`;
    const up = startTestDispatcher(sql);
    try {
      await waitForMail((m) => m.to.includes(sponsor.email));
      await expect.poll(async () => (await sql`SELECT sent_at IS NOT NULL AS sent, last_error FROM notifications WHERE key = ${key}`)[0]).toEqual({ sent: true, last_error: null });
      expect((await receivedMail()).filter((m) => m.to.includes(sponsor.email))).toHaveLength(1);
    } finally {
      await up.stop();
    }
  });
});
