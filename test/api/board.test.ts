// The stuck board's technically failing steps (a mail server that is down), over HTTP and on the
// coordinator's page, and programme actions over HTTP: pause, resume, quota, close.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { createMailer } from '../../infra/mailer.js';
import { useApi } from '../support/api.js';
import { createParties } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';
import { PUBLIC_URL, TEST_MAIL_FROM, startTestWorker, testActivityDeps, uniqueTaskQueue, type TestWorker } from '../support/stack.js';
import { issueToken } from '../../api/auth.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

describe('the stuck board and programme actions', () => {
  const h = useApi('board');
  let brokenWorker: TestWorker;
  const brokenQueue = uniqueTaskQueue('broken-mail');

  beforeAll(async () => {
    // A worker whose mail server is down: its notification activity keeps failing and retrying.
    const deadMailer = createMailer(`smtp://127.0.0.1:${await freePort()}`);
    brokenWorker = await startTestWorker({ sql: h.sql, taskQueue: brokenQueue, activityDeps: { ...testActivityDeps(h.sql), mailer: deadMailer } });
  });
  afterAll(async () => {
    await brokenWorker?.stop();
  });

  it('shows a step that keeps failing, with its attempts and last failure', async () => {
    const brokenApp = createApp({ temporal: h.client, temporalConnection: h.connection, sql: h.sql, mailer: createMailer(inject('smtpUrl')), config: { publicUrl: PUBLIC_URL, mailFrom: TEST_MAIL_FROM }, taskQueue: brokenQueue });
    const { parties, members } = await createParties(h.sql, builtInTemplates['resettlement']!);
    const { token } = await issueToken(h.sql, members.coordinator!.personId);
    const auth = { authorization: `Bearer ${token}` };
    const created = await brokenApp.request('/v1/cases', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'MAIL-DOWN', pathwayId: 'resettlement', parties, household: { principalName: 'P' } }) });
    expect(created.status).toBe(201);
    const board = async () => (await (await brokenApp.request('/v1/stuck', { headers: auth })).json()) as { failing: { reference: string; activity: string; attempt: number; lastFailure: string | null }[] };
    await expect.poll(async () => (await board()).failing.find((f) => f.reference === 'MAIL-DOWN')?.attempt ?? 0, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    const failing = (await board()).failing.find((f) => f.reference === 'MAIL-DOWN')!;
    expect(failing.activity).toBe('notify');
    expect(failing.lastFailure).toMatch(/ECONNREFUSED|connect/i);

    // The coordinator's board page lists it under technical failures, in words.
    const coordinator = new Visitor(brokenApp);
    await signedIn(coordinator, members.coordinator!);
    const page = await textOf(await coordinator.get('/board'));
    const failures = page.slice(page.indexOf('Technical failures'));
    expect(failures).toContain('Steps that keep failing on our side');
    expect(failures).toMatch(/MAIL-DOWN notify \d+ .*(ECONNREFUSED|connect)/i);
  });

  it('pauses, resumes, changes the quota of and closes a programme over HTTP', async () => {
    const { parties, members } = await createParties(h.sql, builtInTemplates['resettlement']!);
    const coordinator = members.coordinator!;
    const created = await h.call(coordinator, 'POST', '/v1/programmes', { name: 'HTTP programme', pathway: 'resettlement', quota: 3, coordinatorOrganisationId: parties.coordinator, mouSignatories: [parties.coordinator, parties.immigration] });
    const { id } = (await created.json()) as { id: string };
    const post = async (who: typeof coordinator, path: string, body: unknown) => {
      const r = await h.call(who, 'POST', `/v1/programmes/${id}${path}`, body);
      return { status: r.status, body: (await r.json()) as Record<string, any> };
    };
    expect((await post(coordinator, '/pause', { reason: 'x' })).body.detail).toBe('only an active programme can be paused; it is draft');
    await post(coordinator, '/agreement/publish', { title: 'MoU', text: 'Terms v1' });
    await post(members.immigration!, '/agreement/request-changes', { comment: 'add the budget' });
    await post(coordinator, '/agreement/publish', { title: 'MoU', text: 'Terms v2' });
    await post(members.immigration!, '/agreement/sign', { version: 2 });
    expect((await post(coordinator, '/agreement/sign', { version: 2 })).body.status).toBe('active');
    expect((await post(coordinator, '/pause', { reason: 'elections' })).body).toMatchObject({ status: 'paused', paused: { reason: 'elections' } });
    expect((await post(coordinator, '/resume', {})).body.status).toBe('active');
    expect((await post(coordinator, '/quota', { quota: 7 })).body.quota).toMatchObject({ total: 7, free: 7 });
    expect((await post(coordinator, '/quota', { quota: 1.5 })).status).toBe(400);
    expect((await post(coordinator, '/close', { reason: 'programme ended' })).body.status).toBe('closed');
    expect((await post(coordinator, '/resume', {})).body).toMatchObject({ status: 409, detail: 'the programme is closed' });
  });
});
