// The thin vertical slice: HTTP → PostgreSQL → workflow `case:<id>` → email over SMTP → state back.
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { serveApi } from '../../api/server.js';
import type { Sql } from '../../infra/db.js';
import { createMailer } from '../../infra/mailer.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { createParties, type Member } from '../support/fixtures.js';
import { waitForMail } from '../support/mail.js';
import { PUBLIC_URL, startTestWorker, testDb, uniqueTaskQueue, type TestWorker, testClient } from '../support/stack.js';

describe('creating a case through the API', () => {
  let sql: Sql;
  let connection: Connection;
  let worker: TestWorker;
  let api: { url: string; close(): Promise<void> };
  let parties: Record<string, string>;
  let coordinator: Member;

  beforeAll(async () => {
    sql = testDb();
    const taskQueue = uniqueTaskQueue('slice');
    connection = await Connection.connect({ address: inject('temporalAddress') });
    worker = await startTestWorker({ sql, taskQueue });
    const app = createApp({
      temporal: testClient(connection),
      temporalConnection: connection,
      sql,
      mailer: createMailer(inject('smtpUrl')),
      config: { publicUrl: PUBLIC_URL },
      taskQueue,
    });
    api = await serveApi(app, '127.0.0.1', 0);
    const created = await createParties(sql, builtInTemplates['community-sponsorship']!, 'nl');
    parties = created.parties;
    coordinator = created.members.coordinator!;
  });

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await connection?.close();
    await sql?.end();
  });

  it('stores the case, starts its workflow, emails the party it waits on and reads state from the workflow', async () => {
    const response = await fetch(`${api.url}/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reference: 'SLICE-1',
        pathwayId: 'community-sponsorship',
        parties,
        household: { principalName: 'Principal Person', members: [{ name: 'Child', birthYear: 2016 }], needs: ['wheelchair'] },
      }),
    });
    expect(response.status).toBe(201);
    const created = (await response.json()) as { id: string; workflowId: string };
    expect(created.workflowId).toBe(`case:${created.id}`);
    expect(response.headers.get('location')).toBe(`/v1/cases/${created.id}`);

    // PostgreSQL: the case and, kept apart from Temporal, the household's personal data.
    const [household] = await sql`SELECT principal_name, needs FROM case_households WHERE case_id = ${created.id}`;
    expect(household).toMatchObject({ principal_name: 'Principal Person', needs: ['wheelchair'] });

    // Temporal: the workflow runs under the business id, and its input carries no personal data.
    const handle = testClient(connection).workflow.getHandle(created.workflowId);
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    const history = await handle.fetchHistory();
    const input = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!;
    expect(Buffer.from(input.metadata!.encoding!).toString()).toBe('binary/encrypted');
    // Temporal stores ciphertext only: not even the case reference is readable there.
    const raw = JSON.stringify(history);
    expect(raw).not.toContain('Principal Person');
    expect(raw).not.toContain('SLICE-1');

    // SMTP: the coordinator is asked for the eligibility decision, in their language, with a link.
    const [mail] = await waitForMail((m) => m.to.includes(coordinator.email));
    expect(mail!.subject).toBe('Actie nodig: Eligibility decision — casus SLICE-1');
    expect(mail!.text).toContain(`${PUBLIC_URL}/cases/${created.id}`);
    expect(mail!.html).toContain(`href="${PUBLIC_URL}/cases/${created.id}"`);

    // Reading the case returns the workflow's state, and the projection has caught up.
    const read = await fetch(`${api.url}/v1/cases/${created.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      id: created.id,
      reference: 'SLICE-1',
      state: { status: 'active', stage: { id: 'eligibility' }, waitingOn: [parties.coordinator], stuck: false },
    });
    const [projection] = await sql`SELECT status, stage, waiting_on FROM cases WHERE id = ${created.id}`;
    expect(projection).toMatchObject({ status: 'active', stage: 'eligibility', waiting_on: [parties.coordinator] });
  });

  it('refuses invalid input with a problem naming the fields, and creates nothing', async () => {
    const before = await sql`SELECT count(*)::int AS n FROM cases`;
    const response = await fetch(`${api.url}/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: '', parties: { sponsor: 'not-a-uuid' }, household: {} }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field).sort()).toEqual(['household.principalName', 'parties.sponsor', 'reference']);
    const after = await sql`SELECT count(*)::int AS n FROM cases`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('refuses parties that do not fit the pathway', async () => {
    const post = (body: object) =>
      fetch(`${api.url}/v1/cases`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reference: 'X', household: { principalName: 'P' }, ...body }) });
    const fields = async (r: Response) => ((await r.json()) as { errors: { field: string }[] }).errors.map((e) => e.field);

    const missing = await post({ pathwayId: 'community-sponsorship', parties: { coordinator: parties.coordinator } });
    expect(missing.status).toBe(400);
    expect(await fields(missing)).toEqual(['parties']);

    const wrongKind = await post({ pathwayId: 'community-sponsorship', parties: { ...parties, municipality: parties.sponsor } });
    expect(await fields(wrongKind)).toEqual(['parties.municipality']);

    const noPathway = await post({ pathwayId: 'no-such-pathway', parties });
    expect(await fields(noPathway)).toEqual(['pathwayId']);
  });

  it('answers 404 as a problem for an unknown case', async () => {
    const response = await fetch(`${api.url}/v1/cases/00000000-0000-4000-8000-000000000000`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('reports health of every part', async () => {
    const response = await fetch(`${api.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', temporal: 'up', postgres: 'up', smtp: 'up' });
  });
});
