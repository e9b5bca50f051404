// The vertical slice over real HTTP: PostgreSQL → workflow `case:<id>` → email over SMTP → state back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../usecases/tokens.js';
import { listen } from '../../server/listen.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createParties, type Member } from '../support/fixtures.js';
import { waitForMail } from '../support/mail.js';
import { PUBLIC_URL } from '../support/stack.js';

describe('creating a case through the API', () => {
  const h = useApi('slice');
  let server: { url: string; close(): Promise<void> };
  let parties: Record<string, string>;
  let coordinator: Member;
  let sponsorToken: string;

  beforeAll(async () => {
    server = await listen(h.app, '127.0.0.1', 0);
    const created = await createParties(h.sql, builtInTemplates['community-sponsorship']!, 'nl');
    parties = created.parties;
    coordinator = created.members.coordinator!;
    sponsorToken = (await issueToken(h.sql, created.members.sponsor!.personId)).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  const post = (body: unknown) =>
    fetch(`${server.url}/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${sponsorToken}` }, body: JSON.stringify(body) });

  it('stores the case, starts its workflow, emails the party it waits on and reads state from the workflow', async () => {
    const response = await post({
      reference: 'SLICE-1',
      pathwayId: 'community-sponsorship',
      parties,
      household: { principalName: 'Principal Person', members: [{ name: 'Child', birthYear: 2016 }], needs: ['wheelchair'] },
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; workflowId: string };
    expect(created.workflowId).toBe(`case:${created.id}`);
    expect(response.headers.get('location')).toBe(`/v1/cases/${created.id}`);

    // PostgreSQL: the case and, kept apart from Temporal, the household's personal data.
    const [household] = await h.sql`SELECT principal_name, needs FROM case_households WHERE case_id = ${created.id}`;
    expect(household).toMatchObject({ principal_name: 'Principal Person', needs: ['wheelchair'] });

    // Temporal: the workflow runs under the business id, and its history holds ciphertext only.
    const handle = h.client.workflow.getHandle(created.workflowId);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    const history = await handle.fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const raw = JSON.stringify(history);
    expect(raw).not.toContain('Principal Person');
    expect(raw).not.toContain('SLICE-1');

    // SMTP: the coordinator is asked for the eligibility decision, in their language, with a link.
    const [mail] = await waitForMail((m) => m.to.includes(coordinator.email));
    expect(mail!.subject).toBe('Actie nodig: Besluit over geschiktheid — casus SLICE-1');
    expect(mail!.text).toContain(`${PUBLIC_URL}/cases/${created.id}`);
    expect(mail!.html).toContain(`href="${PUBLIC_URL}/cases/${created.id}"`);

    // Reading the case returns the workflow's state, and the projection has caught up.
    const read = await fetch(`${server.url}/v1/cases/${created.id}`, { headers: { authorization: `Bearer ${sponsorToken}` } });
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      id: created.id,
      reference: 'SLICE-1',
      state: { status: 'active', stage: { id: 'eligibility' }, waitingOn: [parties.coordinator], stuck: false },
    });
    await expect.poll(async () => (await h.sql`SELECT status, stage, waiting_on FROM cases WHERE id = ${created.id}`)[0]).toMatchObject({ status: 'active', stage: 'eligibility', waiting_on: [parties.coordinator] });
  });

  it('refuses invalid input with a problem naming the fields, and creates nothing', async () => {
    const before = await h.sql`SELECT count(*)::int AS n FROM cases`;
    const response = await post({ reference: '', parties: { sponsor: 'not-a-uuid' }, household: {} });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field).sort()).toEqual(['household.principalName', 'parties.sponsor', 'reference']);
    const after = await h.sql`SELECT count(*)::int AS n FROM cases`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('refuses parties that do not fit the pathway', async () => {
    const fields = async (r: Response) => ((await r.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);
    const base = { reference: 'X', household: { principalName: 'P' } };
    const missing = await post({ ...base, pathwayId: 'community-sponsorship', parties: { coordinator: parties.coordinator, sponsor: parties.sponsor } });
    expect(missing.status).toBe(400);
    expect(await fields(missing)).toEqual(['parties']);
    expect(await fields(await post({ ...base, pathwayId: 'community-sponsorship', parties: { ...parties, municipality: parties.sponsor } }))).toEqual(['parties.municipality']);
    expect(await fields(await post({ ...base, pathwayId: 'no-such-pathway', parties }))).toEqual(['pathwayId']);
  });

  it('answers 404 as a problem for an unknown case, and /health without a token', async () => {
    const response = await fetch(`${server.url}/v1/cases/00000000-0000-4000-8000-000000000000`, { headers: { authorization: `Bearer ${sponsorToken}` } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', temporal: 'up', postgres: 'up', migrations: 'applied', smtp: 'up' });
  });
});
