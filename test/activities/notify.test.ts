// Exactly once per event: a retried notification activity does not send again (real PostgreSQL + SMTP).
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createNotifyActivities, type NotifyCaseInput } from '../../activities/notify.js';
import { createCaseRow, createSponsorGroup } from '../support/fixtures.js';
import { receivedMail, waitForMail } from '../support/mail.js';
import { testActivityDeps, testDb } from '../support/stack.js';

describe('notifyCase', () => {
  const sql = testDb();
  afterAll(() => sql.end());

  it('sends each event once per recipient however often it runs', async () => {
    const sponsor = await createSponsorGroup(sql, 'en');
    const { caseId, reference } = await createCaseRow(sql, sponsor);
    const { notifyCase } = createNotifyActivities(testActivityDeps(sql));
    const env = new MockActivityEnvironment();
    const input: NotifyCaseInput = { caseId, event: 'case-opened', eventKey: `${caseId}:opened` };

    expect(await env.run(notifyCase, input)).toEqual({ sent: 1, alreadySent: 0 });
    expect(await env.run(notifyCase, input)).toEqual({ sent: 0, alreadySent: 1 });
    const both = await Promise.all([env.run(notifyCase, input), env.run(notifyCase, input)]);
    expect(both).toEqual([{ sent: 0, alreadySent: 1 }, { sent: 0, alreadySent: 1 }]);

    await waitForMail((m) => m.to.includes(sponsor.email));
    await new Promise((r) => setTimeout(r, 500));
    const mine = (await receivedMail()).filter((m) => m.to.includes(sponsor.email));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.subject).toBe(`Case ${reference} has been opened`);
  });

  it('sends a different event of the same case', async () => {
    const sponsor = await createSponsorGroup(sql, 'nl');
    const { caseId } = await createCaseRow(sql, sponsor);
    const { notifyCase } = createNotifyActivities(testActivityDeps(sql));
    const env = new MockActivityEnvironment();
    const opened: NotifyCaseInput = { caseId, event: 'case-opened', eventKey: `${caseId}:opened` };
    const reminded: NotifyCaseInput = { caseId, event: 'referral-reminder', eventKey: `${caseId}:reminder:1` };
    await env.run(notifyCase, opened);
    await env.run(notifyCase, reminded);
    const mine = await waitForMail((m) => m.to.includes(sponsor.email), { count: 2 });
    expect(mine.map((m) => m.subject).sort()).toEqual(expect.arrayContaining([expect.stringContaining('Herinnering')]));
  });
});
