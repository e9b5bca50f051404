// Match offers over HTTP on the real stack: a referred case opened without a sponsor group, proposed
// to a shortlist [A, B]; A declines with a reason (and loses the case), B is asked (and reads it, as a
// candidate: no names), B takes it and becomes the case's sponsor; refusals and exactly-once retries.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { renderMail } from '../../notifications/templates.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';
import { waitForMail } from '../support/mail.js';

type Proposal = { organisationId: string; status: string; reasonRef: string | null; answerBy: string };
type State = {
  stage: { id: string } | null;
  parties: Record<string, string>;
  proposedTo: Record<string, string>;
  gates: { id: string; kind: string; detail: { shortlist?: string[]; proposals?: Proposal[] } }[];
};
type Detail = { state: State; texts: Record<string, string> };

const template = builtInTemplates['matched-sponsorship']!;

describe('match offers over HTTP', () => {
  const h = useApi('match');
  let m: Record<string, Member>;
  let parties: Record<string, string>;
  let a: Member;
  let b: Member;
  let outsider: Member;

  beforeAll(async () => {
    ({ members: m, parties } = await createParties(h.sql, template));
    // The sponsor slot is filled by the match: the case is opened without it.
    delete parties.sponsor;
    a = await createOrganisation(h.sql, 'sponsor_group', 'en', 'group-a');
    b = await createOrganisation(h.sql, 'sponsor_group', 'nl', 'groep-b');
    outsider = await createOrganisation(h.sql, 'sponsor_group', 'en', 'outsider');
  });

  const post = (who: Member, path: string, body: unknown, key = randomUUID()) => h.call(who, 'POST', path, body, { 'idempotency-key': key });
  const read = async (who: Member, id: string) => {
    const response = await h.call(who, 'GET', `/v1/cases/${id}`);
    return { status: response.status, body: (await response.json()) as Detail };
  };
  const inbox = async (who: Member) => ((await (await h.call(who, 'GET', '/v1/inbox')).json()) as { items: { caseId: string; gateId: string; todo: string; dueAt: string }[] }).items;

  it('asks the shortlist in turn; a decline passes it on; the accepted candidate becomes the sponsor', async () => {
    // Opened by the coordinator with the sponsor slot empty; naming a sponsor is refused.
    const body = { reference: 'MS-HTTP-1', pathwayId: template.id, parties, household: { principalName: 'Hidden Name', members: [{ name: 'Secret Child', birthYear: 2018, relation: 'child' }], needs: ['ground floor'] } };
    expect((await post(m.coordinator!, '/v1/cases', { ...body, reference: 'MS-HTTP-0', parties: { ...parties, sponsor: a.organisationId } })).status).toBe(400);
    const created = await post(m.coordinator!, '/v1/cases', body);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await h.sql`SELECT sponsor_organisation_id AS s FROM cases WHERE id = ${id}`)[0]!.s).toBeNull();
    const gate = (action: string, g = 'sponsor-match') => `/v1/cases/${id}/gates/${g}/${action}`;

    await expect.poll(async () => (await read(m.coordinator!, id)).body.state?.stage?.id).toBe('eligibility');
    expect((await post(m.coordinator!, gate('decision', 'eligibility'), { outcome: 'approve' })).status).toBe(200);
    // The coordinator's turn: propose the case (its inbox says so); the case list copes with the empty slot.
    await expect.poll(async () => (await inbox(m.coordinator!)).find((i) => i.caseId === id)?.todo).toBe('propose-match');
    expect((await h.call(m.coordinator!, 'GET', '/v1/cases?search=MS-HTTP-1')).status).toBe(200);

    // A candidate of another kind, or no organisation at all: 422 naming it, nothing sent.
    const wrong = await post(m.coordinator!, gate('propose-match'), { candidates: [a.organisationId, m.municipality!.organisationId] });
    expect(wrong.status).toBe(422);
    expect(await wrong.json()).toMatchObject({ title: 'Candidate not eligible', candidate: m.municipality!.organisationId });
    const unknown = randomUUID();
    const none = await post(m.coordinator!, gate('propose-match'), { candidates: [unknown] });
    expect(none.status).toBe(422);
    expect(((await none.json()) as { detail: string }).detail).toContain(unknown);
    expect((await post(m.coordinator!, gate('propose-match'), { candidates: [] })).status).toBe(400);
    // Only the coordinator proposes.
    const notCoordinator = await post(m.municipality!, gate('propose-match'), { candidates: [a.organisationId] });
    expect(notCoordinator.status).toBe(409);
    expect(await notCoordinator.json()).toMatchObject({ code: 'not-your-turn' });

    // Proposed to [A, B], exactly once: a retry with the same key gets the same answer.
    const key = randomUUID();
    const proposed = await post(m.coordinator!, gate('propose-match'), { candidates: [a.organisationId, b.organisationId] }, key);
    expect(proposed.status).toBe(200);
    const first = (await proposed.json()) as State;
    const again = await post(m.coordinator!, gate('propose-match'), { candidates: [a.organisationId, b.organisationId] }, key);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(first);
    const match = first.gates.find((g) => g.id === 'sponsor-match')!;
    expect(match.detail.proposals!.map((p) => [p.organisationId, p.status])).toEqual([[a.organisationId, 'open']]);
    expect(match.detail.shortlist).toEqual([b.organisationId]);
    expect(first.proposedTo).toEqual({ sponsor: a.organisationId });
    const answerBy = match.detail.proposals![0]!.answerBy;
    expect(Date.parse(answerBy) - Date.now()).toBeGreaterThan(13 * 86_400_000);

    // A reads the case while asked, and what it needs to decide of the household: no names, no birth years.
    await expect.poll(async () => (await read(a, id)).status).toBe(200);
    expect((await read(b, id)).status).toBe(404);
    const household = (await (await h.call(a, 'GET', `/v1/cases/${id}/household`)).json()) as { level: string; size: number; principal: unknown; members: Record<string, unknown>[]; needs: string[] };
    expect(household).toMatchObject({ level: 'candidate', size: 2, principal: null, needs: ['ground floor'] });
    expect(household.members[0]).toEqual({ age: expect.any(Number), relation: 'child' });
    expect(JSON.stringify(household)).not.toMatch(/Hidden Name|Secret Child|2018/);
    const logged = await h.sql<{ level: string }[]>`SELECT level FROM personal_data_reads WHERE case_id = ${id} AND organisation_id = ${a.organisationId}`;
    expect(logged.map((r) => r.level)).toEqual(['candidate']);
    // Its inbox: answer the proposal, by the day it lapses.
    await expect.poll(async () => (await inbox(a)).find((i) => i.caseId === id)).toMatchObject({ todo: 'answer-match', dueAt: answerBy });
    // Told by email (its language), once.
    await expect.poll(async () => (await h.sql`SELECT count(*)::int AS n FROM notifications WHERE case_id = ${id} AND person_id = ${a.personId} AND template = 'match-proposed'`)[0]!.n).toBe(1);

    // Someone not asked cannot answer: 409 with the refusal's code. A decline needs a reason.
    for (const who of [m.coordinator!, m.municipality!]) {
      const refused = await post(who, gate('accept-match'), {});
      expect(refused.status, who.email).toBe(409);
      expect(await refused.json()).toMatchObject({ title: 'Action refused', code: 'not-your-turn', params: { gateId: 'sponsor-match' } });
    }
    // B, not asked yet, and an outsider do not see the case at all.
    for (const who of [b, outsider]) expect((await post(who, gate('accept-match'), {})).status, who.email).toBe(404);
    expect((await post(a, gate('decline-match'), {})).status).toBe(400);

    // A declines with a reason: B is asked; A no longer reads the case, B does.
    const declined = await post(a, gate('decline-match'), { reason: 'We support two families already this year.' });
    expect(declined.status).toBe(200);
    const afterDecline = ((await declined.json()) as State).gates.find((g) => g.id === 'sponsor-match')!;
    expect(afterDecline.detail.proposals!.map((p) => [p.organisationId, p.status])).toEqual([
      [a.organisationId, 'declined'],
      [b.organisationId, 'open'],
    ]);
    await expect.poll(async () => (await read(b, id)).status).toBe(200);
    await expect.poll(async () => (await read(a, id)).status).toBe(404);
    expect((await h.call(a, 'GET', `/v1/cases/${id}/household`)).status).toBe(404);
    // B, a candidate, sees its own proposal only: not who declined before, nor why.
    const asB = await read(b, id);
    const bMatch = asB.body.state.gates.find((g) => g.id === 'sponsor-match')!;
    expect(bMatch.detail.proposals!.map((p) => p.organisationId)).toEqual([b.organisationId]);
    expect(JSON.stringify(asB.body)).not.toContain('two families');
    const bTimeline = JSON.stringify(await (await h.call(b, 'GET', `/v1/cases/${id}/timeline`)).json());
    expect(bTimeline).not.toContain('two families');
    expect(bTimeline).not.toContain(a.organisationId);
    expect(JSON.stringify(await (await h.call(m.coordinator!, 'GET', `/v1/cases/${id}/timeline`)).json())).toContain('two families');
    // The coordinator reads the reason.
    expect(Object.values((await read(m.coordinator!, id)).body.texts)).toContain('We support two families already this year.');
    // B's email is in Dutch, through SMTP.
    const [mail] = await waitForMail((x) => x.to.includes(b.email) && x.subject.includes('MS-HTTP-1'));
    expect(mail!.subject).toBe('Aan u voorgesteld: casus MS-HTTP-1');

    // B takes the case: it is the case's sponsor now, and the case moves on.
    const accepted = await post(b, gate('accept-match'), {});
    expect(accepted.status).toBe(200);
    const taken = (await accepted.json()) as State;
    expect(taken.parties.sponsor).toBe(b.organisationId);
    expect(taken.proposedTo).toEqual({});
    expect(taken.stage!.id).toBe('commitment');
    // Now a party: B reads the household in full (names), and every proposal.
    await expect.poll(async () => ((await (await h.call(b, 'GET', `/v1/cases/${id}/household`)).json()) as { level: string }).level).toBe('full');
    await expect.poll(async () => (await h.sql`SELECT slot FROM case_parties WHERE case_id = ${id} AND organisation_id = ${b.organisationId}`).map((r) => r.slot)).toEqual(['sponsor']);
    // The coordinator is told the case was taken.
    await expect.poll(async () => (await h.sql`SELECT count(*)::int AS n FROM notifications WHERE case_id = ${id} AND person_id = ${m.coordinator!.personId} AND template = 'case-update' AND payload->>'detail' = 'match-accepted'`)[0]!.n).toBe(1);
    // Answering again is refused: the case moved on.
    const twice = await post(a, gate('decline-match'), { reason: 'late' });
    expect(twice.status).toBe(404);
    const done = await post(b, gate('accept-match'), {});
    expect(done.status).toBe(409);
    expect(await done.json()).toMatchObject({ code: 'gate-not-open', params: { gateId: 'sponsor-match', stageId: 'commitment' } });
    // Nothing personal entered the workflow's history.
    expect(JSON.stringify(await h.client.workflow.getHandle(`case:${id}`).fetchHistory())).not.toMatch(/two families|Hidden Name/);
  });

  it('words the match-proposed email in English and Dutch', () => {
    const c = { recipientName: 'Anna', subjectKind: 'case' as const, reference: 'MS-1', gateTitle: 'Match with a sponsor group', dueAt: Date.UTC(2027, 2, 15, 12), link: 'https://example.test/cases/1' };
    const en = renderMail('match-proposed', 'en', c);
    expect(en.subject).toBe('Proposed to you: case MS-1');
    expect(en.text).toContain('Please accept or decline it by');
    const nl = renderMail('match-proposed', 'nl', c);
    expect(nl.subject).toBe('Aan u voorgesteld: casus MS-1');
    expect(nl.text).toContain('Koppeling aan een sponsorgroep');
    expect(nl.text).toContain('maart 2027');
    expect(nl.text).not.toMatch(/zaak|workflow|escalatie/i);
  });
});
