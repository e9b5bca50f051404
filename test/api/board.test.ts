// The stuck board's technically failing steps (a mail server that is down, a programme that cannot
// be reached), over HTTP and on the coordinator's page, and programme actions over HTTP.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { createMailer } from '../../infra/mailer.js';
import { startMailDispatcher, type RunningDispatcher } from '../../notifications/dispatcher.js';
import { createTemporalClient } from '../../infra/temporal.js';
import { useApi } from '../support/api.js';
import { createdOrganisations, createParties } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';
import { PUBLIC_URL, TEST_MAIL_FROM, startTestWorker, testDataConverter, uniqueTaskQueue, type TestWorker } from '../support/stack.js';
import { issueToken } from '../../usecases/tokens.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

describe('the stuck board and programme actions', () => {
  const h = useApi('board');
  let brokenWorker: TestWorker;
  let deadDispatcher: RunningDispatcher;
  const brokenQueue = uniqueTaskQueue('broken-link');
  /** Organisations whose mail goes only to a mail server that is down. */
  const unlucky = new Set<string>();

  beforeAll(async () => {
    // A worker whose activities cannot reach Temporal: a case's message to its programme keeps failing.
    const { client: nowhere } = createTemporalClient(`127.0.0.1:${await freePort()}`, 'default', testDataConverter());
    brokenWorker = await startTestWorker({ sql: h.sql, taskQueue: brokenQueue, client: nowhere });
    deadDispatcher = startMailDispatcher({ sql: h.sql, mailer: createMailer(`smtp://127.0.0.1:${await freePort()}`), mailFrom: TEST_MAIL_FROM, publicUrl: PUBLIC_URL, pollMs: 200, onlyOrganisations: () => [...unlucky], log: () => {} });
  });
  afterAll(async () => {
    await deadDispatcher?.stop();
    await brokenWorker?.stop();
  });

  type Board = { failing: { reference: string; step: string; attempt: number; lastFailure: string | null }[]; system: { temporal: string; workers: number | null } };

  it('shows steps that keep failing — an email that does not go through, a message that cannot reach its programme — with attempts and the last failure', async () => {
    const brokenApp = createApp({ temporal: h.client, temporalConnection: h.connection, sql: h.sql, mailer: createMailer(inject('smtpUrl')), config: { publicUrl: PUBLIC_URL, mailFrom: TEST_MAIL_FROM }, taskQueue: brokenQueue });
    const { parties, members } = await createParties(h.sql, builtInTemplates['community-sponsorship']!);
    // Their mail goes to the dead mail server only (not to this file's working dispatcher).
    for (const org of Object.values(parties)) {
      createdOrganisations.delete(org);
      unlucky.add(org);
    }
    const { token } = await issueToken(h.sql, members.coordinator!.personId);
    const auth = { authorization: `Bearer ${token}` };
    const programme = await h.call(members.coordinator!, 'POST', '/v1/programmes', { name: 'Unreachable', pathway: 'community-sponsorship', quota: 2, coordinatorOrganisationId: parties.coordinator, mouSignatories: [parties.coordinator] });
    const { id: programmeId } = (await programme.json()) as { id: string };
    const created = await brokenApp.request('/v1/cases', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'LINK-DOWN', programmeId, parties, household: { principalName: 'P' } }) });
    expect(created.status).toBe(201);
    const board = async () => (await (await brokenApp.request('/v1/stuck', { headers: auth })).json()) as Board;
    const step = async (name: string) => (await board()).failing.find((f) => f.reference === 'LINK-DOWN' && f.step === name);
    await expect.poll(async () => (await step('tellProgramme'))?.attempt ?? 0, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect((await step('tellProgramme'))!.lastFailure).toMatch(/connect|unavailable|transport|deadline/i);
    await expect.poll(async () => (await step('email: action-required'))?.attempt ?? 0, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    expect((await step('email: action-required'))!.lastFailure).toMatch(/ECONNREFUSED/);
    // The case still moved on to its first step: email and the programme link are off its path.
    const [row] = await h.sql`SELECT stage FROM cases WHERE reference = 'LINK-DOWN'`;
    expect(row!.stage).toBe('eligibility');
    expect((await board()).system).toEqual({ temporal: 'up', workers: expect.any(Number) });

    // The coordinator's board page lists both under technical failures, in words.
    const coordinator = new Visitor(brokenApp);
    await signedIn(coordinator, members.coordinator!);
    const page = await textOf(await coordinator.get('/board'));
    const failures = page.slice(page.indexOf('Technical failures'));
    expect(failures).toContain('Steps that keep failing on our side');
    expect(failures).toMatch(/LINK-DOWN tellProgramme \d+/);
    expect(failures).toMatch(/LINK-DOWN email: action-required \d+ .*ECONNREFUSED/);
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
    const paused = await post(coordinator, '/pause', { reason: 'elections' });
    expect(paused.body).toMatchObject({ status: 'paused', paused: { reasonRef: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
    // The reason stays in PostgreSQL; the programme's state refers to it.
    expect((await h.sql`SELECT body FROM texts WHERE id = ${paused.body.paused.reasonRef}`)[0]!.body).toBe('elections');
    const read = (await (await h.call(members.immigration!, 'GET', `/v1/programmes/${id}`)).json()) as { state: { mou: { changeRequests: { commentRef: string }[] } }; texts: Record<string, string> };
    expect(read.texts[paused.body.paused.reasonRef]).toBe('elections');
    expect(read.texts[read.state.mou.changeRequests[0]!.commentRef]).toBe('add the budget');
    expect((await post(coordinator, '/resume', {})).body.status).toBe('active');
    expect((await post(coordinator, '/quota', { quota: 7 })).body.quota).toMatchObject({ total: 7, free: 7 });
    expect((await post(coordinator, '/quota', { quota: 1.5 })).status).toBe(400);
    expect((await post(coordinator, '/close', { reason: 'programme ended' })).body.status).toBe('closed');
    expect((await post(coordinator, '/resume', {})).body).toMatchObject({ status: 409, detail: 'the programme is closed' });
  });
});
