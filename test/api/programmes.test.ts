// Programmes through the API: built-in or own template (validated at creation), quota, MoU start.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';

describe('POST /v1/programmes', () => {
  const h = useApi('programmes-api');
  let coordinator: Member;
  let ministry: Member;

  beforeAll(async () => {
    coordinator = await createOrganisation(h.sql, 'coordinator');
    ministry = await createOrganisation(h.sql, 'national_agency', 'en', 'ministry');
  });

  const post = (path: string, body: unknown) => h.call(coordinator, 'POST', path, body);
  const get = (path: string) => h.call(coordinator, 'GET', path);
  const base = () => ({ name: 'Education pathway NL 2027', quota: 5, coordinatorOrganisationId: coordinator.organisationId, mouSignatories: [coordinator.organisationId, ministry.organisationId] });

  it('creates a draft programme on a built-in pathway and reads its live state', async () => {
    const created = await post('/v1/programmes', { ...base(), pathway: 'education-pathway' });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await expect
      .poll(async () => ((await (await get(`/v1/programmes/${id}`)).json()) as { state: unknown }).state)
      .toMatchObject({ status: 'draft', pathwayId: 'education-pathway', quota: { total: 5, free: 5 }, mou: { version: 0 } });
    const [row] = await h.sql`SELECT status, template->>'id' AS template FROM programmes WHERE id = ${id}`;
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

  it("refuses a programme for another organisation, one made by a non-coordinator, and an unknown pathway", async () => {
    const forOthers = await post('/v1/programmes', { ...base(), pathway: 'resettlement', coordinatorOrganisationId: ministry.organisationId });
    expect(forOthers.status).toBe(403);
    const byAgency = await h.call(ministry, 'POST', '/v1/programmes', { ...base(), pathway: 'resettlement' });
    expect(byAgency.status).toBe(403);
    const unknown = await post('/v1/programmes', { ...base(), pathway: 'teleportation' });
    expect(((await unknown.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('pathway');
  });

  it("opens a programme's case with the programme's template and coordinator", async () => {
    const created = await post('/v1/programmes', { ...base(), pathway: 'community-sponsorship' });
    const { id: programmeId } = (await created.json()) as { id: string };
    const { parties } = await createParties(h.sql, builtInTemplates['community-sponsorship']!);
    const withoutCoordinator = Object.fromEntries(Object.entries(parties).filter(([slot]) => slot !== 'coordinator'));
    const response = await post('/v1/cases', { reference: 'P-1', programmeId, parties: withoutCoordinator, household: { principalName: 'P' } });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    const [row] = await h.sql`SELECT programme_id, pathway_id FROM cases WHERE id = ${id}`;
    expect(row).toMatchObject({ programme_id: programmeId, pathway_id: 'community-sponsorship' });
    await expect.poll(async () => ((await (await get(`/v1/cases/${id}`)).json()) as { state: { parties?: Record<string, string> } | null }).state?.parties?.coordinator).toBe(coordinator.organisationId);

    const other = await post('/v1/cases', { reference: 'P-2', programmeId, parties, household: { principalName: 'P' } });
    expect(other.status).toBe(400);
    expect(((await other.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('parties.coordinator');
  });
});
