// Exactly once, or honestly unknown, over HTTP: Idempotency-Key on creation and on actions, and
// what a caller is told when no worker answers in time (real worker, PostgreSQL, Temporal).
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { createMailer } from '../../infra/mailer.js';
import { useApi } from '../support/api.js';
import { createParties } from '../support/fixtures.js';
import { PUBLIC_URL, startTestWorker, TEST_MAIL_FROM, uniqueTaskQueue } from '../support/stack.js';
import { inject } from 'vitest';

const template = builtInTemplates['community-sponsorship']!;

describe('Idempotency-Key and honest answers', () => {
  const h = useApi('idempotency');

  async function openCase(key?: string) {
    const { parties, members } = await createParties(h.sql, template);
    const body = { reference: `IDEM-${Math.random().toString(36).slice(2, 8)}`, pathwayId: template.id, parties, household: { principalName: 'P' } };
    const r = await h.call(members.coordinator!, 'POST', '/v1/cases', body, key ? { 'idempotency-key': key } : {});
    expect(r.status).toBe(201);
    return { id: ((await r.json()) as { id: string }).id, members, parties, body };
  }

  it('four concurrent creations with one key make one case, and all four get the same 201 answer', async () => {
    const { parties, members } = await createParties(h.sql, template);
    const body = { reference: 'IDEM-CONCURRENT', pathwayId: template.id, parties, household: { principalName: 'P' } };
    const answers = await Promise.all(Array.from({ length: 4 }, () => h.call(members.coordinator!, 'POST', '/v1/cases', body, { 'idempotency-key': 'one-referral' })));
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect((await h.sql`SELECT count(*)::int AS n FROM cases WHERE reference = 'IDEM-CONCURRENT'`)[0]!.n).toBe(1);
    // The same key for another request is refused, not mistaken for it.
    const other = await h.call(members.coordinator!, 'POST', '/v1/cases', { ...body, reference: 'IDEM-OTHER' }, { 'idempotency-key': 'one-referral' });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ title: 'Idempotency-Key reused' });
  });

  it('a retried "ask for more information" is applied once, and answered the same', async () => {
    const { id, members } = await openCase();
    const path = `/v1/cases/${id}/gates/eligibility/decision`;
    const body = { outcome: 'request_info', reason: 'please send the UNHCR registration' };
    const first = await h.call(members.coordinator!, 'POST', path, body, { 'idempotency-key': 'info-1' });
    const again = await h.call(members.coordinator!, 'POST', path, body, { 'idempotency-key': 'info-1' });
    expect(first.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    const state = (await (await h.call(members.coordinator!, 'GET', `/v1/cases/${id}`)).json()) as { state: { gates: { detail: { infoRequests: number; lastInfoRequest: { reasonRef: string } } }[] }; texts: Record<string, string> };
    expect(state.state.gates[0]!.detail.infoRequests).toBe(1);
    // The question itself is not in the workflow's state, but the answer carries it by its id.
    expect(state.texts[state.state.gates[0]!.detail.lastInfoRequest.reasonRef]).toBe('please send the UNHCR registration');
    await expect.poll(async () => (await h.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${id} AND kind = 'information_requested'`)[0]!.n).toBe(1);
    // The reason is kept once, in PostgreSQL.
    expect((await h.sql`SELECT count(*)::int AS n FROM texts WHERE case_id = ${id}`)[0]!.n).toBe(1);
  });

  it('a retried "publish agreement" does not void the signatures given meanwhile', async () => {
    const { id, members } = await openCase();
    const c = members.coordinator!;
    const gate = (g: string, a: string) => `/v1/cases/${id}/gates/${g}/${a}`;
    await h.call(c, 'POST', gate('eligibility', 'decision'), { outcome: 'approve' });
    await h.call(c, 'POST', gate('sponsor-plan', 'decision'), { outcome: 'approve' });
    await h.call(members.municipality!, 'POST', gate('municipal-consent', 'decision'), { outcome: 'approve' });
    const offered = (await (await h.call(members.municipality!, 'POST', gate('housing', 'offer'), { address: 'Oudegracht 1', rooms: 2, accessible: false, availableFrom: '2027-01-01', validUntil: new Date(Date.now() + 86_400_000).toISOString() })).json()) as {
      gates: { detail: { offers: { offerId: string }[] } }[];
    };
    await h.call(members.sponsor!, 'POST', gate('housing', 'accept'), { offerId: offered.gates[0]!.detail.offers[0]!.offerId });
    const publish = { title: 'Sponsorship agreement', text: 'v1' };
    expect((await h.call(c, 'POST', gate('sponsorship-agreement', 'publish'), publish, { 'idempotency-key': 'publish-v1' })).status).toBe(200);
    await h.call(members.sponsor!, 'POST', gate('sponsorship-agreement', 'sign'), { version: 1 });
    const retried = await h.call(c, 'POST', gate('sponsorship-agreement', 'publish'), publish, { 'idempotency-key': 'publish-v1' });
    expect(retried.status).toBe(200);
    const now = (await (await h.call(c, 'GET', `/v1/cases/${id}`)).json()) as { state: { gates: { detail: { version: number; unsigned: string[] } }[] } };
    expect(now.state.gates[0]!.detail.version).toBe(1);
    expect(now.state.gates[0]!.detail.unsigned).not.toContain(members.sponsor!.organisationId);
  });

  it('a refused action answers 409 with the reason, keeps nothing it wrote, and answers the same again', async () => {
    const { id, members } = await openCase();
    const path = `/v1/cases/${id}/hold`;
    await h.call(members.coordinator!, 'POST', path, { reason: 'first hold' });
    const refused = await h.call(members.coordinator!, 'POST', path, { reason: 'second hold' }, { 'idempotency-key': 'hold-2' });
    expect(refused.status).toBe(409);
    const problem = (await refused.json()) as { detail: string };
    expect(problem.detail).toMatch(/already on hold/);
    expect((await h.sql`SELECT body FROM texts WHERE case_id = ${id}`).map((r) => r.body)).toEqual(['first hold']);
    const again = await h.call(members.coordinator!, 'POST', path, { reason: 'second hold' }, { 'idempotency-key': 'hold-2' });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual(problem);
  });

  it('with no worker, an action answers 503 "retry with the same key" in seconds, keeps what was written, and applies once when retried', async () => {
    // A task queue no worker polls (yet).
    const queue = uniqueTaskQueue('no-worker');
    const app = createApp({ temporal: h.client, temporalConnection: h.connection, sql: h.sql, mailer: createMailer(inject('smtpUrl')), config: { publicUrl: PUBLIC_URL, mailFrom: TEST_MAIL_FROM }, taskQueue: queue });
    const { parties, members } = await createParties(h.sql, template);
    const token = async () => (await (await import('../../usecases/tokens.js')).issueToken(h.sql, members.coordinator!.personId)).token;
    const auth = { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' };
    const created = await app.request('/v1/cases', { method: 'POST', headers: { ...auth, 'idempotency-key': 'slow-case' }, body: JSON.stringify({ reference: 'NO-WORKER', pathwayId: template.id, parties, household: { principalName: 'P' } }) });
    expect(created.status).toBe(201); // the workflow is started; it waits for a worker
    const { id } = (await created.json()) as { id: string };
    const act = () => app.request(`/v1/cases/${id}/gates/eligibility/decision`, { method: 'POST', headers: { ...auth, 'idempotency-key': 'slow-approve' }, body: JSON.stringify({ outcome: 'request_info', reason: 'the household’s dates of birth' }) });
    const started = Date.now();
    const unknown = await act();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(unknown.status).toBe(503);
    expect(unknown.headers.get('retry-after')).toBe('5');
    expect(((await unknown.json()) as { detail: string }).detail).toMatch(/may still be applied.*same Idempotency-Key.*not be applied twice/);
    expect((await h.sql`SELECT count(*)::int AS n FROM texts WHERE case_id = ${id}`)[0]!.n).toBe(1);

    const worker = await startTestWorker({ sql: h.sql, taskQueue: queue, client: h.client });
    try {
      let answer = await act();
      for (let i = 0; answer.status === 503 && i < 30; i++) answer = await act();
      expect(answer.status).toBe(200);
      await expect.poll(async () => (await h.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${id} AND kind = 'information_requested'`)[0]!.n, { timeout: 20_000 }).toBe(1);
    } finally {
      await worker.stop();
    }
  });

  it('opens no case in a closed programme, nor in one whose workflow does not run', async () => {
    const { parties, members } = await createParties(h.sql, template);
    const c = members.coordinator!;
    const made = await h.call(c, 'POST', '/v1/programmes', { name: 'Closing', pathway: template.id, quota: 1, coordinatorOrganisationId: parties.coordinator, mouSignatories: [parties.coordinator] });
    const { id: programmeId } = (await made.json()) as { id: string };
    const close = await h.call(c, 'POST', `/v1/programmes/${programmeId}/close`, { reason: 'the pilot ended' });
    expect(close.status).toBe(200);
    const refused = await h.call(c, 'POST', '/v1/cases', { reference: 'LATE', programmeId, parties, household: { principalName: 'P' } });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ title: 'Programme closed' });

    // A programme row whose workflow is gone (terminated by an operator) takes no case either.
    const other = await h.call(c, 'POST', '/v1/programmes', { name: 'Terminated', pathway: template.id, quota: 1, coordinatorOrganisationId: parties.coordinator, mouSignatories: [parties.coordinator] });
    const { id: goneId, workflowId } = (await other.json()) as { id: string; workflowId: string };
    await h.client.workflow.getHandle(workflowId).terminate('test: an operator ended it');
    const refusedToo = await h.call(c, 'POST', '/v1/cases', { reference: 'NOWHERE', programmeId: goneId, parties, household: { principalName: 'P' } });
    expect(refusedToo.status).toBe(409);
    expect(await refusedToo.json()).toMatchObject({ title: 'Programme not running' });
    expect((await h.sql`SELECT count(*)::int AS n FROM cases WHERE reference IN ('LATE', 'NOWHERE')`)[0]!.n).toBe(0);
  });
});
