// Opening a case from the pages: the form, its errors, the duplicate warning, who may open where.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createParties, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

describe('opening a case from the pages', () => {
  const h = useApi('web-new-case');
  let m: Record<string, Member>;
  let other: Record<string, Member>;
  const visitors: Record<string, Visitor> = {};
  const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

  /** The form's fields for `parties` (slot → organisation), with a fresh household. */
  const formFor = (parties: Record<string, Member>, fields: Record<string, string>) => ({
    ...Object.fromEntries(Object.entries(parties).map(([slot, x]) => [`party-${slot}`, x.organisationId])),
    ...fields,
  });
  const keyOf = (html: string) => /action="\/cases\/new"[\s\S]*?name="_key" value="([^"]+)"/.exec(html)?.[1];
  const casesWith = async (reference: string) => (await h.sql<{ id: string }[]>`SELECT id FROM cases WHERE reference = ${reference}`).map((r) => r.id);

  beforeAll(async () => {
    ({ members: m } = await createParties(h.sql, template));
    ({ members: other } = await createParties(h.sql, template));
    for (const [name, who] of [['sponsor', m.sponsor], ['coordinator', m.coordinator], ['municipality', m.municipality], ['otherSponsor', other.sponsor]] as const) {
      visitors[name] = new Visitor(h.app);
      await signedIn(visitors[name]!, who!);
    }
  });

  it('a sponsor group opens a case from the form, with its parties and household, and lands on its page', async () => {
    const sponsor = visitors.sponsor!;
    const choose = await textOf(await sponsor.get('/cases/new'));
    expect(choose).toContain('Open a new case');
    expect(choose).toContain('Community sponsorship');
    expect(await textOf(await sponsor.get('/cases'))).toContain('Open a new case'); // the link in the menu

    const form = await (await sponsor.get('/cases/new?choice=pathway:community-sponsorship')).text();
    expect(form).toContain('name="party-municipality"');
    expect(form).toMatch(new RegExp(`<option value="${m.sponsor!.organisationId}" selected`)); // its own slot, chosen for it
    const reference = unique('NEW');
    const principal = `Amal ${randomUUID().slice(0, 6)}`;
    const sent = await sponsor.post(
      '/cases/new',
      formFor(m, { _key: keyOf(form)!, pathwayId: 'community-sponsorship', reference, principalName: principal, needs: 'wheelchair access\nground floor', 'member-0-name': 'Sami', 'member-0-birthYear': '2015', 'member-0-relation': 'child' }),
    );
    expect(sent.status).toBe(303);
    const [id] = await casesWith(reference);
    expect(sent.headers.get('location')).toBe(`/cases/${id}`);
    expect(await textOf(await sponsor.get(`/cases/${id}`))).toContain(`Case ${reference} is open.`);

    const parties = await h.sql<{ slot: string; organisationId: string }[]>`SELECT slot, organisation_id AS "organisationId" FROM case_parties WHERE case_id = ${id!}`;
    expect(Object.fromEntries(parties.map((p) => [p.slot, p.organisationId]))).toEqual(Object.fromEntries(Object.entries(m).map(([slot, x]) => [slot, x.organisationId])));
    const [household] = await h.sql<{ principalName: string; members: unknown; needs: string[] }[]>`SELECT principal_name AS "principalName", members, needs FROM case_households WHERE case_id = ${id!}`;
    expect(household).toEqual({ principalName: principal, members: [{ name: 'Sami', birthYear: 2015, relation: 'child' }], needs: ['wheelchair access', 'ground floor'] });
  });

  it('shows what is wrong at each field and in a summary linking to it, and opens nothing', async () => {
    const sponsor = visitors.sponsor!;
    const reference = unique('BAD');
    const { municipality: _left, ...withoutMunicipality } = m;
    const response = await sponsor.post('/cases/new', formFor(withoutMunicipality, { pathwayId: 'community-sponsorship', reference, principalName: '', 'member-0-name': 'Sami', 'member-0-birthYear': 'soon' }));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('There is a problem');
    for (const field of ['principalName', 'party-municipality', 'member-0-birthYear']) {
      expect(html).toContain(`href="#${field}"`);
      expect(html).toMatch(new RegExp(`id="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${field}"`));
    }
    expect(html).toContain(reference); // what was typed is kept
    expect(await casesWith(reference)).toEqual([]);
  });

  it('a double submit opens one case', async () => {
    const sponsor = visitors.sponsor!;
    const reference = unique('TWICE');
    const fields = formFor(m, { _key: randomUUID(), pathwayId: 'community-sponsorship', reference, principalName: `Twice ${randomUUID().slice(0, 6)}` });
    const [first, second] = await Promise.all([sponsor.post('/cases/new', fields), sponsor.post('/cases/new', fields)]);
    const again = await sponsor.post('/cases/new', fields);
    expect([first.status, second.status, again.status]).toEqual([303, 303, 303]);
    const ids = await casesWith(reference);
    expect(ids).toHaveLength(1);
    expect(new Set([first, second, again].map((r) => r.headers.get('location')))).toEqual(new Set([`/cases/${ids[0]}`]));
  });

  it("warns of a similar reference or the same principal among the organisation's own cases, and opens nothing until confirmed", async () => {
    const sponsor = visitors.sponsor!;
    const reference = unique('DUP').toUpperCase();
    const principal = `Noor ${randomUUID().slice(0, 6)} Haddad`;
    expect((await sponsor.post('/cases/new', formFor(m, { _key: randomUUID(), pathwayId: 'community-sponsorship', reference, principalName: principal }))).status).toBe(303);
    const [firstId] = await casesWith(reference);

    // The same reference written differently.
    const written = ` ${reference.toLowerCase().replace(/-/g, ' ')} `;
    const warned = await sponsor.post('/cases/new', formFor(m, { _key: randomUUID(), pathwayId: 'community-sponsorship', reference: written, principalName: `Someone ${randomUUID().slice(0, 6)}` }));
    expect(warned.status).toBe(409);
    const html = await warned.text();
    expect(html).toContain(`href="/cases/${firstId}"`);
    const text = await textOf(new Response(html));
    expect(text).toContain('This case may already exist');
    expect(text).toContain('a similar reference');
    expect(await casesWith(written.trim())).toEqual([]);

    // Confirmed: it is opened, with the key the warning's form carried.
    const confirmed = await sponsor.post('/cases/new', formFor(m, { _key: keyOf(html)!, pathwayId: 'community-sponsorship', reference: written, principalName: `Someone else ${randomUUID().slice(0, 6)}`, confirm: 'yes' }));
    expect(confirmed.status).toBe(303);
    expect(await casesWith(written.trim())).toHaveLength(1);

    // The same principal, whatever the case and spacing, under another reference.
    const byName = await sponsor.post('/cases/new', formFor(m, { _key: randomUUID(), pathwayId: 'community-sponsorship', reference: unique('OTHER'), principalName: `  ${principal.toUpperCase().replace(' ', '   ')}` }));
    expect(byName.status).toBe(409);
    const byNameText = await textOf(byName);
    expect(byNameText).toContain('the same principal’s name');
    expect(byNameText).toContain(reference);

    // Another organisation's cases are never shown, nor counted.
    const elsewhere = await visitors.otherSponsor!.post('/cases/new', formFor(other, { _key: randomUUID(), pathwayId: 'community-sponsorship', reference, principalName: principal }));
    expect(elsewhere.status).toBe(303);
    expect(await casesWith(reference)).toHaveLength(2);
  });

  it('refuses a municipality clearly: it does not open cases', async () => {
    const municipality = visitors.municipality!;
    const page = await municipality.get('/cases/new');
    expect(page.status).toBe(403);
    expect(await textOf(page)).toContain('Your organisation cannot open cases. A case is opened by its coordinator or its sponsor group');
    expect(await textOf(await municipality.get('/cases'))).not.toContain('Open a new case');
    const reference = unique('MUNI');
    const sent = await municipality.post('/cases/new', formFor(m, { _key: randomUUID(), pathwayId: 'community-sponsorship', reference, principalName: 'P' }));
    expect(sent.status).toBe(403);
    expect(await casesWith(reference)).toEqual([]);
  });

  it('in a programme: a sponsor group of its pathway opens a case without having signed the MoU; one not named as the party cannot', async () => {
    const created = await h.call(m.coordinator!, 'POST', '/v1/programmes', {
      name: unique('Pilot'),
      pathway: template.id,
      quota: 5,
      coordinatorOrganisationId: m.coordinator!.organisationId,
      mouSignatories: [m.coordinator!.organisationId, m.municipality!.organisationId],
    });
    expect(created.status).toBe(201);
    const programmeId = ((await created.json()) as { id: string }).id;
    // The coordinator finds it among its choices; the form offers the programme's own parties.
    expect(await (await visitors.coordinator!.get('/cases/new')).text()).toContain(`value="programme:${programmeId}"`);
    const coordinatorForm = await (await visitors.coordinator!.get(`/cases/new?choice=programme:${programmeId}`)).text();
    expect(coordinatorForm).toMatch(new RegExp(`name="party-municipality"[^>]*>\\s*<option value="${m.municipality!.organisationId}"`));

    const sponsor = visitors.sponsor!;
    const form = await (await sponsor.get(`/cases/new?programmeId=${programmeId}`)).text();
    expect(form).toContain(`name="programmeId" value="${programmeId}"`);
    const reference = unique('PROG');
    const sent = await sponsor.post('/cases/new', formFor(m, { _key: keyOf(form)!, programmeId, reference, principalName: `Prog ${randomUUID().slice(0, 6)}` }));
    expect(sent.status).toBe(303);
    const [row] = await h.sql<{ programmeId: string }[]>`SELECT programme_id AS "programmeId" FROM cases WHERE reference = ${reference}`;
    expect(row!.programmeId).toBe(programmeId);

    // Another sponsor group naming the first one as the case's sponsor: not a party, not its case to open.
    const notParty = unique('NOTPARTY');
    const refused = await visitors.otherSponsor!.post('/cases/new', formFor(m, { _key: randomUUID(), programmeId, reference: notParty, principalName: 'P' }));
    expect(refused.status).toBe(400);
    expect(await casesWith(notParty)).toEqual([]);
    const byApi = await h.call(other.sponsor!, 'POST', '/v1/cases', { reference: notParty, programmeId, parties: { ...Object.fromEntries(Object.entries(m).map(([s, x]) => [s, x.organisationId])) }, household: { principalName: 'P' } });
    expect(byApi.status).toBe(400);
    expect(((await byApi.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('programmeId');
    expect(await casesWith(notParty)).toEqual([]);
    // And the programme stays invisible to the sponsor group that did not sign.
    expect((await h.call(m.sponsor!, 'GET', `/v1/programmes/${programmeId}`)).status).toBe(404);
  });
});
