// Programmes through the API: built-in or own template (validated at creation), quota, MoU start.
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import type { Sql } from '../../infra/db.js';
import { createMailer } from '../../infra/mailer.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';
import { PUBLIC_URL, startTestWorker, testClient, testDb, uniqueTaskQueue, type TestWorker } from '../support/stack.js';

describe('POST /v1/programmes', () => {
  let sql: Sql;
  let connection: Connection;
  let worker: TestWorker;
  let app: ReturnType<typeof createApp>;
  let coordinator: Member;
  let ministry: Member;

  beforeAll(async () => {
    sql = testDb();
    const taskQueue = uniqueTaskQueue('programmes-api');
    connection = await Connection.connect({ address: inject('temporalAddress') });
    worker = await startTestWorker({ sql, taskQueue });
    app = createApp({ temporal: testClient(connection), temporalConnection: connection, sql, mailer: createMailer(inject('smtpUrl')), config: { publicUrl: PUBLIC_URL }, taskQueue });
    coordinator = await createOrganisation(sql, 'coordinator');
    ministry = await createOrganisation(sql, 'national_agency', 'en', 'ministry');
  });
  afterAll(async () => {
    await worker?.stop();
    await connection?.close();
    await sql?.end();
  });

  const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const base = () => ({ name: 'Education pathway NL 2027', quota: 5, coordinatorOrganisationId: coordinator.organisationId, mouSignatories: [coordinator.organisationId, ministry.organisationId] });

  it('creates a draft programme on a built-in pathway and reads its live state', async () => {
    const created = await post('/v1/programmes', { ...base(), pathway: 'education-pathway' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await expect
      .poll(async () => ((await (await app.request(`/v1/programmes/${id}`)).json()) as { state: unknown }).state)
      .toMatchObject({ status: 'draft', pathwayId: 'education-pathway', quota: { total: 5, free: 5 }, mou: { version: 0 } });
    const [row] = await sql`SELECT status, template->>'id' AS template FROM programmes WHERE id = ${id}`;
    expect(row).toMatchObject({ status: 'draft', template: 'education-pathway' });
  });

  it("accepts a programme's own template and refuses an invalid one, naming the problem", async () => {
    const own = { ...builtInTemplates['resettlement']!, id: 'resettlement-fast-track', name: 'Resettlement fast track' };
    expect((await post('/v1/programmes', { ...base(), pathway: own })).status).toBe(201);

    const broken = { ...own, stages: [{ ...own.stages[0]!, gates: [{ ...own.stages[0]!.gates[0]!, actor: 'nobody' }] }] };
    const refused = await post('/v1/programmes', { ...base(), pathway: broken });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { errors: { field: string; message: string }[] };
    expect(body.errors).toContainEqual({ field: 'pathway.stages.0.gates.0', message: '"nobody" is not one of the pathway\'s parties' });
  });

  it('refuses a coordinator that is not a coordinator organisation, and an unknown pathway', async () => {
    const wrong = await post('/v1/programmes', { ...base(), pathway: 'resettlement', coordinatorOrganisationId: ministry.organisationId });
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('coordinatorOrganisationId');
    const unknown = await post('/v1/programmes', { ...base(), pathway: 'teleportation' });
    expect(((await unknown.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('pathway');
  });

  it("opens a programme's case with the programme's template and coordinator", async () => {
    const created = await post('/v1/programmes', { ...base(), pathway: 'community-sponsorship' });
    const { id: programmeId } = (await created.json()) as { id: string };
    const { parties } = await createParties(sql, builtInTemplates['community-sponsorship']!);
    const withoutCoordinator = Object.fromEntries(Object.entries(parties).filter(([slot]) => slot !== 'coordinator'));
    const response = await post('/v1/cases', { reference: 'P-1', programmeId, parties: withoutCoordinator, household: { principalName: 'P' } });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const [row] = await sql`SELECT programme_id, pathway_id FROM cases WHERE id = ${id}`;
    expect(row).toMatchObject({ programme_id: programmeId, pathway_id: 'community-sponsorship' });
    await expect.poll(async () => ((await (await app.request(`/v1/cases/${id}`)).json()) as { state: { parties?: Record<string, string> } | null }).state?.parties?.coordinator).toBe(coordinator.organisationId);

    const other = await post('/v1/cases', { reference: 'P-2', programmeId, parties, household: { principalName: 'P' } });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('parties.coordinator');
  });
});
