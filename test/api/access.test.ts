// Who sees and does what: every role against its own and another organisation's case and
// programme; tokens; admin routes; and every route's refusal of bad input as problem+json.
import { beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../usecases/tokens.js';
import { actionRoutes } from '../../api/cases/actions.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import type { CaseActionType } from '../../usecases/case-actions.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['education-pathway']!;

/** For each action, a body its schema accepts: a refusal then comes from who asks, not from what. */
const validBodies: Record<CaseActionType, unknown> = {
  decide: { outcome: 'approve' },
  complete: {},
  offer_housing: { address: 'Oudegracht 1', rooms: 2, accessible: true, availableFrom: '2027-01-01', validUntil: '2027-01-15T12:00:00Z' },
  decline_housing_request: { reason: 'no capacity' },
  accept_offer: { offerId: '00000000-0000-4000-8000-000000000001' },
  decline_offer: { offerId: '00000000-0000-4000-8000-000000000001', reason: 'too far' },
  publish_agreement: { title: 'Agreement', text: 'Terms' },
  sign: { version: 1 },
  request_changes: { comment: 'add the budget' },
  submit_checkin: { reportIndex: 0, report: 'All well' },
  propose_match: { candidates: ['00000000-0000-4000-8000-000000000003'] },
  accept_match: {},
  decline_match: { reason: 'no room this year' },
  nudge: { gateId: 'eligibility' },
  extend: { gateId: 'eligibility', dueAt: '2027-01-31T12:00:00Z', reason: 'interview planned' },
  reassign: { gateId: 'eligibility', organisationId: '00000000-0000-4000-8000-000000000002', reason: 'another office' },
  hold: { reason: 'waiting for papers' },
  resume: {},
  withdraw: { reason: 'the family moved' },
};

describe('access and input', () => {
  const h = useApi('access');
  let own: { members: Record<string, Member>; parties: Record<string, string> };
  let other: { members: Record<string, Member>; parties: Record<string, string> };
  let ownCase: string;
  let otherCase: string;
  let ownProgramme: string;
  let admin: Member;

  async function openCase(set: typeof own, reference: string) {
    const response = await h.call(set.members.coordinator!, 'POST', '/v1/cases', { reference, pathwayId: template.id, parties: set.parties, household: { principalName: 'P' } });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  beforeAll(async () => {
    own = await createParties(h.sql, template);
    other = await createParties(h.sql, template);
    ownCase = await openCase(own, 'OWN-1');
    otherCase = await openCase(other, 'OTHER-1');
    const programme = await h.call(own.members.coordinator!, 'POST', '/v1/programmes', { name: 'Access', pathway: template.id, quota: 2, coordinatorOrganisationId: own.parties.coordinator, mouSignatories: [own.parties.coordinator, own.parties.university] });
    ownProgramme = ((await programme.json()) as { id: string }).id;
    const adminOrg = await createOrganisation(h.sql, 'coordinator', 'en', 'admin-org');
    const [person] = await h.sql<{ id: string }[]>`INSERT INTO people (organisation_id, name, email, role) VALUES (${adminOrg.organisationId}, 'Admin', ${`admin-${adminOrg.organisationId}@example.test`}, 'admin') RETURNING id`;
    admin = { ...adminOrg, personId: person!.id, actor: { ...adminOrg.actor, personId: person!.id, role: 'admin' } };
  });

  it('every role sees its own case and never another organisation’s (404, not 403)', async () => {
    for (const slot of Object.keys(own.members)) {
      const who = own.members[slot]!;
      expect((await h.call(who, 'GET', `/v1/cases/${ownCase}`)).status, `${slot} own case`).toBe(200);
      expect((await h.call(who, 'GET', `/v1/cases/${ownCase}/timeline`)).status, `${slot} own timeline`).toBe(200);
      const foreign = await h.call(who, 'GET', `/v1/cases/${otherCase}`);
      expect(foreign.status, `${slot} other case`).toBe(404);
      expect(await foreign.json()).toMatchObject({ title: 'Case not found' });
      expect((await h.call(who, 'GET', `/v1/cases/${otherCase}/timeline`)).status, `${slot} other timeline`).toBe(404);
      const list = (await (await h.call(who, 'GET', '/v1/cases')).json()) as { items: { id: string }[] };
      expect(list.items.map((i) => i.id), `${slot} list`).toContain(ownCase);
      expect(list.items.map((i) => i.id), `${slot} list`).not.toContain(otherCase);
      for (const a of actionRoutes) {
        const path = a.path.replace('{id}', otherCase).replace('{gateId}', 'eligibility');
        // A valid body, so nothing but the case's visibility can refuse it: 404, as for a case that does not exist.
        const refused = await h.call(who, 'POST', path, validBodies[a.type]);
        expect(refused.status, `${slot} ${a.type} on another's case`).toBe(404);
        expect(await refused.json()).toMatchObject({ title: 'Case not found' });
      }
    }
    expect((await h.call(admin, 'GET', `/v1/cases/${ownCase}`)).status).toBe(404);
  });

  it('only the parties act, and only at their own gates', async () => {
    const eligibility = `/v1/cases/${ownCase}/gates/eligibility/decision`;
    for (const slot of ['student-sponsor', 'university', 'municipality', 'immigration']) {
      const refused = await h.call(own.members[slot]!, 'POST', eligibility, { outcome: 'approve' });
      expect(refused.status, slot).toBe(409);
      expect(((await refused.json()) as { detail: string }).detail).toBe('your organisation does not act at gate "eligibility" now');
    }
    for (const slot of ['student-sponsor', 'university']) {
      expect((await h.call(own.members[slot]!, 'POST', `/v1/cases/${ownCase}/hold`, { reason: 'x' })).status, slot).toBe(409);
    }
    expect((await h.call(own.members.coordinator!, 'POST', eligibility, { outcome: 'approve' })).status).toBe(200);
  });

  it("refuses a case in a programme the caller's organisation does not take part in, and odd reassignments", async () => {
    const foreign = await h.call(other.members.coordinator!, 'POST', '/v1/cases', { reference: 'X', programmeId: ownProgramme, parties: other.parties, household: { principalName: 'P' } });
    expect(foreign.status).toBe(400);
    expect(((await foreign.json()) as { errors: { field: string }[] }).errors[0]!.field).toBe('programmeId');
    expect((await h.call(own.members.coordinator!, 'POST', '/v1/cases', { reference: 'X', pathwayId: 'constructor', parties: own.parties, household: { principalName: 'P' } })).status).toBe(400);

    const c = await openCase(own, 'REASSIGN-1');
    await expect.poll(async () => (await h.sql`SELECT state IS NOT NULL AS projected FROM cases WHERE id = ${c}`)[0]!.projected).toBe(true);
    const reassign = (organisationId: string) => h.call(own.members.coordinator!, 'POST', `/v1/cases/${c}/reassign`, { gateId: 'eligibility', organisationId, reason: 'x' });
    expect((await reassign('00000000-0000-4000-8000-000000000000')).status).toBe(400);
    const wrongKind = await reassign(own.parties.university!);
    expect(wrongKind.status).toBe(400);
    expect(((await wrongKind.json()) as { detail: string }).detail).toBe('must be an organisation of kind coordinator, like the one it replaces');
  });

  it('programmes are visible to their coordinator and MoU signatories only', async () => {
    expect((await h.call(own.members.coordinator!, 'GET', `/v1/programmes/${ownProgramme}`)).status).toBe(200);
    expect((await h.call(own.members.university!, 'GET', `/v1/programmes/${ownProgramme}`)).status).toBe(200);
    expect((await h.call(own.members['student-sponsor']!, 'GET', `/v1/programmes/${ownProgramme}`)).status).toBe(404);
    expect((await h.call(other.members.coordinator!, 'GET', `/v1/programmes/${ownProgramme}`)).status).toBe(404);
    expect((await h.call(other.members.coordinator!, 'POST', `/v1/programmes/${ownProgramme}/pause`, { reason: 'x' })).status).toBe(404);
    const refused = await h.call(own.members.university!, 'POST', `/v1/programmes/${ownProgramme}/agreement/publish`, { title: 'MoU', text: 'x' });
    expect(refused.status).toBe(409);
    expect((await h.sql`SELECT count(*)::int AS n FROM agreement_documents WHERE programme_id = ${ownProgramme}`)[0]!.n).toBe(0);
  });

  it('needs a valid, unrevoked token on every /v1 route', async () => {
    for (const path of ['/v1/cases', `/v1/cases/${ownCase}`, '/v1/inbox', '/v1/stuck', '/v1/organisations', `/v1/programmes/${ownProgramme}`]) {
      const response = await h.call(undefined, 'GET', path);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect((await h.call('sr_not-a-token', 'GET', path)).status, path).toBe(401);
    }
    for (const path of ['/health', '/openapi.json', '/docs']) expect((await h.call(undefined, 'GET', path)).status, path).toBe(200);

    const issued = await h.call(admin, 'POST', `/v1/people/${own.members.university!.personId}/tokens`, { label: 'laptop' });
    expect(issued.status).toBe(201);
    const { id, token } = (await issued.json()) as { id: string; token: string };
    expect((await h.sql`SELECT token_hash FROM api_tokens WHERE id = ${id}`)[0]!.token_hash).not.toBe(token);
    expect((await h.call(token, 'GET', `/v1/cases/${ownCase}`)).status).toBe(200);
    expect((await h.call(admin, 'POST', `/v1/tokens/${id}/revoke`, {})).status).toBe(200);
    expect((await h.call(token, 'GET', `/v1/cases/${ownCase}`)).status).toBe(401);
  });

  it('admin routes are for admins', async () => {
    const org = await h.call(admin, 'POST', '/v1/organisations', { name: 'Gemeente Amersfoort', kind: 'municipality' });
    expect(org.status).toBe(201);
    const { id } = (await org.json()) as { id: string };
    const person = await h.call(admin, 'POST', '/v1/people', { organisationId: id, name: 'Officer', email: `officer-${id}@example.test`, role: 'municipal_officer', language: 'nl' });
    expect(person.status).toBe(201);
    expect((await h.call(admin, 'POST', '/v1/people', { organisationId: id, name: 'Dup', email: `officer-${id}@example.test`, role: 'municipal_officer', language: 'nl' })).status).toBe(409);
    for (const slot of Object.keys(own.members)) {
      expect((await h.call(own.members[slot]!, 'POST', '/v1/organisations', { name: 'X', kind: 'municipality' })).status, slot).toBe(403);
    }
  });

  it('refuses bad input on every action route with 400 problem+json naming fields; 413 and 415 too', async () => {
    for (const a of actionRoutes) {
      if (a.type === 'resume' || a.type === 'accept_match') continue; // take no input
      const path = a.path.replace('{id}', ownCase).replace('{gateId}', 'eligibility');
      const response = await h.call(own.members.coordinator!, 'POST', path, { reason: 7, outcome: 'maybe', version: 'one', offerId: 'x', gateId: 3, dueAt: 'soon', note: 5, comment: 5, report: 5, reportIndex: 'x', title: 5, address: 5 });
      expect(response.status, a.type).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { errors: unknown[] }).errors.length, a.type).toBeGreaterThan(0);
    }
    expect((await h.call(own.members.coordinator!, 'GET', '/v1/cases/not-a-uuid')).status).toBe(400);
    const big = await h.call(own.members.coordinator!, 'POST', `/v1/cases/${ownCase}/hold`, { reason: 'x'.repeat(300_000) });
    expect(big.status).toBe(413);
    const text = await h.app.request(`/v1/cases/${ownCase}/hold`, { method: 'POST', headers: { 'content-type': 'text/plain', authorization: 'Bearer x' }, body: 'hold please' });
    expect(text.status).toBe(415);
    const { token } = await issueToken(h.sql, own.members.coordinator!.personId, 'test');
    const malformed = await h.app.request('/v1/cases', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
    // Without a valid token nothing is read at all, the body included.
    const anonymous = await h.app.request('/v1/cases', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x' }, body: '{' });
    expect(anonymous.status).toBe(401);
  });

  it('refuses bad input on the other routes too', async () => {
    const cases: [Member, string, string, unknown][] = [
      [own.members.coordinator!, 'POST', '/v1/cases', { reference: 5 }],
      [own.members.coordinator!, 'GET', '/v1/cases?limit=1000', undefined],
      [own.members.coordinator!, 'GET', '/v1/cases?status=lost', undefined],
      [own.members.coordinator!, 'GET', `/v1/cases/${ownCase}/timeline?after=-1`, undefined],
      [own.members.coordinator!, 'POST', '/v1/programmes', { name: '', quota: -1 }],
      [own.members.coordinator!, 'GET', '/v1/programmes/123', undefined],
      [own.members.coordinator!, 'POST', `/v1/programmes/${ownProgramme}/quota`, { quota: 'many' }],
      [admin, 'POST', '/v1/organisations', { name: 'X', kind: 'club' }],
      [admin, 'POST', '/v1/people', { organisationId: 'x', email: 'not-an-email', role: 'boss' }],
      [admin, 'POST', '/v1/people/not-a-uuid/tokens', {}],
    ];
    for (const [who, method, path, body] of cases) {
      const response = await h.call(who, method, path, body);
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(response.headers.get('content-type'), path).toBe('application/problem+json');
    }
    const organisations = (await (await h.call(own.members['student-sponsor']!, 'GET', '/v1/organisations')).json()) as { items: { id: string; kind: string }[] };
    expect(organisations.items.map((o) => o.id)).toContain(own.parties.university);
  });
});
