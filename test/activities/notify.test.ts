// Exactly once per event: a retried notification activity does not send again (real PostgreSQL + SMTP).
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createNotifyActivities, type NotifyInput } from '../../activities/notify.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { createCaseRow, createParties } from '../support/fixtures.js';
import { receivedMail, waitForMail } from '../support/mail.js';
import { PUBLIC_URL, testActivityDeps, testDb } from '../support/stack.js';

describe('notify', () => {
  const sql = testDb();
  afterAll(() => sql.end());

  it('sends each event once per recipient however often it runs', async () => {
    const { parties, members } = await createParties(sql, builtInTemplates['community-sponsorship']!, 'en');
    const sponsor = members.sponsor!;
    const { caseId } = await createCaseRow(sql, builtInTemplates['community-sponsorship']!, parties);
    const { notify } = createNotifyActivities(testActivityDeps(sql));
    const env = new MockActivityEnvironment();
    const input: NotifyInput = {
      subject: { kind: 'case', id: caseId, reference: 'N-1' },
      notification: { key: `${sponsor.organisationId}:1:mail`, template: 'offer-made', organisationIds: [sponsor.organisationId], gateTitle: 'Housing offer', dueAt: Date.parse('2027-01-15T00:00:00Z') },
    };

    expect(await env.run(notify, input)).toEqual({ sent: 1, alreadySent: 0, failed: 0 });
    expect(await env.run(notify, input)).toEqual({ sent: 0, alreadySent: 1, failed: 0 });
    const both = await Promise.all([env.run(notify, input), env.run(notify, input)]);
    expect(both).toEqual([{ sent: 0, alreadySent: 1, failed: 0 }, { sent: 0, alreadySent: 1, failed: 0 }]);

    await waitForMail((m) => m.to.includes(sponsor.email));
    await new Promise((r) => setTimeout(r, 500));
    const mine = (await receivedMail()).filter((m) => m.to.includes(sponsor.email));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.subject).toBe('Housing offer for case N-1');
    expect(mine[0]!.text).toContain('before 2027-01-15');
    expect(mine[0]!.text).toContain(`${PUBLIC_URL}/cases/${caseId}`);
    expect(mine[0]!.html).toContain('<a href=');
  });

  it("writes in each recipient's language", async () => {
    const { parties, members } = await createParties(sql, builtInTemplates['community-sponsorship']!, 'nl');
    const municipality = members.municipality!;
    const { caseId } = await createCaseRow(sql, builtInTemplates['community-sponsorship']!, parties);
    const { notify } = createNotifyActivities(testActivityDeps(sql));
    const input: NotifyInput = {
      subject: { kind: 'case', id: caseId, reference: 'N-2' },
      notification: { key: `${municipality.organisationId}:1:mail`, template: 'reminder', organisationIds: [municipality.organisationId], gateTitle: 'Municipal consent', dueAt: Date.parse('2027-02-01T00:00:00Z') },
    };
    await new MockActivityEnvironment().run(notify, input);
    const [mail] = await waitForMail((m) => m.to.includes(municipality.email));
    expect(mail!.subject).toBe('Herinnering: Instemming van de gemeente — casus N-2');
    expect(mail!.text).toContain('De uiterste datum is 2027-02-01.');
  });

  it('marks a message the mail server refuses for good as failed, and does not retry it', async () => {
    const { parties, members } = await createParties(sql, builtInTemplates['community-sponsorship']!, 'en');
    const { caseId } = await createCaseRow(sql, builtInTemplates['community-sponsorship']!, parties);
    await sql`UPDATE people SET email = ${`gone-${members.sponsor!.personId}@bounce.invalid`} WHERE id = ${members.sponsor!.personId}`;
    const { notify } = createNotifyActivities(testActivityDeps(sql));
    const input: NotifyInput = { subject: { kind: 'case', id: caseId, reference: 'N-3' }, notification: { key: `${caseId}:9:mail`, template: 'reminder', organisationIds: [parties.sponsor!] } };
    const env = new MockActivityEnvironment();
    expect(await env.run(notify, input)).toEqual({ sent: 0, alreadySent: 0, failed: 1 });
    expect(await env.run(notify, input)).toEqual({ sent: 0, alreadySent: 1, failed: 0 });
    const [row] = await sql`SELECT failed_at IS NOT NULL AS failed, failure FROM notifications WHERE key = ${`${caseId}:9:mail:${members.sponsor!.personId}`}`;
    expect(row).toEqual({ failed: true, failure: 'SMTP 550' });
  });
});
