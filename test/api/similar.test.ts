// The duplicate warning through the API: cases of the caller's own organisation with the same or a
// near reference, or the same principal; never the stored name, and nothing for other organisations.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';

const sponsorship = builtInTemplates['community-sponsorship']!;

describe('POST /v1/cases/similar', () => {
  const h = useApi('similar-cases');
  let m: Record<string, Member>;
  let caseId: string;
  const reference = `SIM-${Date.now().toString(36).toUpperCase()}-42`;
  const similar = async (who: Member, body: unknown) => {
    const response = await h.call(who, 'POST', '/v1/cases/similar', body);
    return { status: response.status, body: (await response.json()) as { items: { id: string; reference: string; matches: string[] }[] } };
  };

  beforeAll(async () => {
    const { members, parties } = await createParties(h.sql, sponsorship);
    m = members;
    const response = await h.call(m.coordinator, 'POST', '/v1/cases', { reference, pathwayId: sponsorship.id, parties, household: { principalName: 'Amal  Haddad' } });
    expect(response.status).toBe(201);
    caseId = ((await response.json()) as { id: string }).id;
  });

  it('finds the same reference written differently, and the same principal, and says which matched', async () => {
    const written = reference.toLowerCase().replace(/-/g, ' ');
    expect((await similar(m.coordinator!, { reference: written })).body.items).toEqual([{ id: caseId, reference, matches: ['reference'] }]);
    expect((await similar(m.sponsor!, { principalName: 'amal haddad' })).body.items).toEqual([{ id: caseId, reference, matches: ['principalName'] }]);
    const both = await similar(m.coordinator!, { reference, principalName: 'AMAL HADDAD' });
    expect(both.body.items).toEqual([{ id: caseId, reference, matches: ['reference', 'principalName'] }]);
    expect(JSON.stringify(both.body)).not.toContain('Haddad');
    expect((await similar(m.coordinator!, { reference: 'NOTHING-LIKE-IT' })).body.items).toEqual([]);
  });

  it('answers nothing to organisations that do not open cases or do not take part, and 400 to bad input', async () => {
    expect((await similar(m.municipality!, { reference })).body.items).toEqual([]);
    const stranger = await createOrganisation(h.sql, 'coordinator');
    expect((await similar(stranger, { reference, principalName: 'Amal Haddad' })).body.items).toEqual([]);
    expect((await similar(m.coordinator!, { reference: 'x'.repeat(65) })).status).toBe(400);
    expect((await h.call(m.coordinator, 'POST', '/v1/cases/similar', 'reference=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
  });
});
