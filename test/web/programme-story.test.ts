// A programme's page tells its story like a case's: the MoU's change requests (who, which
// version, what they asked) and its timeline in plain words, in English and Dutch.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createParties, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

describe('a programme page that reads as a story', () => {
  const h = useApi('web-programme-story');
  let m: Record<string, Member>;
  let programmeId: string;
  let sponsorName: string;

  beforeAll(async () => {
    ({ members: m } = await createParties(h.sql, template));
    sponsorName = (await h.sql<{ name: string }[]>`SELECT name FROM organisations WHERE id = ${m.sponsor!.organisationId}`)[0]!.name;
    const created = await h.call(m.coordinator!, 'POST', '/v1/programmes', { name: 'Story programme', pathway: 'community-sponsorship', quota: 4, coordinatorOrganisationId: m.coordinator!.organisationId, mouSignatories: [m.coordinator!.organisationId, m.sponsor!.organisationId] });
    expect(created.status).toBe(201);
    programmeId = ((await created.json()) as { id: string }).id;
    expect((await h.call(m.coordinator!, 'POST', `/v1/programmes/${programmeId}/agreement/publish`, { title: 'MoU', text: 'Four places.' })).status).toBe(200);
    expect((await h.call(m.sponsor!, 'POST', `/v1/programmes/${programmeId}/agreement/request-changes`, { comment: 'Six places, please.' })).status).toBe(200);
    expect((await h.call(m.coordinator!, 'POST', `/v1/programmes/${programmeId}/agreement/sign`, { version: 1 })).status).toBe(200);
  });

  it('shows who asked which change, and the timeline in plain words', async () => {
    const coordinator = new Visitor(h.app);
    await signedIn(coordinator, m.coordinator!);
    const read = async () => textOf(await coordinator.get(`/programmes/${programmeId}`));
    await expect.poll(read, { timeout: 10_000 }).toContain('asked for changes to the MoU.');
    const text = await read();
    expect(text).toContain('Change requests to the MoU');
    expect(text).toContain(`${sponsorName} (version 1,`);
    expect(text).toContain('Six places, please.');
    expect(text).toMatch(/published version 1 of the MoU\./);
    expect(text).toMatch(/signed version 1 of the MoU\./);
    expect(text, 'no case words on a programme').not.toContain('the case waits');

    await coordinator.get(`/language/nl?back=%2Fprogrammes%2F${programmeId}`);
    const nl = await read();
    expect(nl).toContain('Gevraagde wijzigingen in de MoU');
    expect(nl).toContain('vraagt om wijzigingen in de MoU.');
    expect(nl).toContain('heeft versie 1 van de MoU getekend.');
  });
});
