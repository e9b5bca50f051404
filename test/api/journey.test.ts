// A community-sponsorship case driven from referral to arrival through HTTP only, with the
// idempotent creation, refusals, timeline, list, inbox and stuck board a person sees on the way.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createParties, type Member } from '../support/fixtures.js';

type State = { stage: { id: string } | null; gates: { id: string; detail: Record<string, any> }[]; status: string };

describe('a case from referral to arrival over HTTP', () => {
  const h = useApi('journey');
  let m: Record<string, Member>;
  let parties: Record<string, string>;

  beforeAll(async () => {
    ({ members: m, parties } = await createParties(h.sql, builtInTemplates['community-sponsorship']!));
  });

  async function ok(who: Member, path: string, body: unknown): Promise<State> {
    const response = await h.call(who, 'POST', path, body);
    const json = (await response.json()) as State & { detail?: string };
    expect(response.status, json.detail).toBe(200);
    return json;
  }

  it('walks every stage with the organisation each gate waits on', async () => {
    const body = { reference: 'CS-HTTP-1', pathwayId: 'community-sponsorship', parties, household: { principalName: 'A. Example', needs: ['ground floor'] } };
    const first = await h.call(m.sponsor!, 'POST', '/v1/cases', body, { 'idempotency-key': 'referral-1', prefer: 'return=representation' });
    expect(first.status).toBe(201);
    expect(first.headers.get('preference-applied')).toBe('return=representation');
    const { id, state: firstState } = (await first.json()) as { id: string; state: { stage: { id: string } } | null };
    // Asked for, the answer carries the case's first state, from its workflow.
    expect(firstState?.stage.id).toBe('eligibility');
    const again = await h.call(m.sponsor!, 'POST', '/v1/cases', body, { 'idempotency-key': 'referral-1' });
    // A retry gets the first answer: the same status and body, and no second case.
    expect(again.status).toBe(201);
    expect(((await again.json()) as { id: string }).id).toBe(id);
    expect((await h.call(m.sponsor!, 'POST', '/v1/cases', { ...body, reference: 'OTHER' }, { 'idempotency-key': 'referral-1' })).status).toBe(409);
    expect((await h.sql`SELECT count(*)::int AS n FROM cases WHERE reference = 'CS-HTTP-1'`)[0]!.n).toBe(1);

    const gate = (g: string, action: string) => `/v1/cases/${id}/gates/${g}/${action}`;
    const refused = await h.call(m.sponsor!, 'POST', gate('eligibility', 'decision'), { outcome: 'approve' });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ title: 'Action refused', detail: 'your organisation does not act at gate "eligibility" now', code: 'not-your-turn', params: { gateId: 'eligibility' } });

    expect((await ok(m.coordinator!, gate('eligibility', 'decision'), { outcome: 'approve' })).stage!.id).toBe('commitment');
    await ok(m.coordinator!, gate('sponsor-plan', 'decision'), { outcome: 'approve' });
    expect((await ok(m.municipality!, gate('municipal-consent', 'decision'), { outcome: 'approve' })).stage!.id).toBe('housing');

    const validUntil = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const offered = await ok(m.municipality!, gate('housing', 'offer'), { address: 'Oudegracht 1, Utrecht', rooms: 3, accessible: true, availableFrom: '2027-02-01', validUntil });
    const offerId = offered.gates[0]!.detail.offers[0].offerId as string;
    expect((await ok(m.sponsor!, gate('housing', 'accept'), { offerId })).stage!.id).toBe('agreement');

    const published = await ok(m.coordinator!, gate('sponsorship-agreement', 'publish'), { title: 'Sponsorship agreement', text: 'The sponsor group supports the household for 12 months.' });
    expect(published.gates[0]!.detail.document.contentHash).toMatch(/^[0-9a-f]{64}$/);
    await ok(m.sponsor!, gate('sponsorship-agreement', 'sign'), { version: 1 });
    await ok(m.municipality!, gate('sponsorship-agreement', 'sign'), { version: 1 });
    expect((await ok(m.coordinator!, gate('sponsorship-agreement', 'sign'), { version: 1 })).stage!.id).toBe('visa');

    expect((await ok(m.immigration!, gate('entry-visa', 'decision'), { outcome: 'approve' })).stage!.id).toBe('pre-departure');
    await ok(m.iom!, gate('orientation', 'complete'), { note: 'two sessions' });
    expect((await ok(m.iom!, gate('travel', 'complete'), { note: 'flight booked' })).stage!.id).toBe('arrival');
    const arrived = await ok(m.sponsor!, gate('arrival', 'complete'), {});
    expect(arrived.stage!.id).toBe('support');

    // The timeline tells the story with actors (the projection follows the workflow within moments).
    const timelineOf = async () => ((await (await h.call(m.sponsor!, 'GET', `/v1/cases/${id}/timeline`)).json()) as { items: { kind: string; actor: string }[] }).items;
    await expect.poll(async () => (await timelineOf()).filter((e) => e.kind === 'stage_completed').length).toBe(7);
    const timeline = { items: await timelineOf() };
    const kinds = timeline.items.map((e) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(['case_opened', 'stage_entered']);
    expect(kinds).toEqual(expect.arrayContaining(['housing_offered', 'housing_offer_accepted', 'agreement_executed', 'task_completed', 'stage_completed']));
    expect(timeline.items.find((e) => e.kind === 'housing_offer_accepted')!.actor).toBe(m.sponsor!.personId);
    expect((await h.sql`SELECT address FROM housing_offers WHERE id = ${offerId}`)[0]!.address).toBe('Oudegracht 1, Utrecht');
    expect(JSON.stringify(await h.client.workflow.getHandle(`case:${id}`).fetchHistory())).not.toContain('Oudegracht');
  });

  it('lists cases page by page and refuses a forged cursor', async () => {
    const mine = await createParties(h.sql, builtInTemplates['resettlement']!);
    for (const ref of ['L-1', 'L-2', 'L-3']) {
      const opened = await h.call(mine.members.coordinator!, 'POST', '/v1/cases', { reference: ref, pathwayId: 'resettlement', parties: mine.parties, household: { principalName: 'P' } });
      expect(opened.status).toBe(201);
      // Not asked for: answered as soon as the workflow is started, without waiting for its first state.
      expect(((await opened.json()) as { state: unknown }).state).toBeNull();
    }
    const page1 = (await (await h.call(mine.members.coordinator!, 'GET', '/v1/cases?limit=2')).json()) as { items: { reference: string }[]; nextCursor: string };
    expect(page1.items.map((i) => i.reference)).toEqual(['L-3', 'L-2']);
    const page2 = (await (await h.call(mine.members.coordinator!, 'GET', `/v1/cases?limit=2&cursor=${page1.nextCursor}`)).json()) as { items: { reference: string }[]; nextCursor: string | null };
    expect(page2).toEqual({ items: [expect.objectContaining({ reference: 'L-1' })], nextCursor: null });
    expect((await h.call(mine.members.coordinator!, 'GET', '/v1/cases?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    // Each case's first step waits on the immigration service once its workflow has projected it.
    const waitingOn = async (who: Member) => ((await (await h.call(who, 'GET', '/v1/cases?waitingOnMe=true&sort=reference')).json()) as { items: { reference: string }[] }).items.map((i) => i.reference);
    await expect.poll(() => waitingOn(mine.members.immigration!)).toEqual(['L-1', 'L-2', 'L-3']);
    expect(await waitingOn(mine.members.coordinator!)).toEqual([]);
  });

  it("shows each organisation its inbox, and coordinators the stuck board", async () => {
    const coordinator = m.coordinator!;
    const quick = { ...builtInTemplates['resettlement']!, id: 'resettlement-quick', stages: builtInTemplates['resettlement']!.stages.map((s) => ({ ...s, gates: s.gates.map((g) => ({ ...g, time: { dueIn: '1 second', remindAt: [], escalateEvery: '1 hour' } })) })) };
    const { parties: p, members } = await createParties(h.sql, quick);
    const programme = await h.call(members.coordinator!, 'POST', '/v1/programmes', { name: 'Quick', pathway: quick, quota: 5, coordinatorOrganisationId: p.coordinator, mouSignatories: [p.coordinator] });
    expect(programme.status).toBe(201);
    const { id: programmeId } = (await programme.json()) as { id: string };
    await ok(members.coordinator!, `/v1/programmes/${programmeId}/agreement/publish`, { title: 'MoU', url: 'https://docs.example.test/mou' });
    await ok(members.coordinator!, `/v1/programmes/${programmeId}/agreement/sign`, { version: 1 });
    const created = await h.call(members.coordinator!, 'POST', '/v1/cases', { reference: 'STUCK-1', programmeId, parties: p, household: { principalName: 'P' } });
    expect(created.status).toBe(201);

    type Board = { overdue: { total: number; items: Record<string, unknown>[] }; groups: { party: { id: string; count: number }[] }; failing: unknown[] };
    const boardOf = async () => (await (await h.call(members.coordinator!, 'GET', '/v1/stuck')).json()) as Board;
    await expect.poll(async () => (await boardOf()).overdue.items.map((o) => o.reference), { timeout: 15_000 }).toContain('STUCK-1');
    await expect.poll(async () => (await boardOf()).overdue.items[0]?.escalationsSent, { timeout: 15_000 }).toBe(1);
    const board = await boardOf();
    expect(board.overdue.total).toBe(1);
    expect(board.overdue.items[0]).toMatchObject({ reference: 'STUCK-1', gateId: 'selection', kind: 'decision', waitingOn: [{ id: p.immigration, kind: 'national_agency' }], programmeId });
    expect(board.groups.party).toEqual([expect.objectContaining({ id: p.immigration, count: 1 })]);
    expect(board.failing).toEqual([]);
    expect((await h.call(members.immigration!, 'GET', '/v1/stuck')).status).toBe(403);

    // What waits on whom: the selection on the immigration service, the MoU signature on the municipality.
    type Inbox = { items: { reference: string; gateId: string; stuck: boolean }[]; programmes: { name: string }[] };
    const inboxOf = async (who: Member) => (await (await h.call(who, 'GET', '/v1/inbox')).json()) as Inbox;
    expect((await inboxOf(members.immigration!)).items).toContainEqual(expect.objectContaining({ reference: 'STUCK-1', gateId: 'selection', stuck: true }));
    expect((await inboxOf(coordinator)).items.some((i) => i.reference === 'STUCK-1')).toBe(false);
    const second = await h.call(members.coordinator!, 'POST', '/v1/programmes', { name: 'Second', pathway: 'resettlement', quota: 1, coordinatorOrganisationId: p.coordinator, mouSignatories: [p.coordinator, p.municipality] });
    const { id: secondId } = (await second.json()) as { id: string };
    await ok(members.coordinator!, `/v1/programmes/${secondId}/agreement/publish`, { title: 'MoU', text: 'Terms.' });
    await expect.poll(async () => (await inboxOf(members.municipality!)).programmes.map((i) => i.name)).toContain('Second');
  });
});
