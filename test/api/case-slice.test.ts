// The thin vertical slice: HTTP → PostgreSQL → workflow `case:<id>` → email over SMTP → state back.
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { serveApi } from '../../api/server.js';
import type { Sql } from '../../infra/db.js';
import { createMailer } from '../../infra/mailer.js';
import { createSponsorGroup, type SponsorGroup } from '../support/fixtures.js';
import { waitForMail } from '../support/mail.js';
import { PUBLIC_URL, startTestWorker, testDb, uniqueTaskQueue, type TestWorker } from '../support/stack.js';

describe('creating a case through the API', () => {
  let sql: Sql;
  let connection: Connection;
  let worker: TestWorker;
  let api: { url: string; close(): Promise<void> };
  let sponsor: SponsorGroup;

  beforeAll(async () => {
    sql = testDb();
    const taskQueue = uniqueTaskQueue('slice');
    connection = await Connection.connect({ address: inject('temporalAddress') });
    worker = await startTestWorker({ sql, taskQueue });
    const app = createApp({
      temporal: new Client({ connection }),
      temporalConnection: connection,
      sql,
      mailer: createMailer(inject('smtpUrl')),
      config: { publicUrl: PUBLIC_URL },
      taskQueue,
    });
    api = await serveApi(app, '127.0.0.1', 0);
    sponsor = await createSponsorGroup(sql, 'nl');
  });

  afterAll(async () => {
    await api?.close();
    await worker?.stop();
    await connection?.close();
    await sql?.end();
  });

  it('stores the case, starts its workflow, emails the sponsor group and reads state from the workflow', async () => {
    const response = await fetch(`${api.url}/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        reference: 'SLICE-1',
        sponsorOrganisationId: sponsor.organisationId,
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
    const handle = new Client({ connection }).workflow.getHandle(created.workflowId);
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    const history = JSON.stringify(await handle.fetchHistory());
    expect(history).not.toContain('Principal Person');

    // SMTP: one message to the sponsor, in their language, with a link to the case.
    const [mail] = await waitForMail((m) => m.to.includes(sponsor.email));
    expect(mail!.subject).toBe('Casus SLICE-1 is geopend');
    expect(mail!.text).toContain(`${PUBLIC_URL}/cases/${created.id}`);
    expect(mail!.html).toContain(`href="${PUBLIC_URL}/cases/${created.id}"`);

    // Reading the case returns the workflow's state, and the projection has caught up.
    const read = await fetch(`${api.url}/v1/cases/${created.id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id: created.id, reference: 'SLICE-1', state: { stage: 'referral', status: 'open', remindersSent: 0 } });
    const [projection] = await sql`SELECT status, stage, state_version FROM cases WHERE id = ${created.id}`;
    expect(projection).toMatchObject({ status: 'open', stage: 'referral' });
  });

  it('refuses invalid input with a problem naming the fields, and creates nothing', async () => {
    const before = await sql`SELECT count(*)::int AS n FROM cases`;
    const response = await fetch(`${api.url}/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: '', sponsorOrganisationId: 'not-a-uuid', household: {} }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = (await response.json()) as { errors: { field: string }[] };
    expect(body.errors.map((e) => e.field).sort()).toEqual(['household.principalName', 'reference', 'sponsorOrganisationId']);
    const after = await sql`SELECT count(*)::int AS n FROM cases`;
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('refuses a sponsor organisation that does not exist', async () => {
    const response = await fetch(`${api.url}/v1/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reference: 'X', sponsorOrganisationId: '00000000-0000-4000-8000-000000000000', household: { principalName: 'P' } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('sponsorOrganisationId');
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
