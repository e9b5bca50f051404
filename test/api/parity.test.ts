// What the pages show, the API gives too — to the same readers only: a housing offer's address,
// an agreement's and an MoU's text, who acted on a timeline (organisation for all, person for their
// own organisation and the coordinator), the programmes an organisation takes part in, a
// programme's timeline and MoU change requests, and whether a listed case is held or paused.
// Each read is checked from the side of who may read it and of who may not.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { connectDb } from '../../infra/db.js';
import { readableCaseAgreements, mouText } from '../../usecases/agreement-texts.js';
import type { Caller } from '../../usecases/caller.js';
import { readableAddresses } from '../../usecases/housing-addresses.js';
import { readProgramme } from '../../usecases/programme-detail.js';
import { listProgrammes } from '../../usecases/programme-list.js';
import { caseTimeline, programmeTimeline } from '../../usecases/timeline.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;

type Offer = { offerId: string; address?: string };
type Gate = { id: string; kind: string; detail: Record<string, any> };
type CaseBody = { state: { status: string; place: string; stage: { id: string } | null; gates: Gate[]; version: number } | null };
type Actor = { organisation: { id: string; name: string }; person: { id: string; name: string | null } } | null;
type Event = { id: string; kind: string; actor: string; by: Actor; reason: string | null; data: Record<string, unknown> };
type Timeline = { items: Event[]; organisations: Record<string, string> };
type ListedProgramme = { id: string; coordinating: boolean; signatory: boolean; toSign: boolean; status: string; summary: { mou: { version: number } } | null };
type Page<T> = { items: T[]; nextCursor: string | null };

describe('the API reads what the pages show, for the same readers', () => {
  const h = useApi('parity');
  let m: Record<string, Member>;
  let parties: Record<string, string>;
  let stranger: Member;
  let ministry: Member;
  let programmeId: string;
  let caseId: string;
  let offerId: string;
  const names: Record<string, { organisation: string; person: string }> = {};

  const get = async <T,>(who: Member, path: string, status = 200): Promise<T> => {
    const response = await h.call(who, 'GET', path);
    const body = (await response.json()) as T & { detail?: string };
    expect(response.status, `${path}: ${body.detail ?? ''}`).toBe(status);
    return body;
  };
  const post = async <T,>(who: Member, path: string, body: unknown): Promise<T> => {
    const response = await h.call(who, 'POST', path, body);
    const json = (await response.json()) as T & { detail?: string };
    expect(response.status, `${path}: ${json.detail ?? ''}`).toBe(200);
    return json;
  };
  const programme = (suffix = '') => `/v1/programmes/${programmeId}${suffix}`;
  const kase = (suffix = '') => `/v1/cases/${caseId}${suffix}`;
  const gate = (id: string, action: string) => kase(`/gates/${id}/${action}`);
  const namesOf = async (who: Member) => {
    const [row] = await h.sql<{ organisation: string; person: string }[]>`
      SELECT o.name AS organisation, p.name AS person FROM people p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ${who.personId}`;
    return row!;
  };

  beforeAll(async () => {
    ({ members: m, parties } = await createParties(h.sql, template));
    stranger = await createOrganisation(h.sql, 'sponsor_group', 'en', 'stranger');
    ministry = await createOrganisation(h.sql, 'national_agency', 'en', 'ministry');
    for (const slot of Object.keys(m)) names[slot] = await namesOf(m[slot]!);
    names.ministry = await namesOf(ministry);
    const created = await h.call(m.coordinator!, 'POST', '/v1/programmes', {
      name: 'Parity pilot',
      pathway: template.id,
      quota: 5,
      coordinatorOrganisationId: parties.coordinator,
      mouSignatories: [parties.coordinator, parties.municipality, ministry.organisationId],
    });
    expect(created.status).toBe(201);
    programmeId = ((await created.json()) as { id: string }).id;
  });

  it("gives the MoU's text to its coordinator and signatories, and to nobody else", async () => {
    await expect.poll(async () => (await get<{ state: unknown }>(m.coordinator!, programme())).state, { timeout: 20_000 }).not.toBeNull();
    expect(await get(m.municipality!, programme('/agreement'), 404)).toMatchObject({ title: 'Agreement not published' });
    await post(m.coordinator!, programme('/agreement/publish'), { title: 'Memorandum of understanding', text: 'Article 1: places for five households.' });
    const { state } = await get<{ state: { mou: { document: { contentHash: string } } } }>(m.coordinator!, programme());
    for (const who of [m.coordinator!, m.municipality!, ministry]) {
      expect(await get(who, programme('/agreement'))).toEqual({
        programmeId,
        version: 1,
        title: 'Memorandum of understanding',
        url: null,
        text: 'Article 1: places for five households.',
        contentHash: state.mou.document.contentHash,
        executedAt: null,
      });
    }
    // The sponsor group will take part in the programme's case, but does not sign its MoU.
    for (const who of [m.sponsor!, stranger]) expect(await get(who, programme('/agreement'), 404)).toMatchObject({ title: 'Programme not found' });
  });

  it('tells the coordinator and the signatories who asked for MoU changes, when and why; the person only to their own organisation and the coordinator', async () => {
    await post(m.municipality!, programme('/agreement/request-changes'), { comment: 'Article 4 should name the reception budget.' });
    for (const who of [m.coordinator!, ministry, m.municipality!]) {
      const { changeRequests } = await get<{ changeRequests: unknown[] }>(who, programme());
      expect(changeRequests).toEqual([
        { organisation: { id: parties.municipality, name: names.municipality!.organisation }, version: 1, comment: 'Article 4 should name the reception budget.', at: expect.any(String) },
      ]);
    }
    const requestOf = async (who: Member) => {
      const timeline = await get<Timeline>(who, programme('/timeline'));
      expect(timeline.organisations[parties.municipality!]).toBe(names.municipality!.organisation);
      return timeline.items.find((e) => e.kind === 'mou_changes_requested')!;
    };
    const asCoordinator = await requestOf(m.coordinator!);
    expect(asCoordinator).toMatchObject({
      actor: m.municipality!.personId,
      reason: 'Article 4 should name the reception budget.',
      by: { organisation: { id: parties.municipality, name: names.municipality!.organisation }, person: { id: m.municipality!.personId, name: names.municipality!.person } },
    });
    expect((await requestOf(m.municipality!)).by!.person.name).toBe(names.municipality!.person);
    const asMinistry = await requestOf(ministry);
    expect(asMinistry.by!.organisation.name).toBe(names.municipality!.organisation);
    expect(asMinistry.by!.person.name).toBeNull();
    expect(asMinistry.reason).toBe('Article 4 should name the reception budget.');
    // The publisher is named too: the coordinator's own person to the coordinator, not to a signatory.
    const published = (who: Member) => get<Timeline>(who, programme('/timeline')).then((t) => t.items.find((e) => e.kind === 'mou_published')!.by!.person.name);
    expect(await published(m.coordinator!)).toBe(names.coordinator!.person);
    expect(await published(ministry)).toBeNull();
    // Paged by the last id read; nobody outside the programme reads it.
    const all = await get<Timeline>(m.coordinator!, programme('/timeline'));
    expect((await get<Timeline>(m.coordinator!, programme(`/timeline?after=${all.items.at(-1)!.id}`))).items).toEqual([]);
    expect((await get<Timeline>(m.coordinator!, programme('/timeline?limit=1'))).items.map((e) => e.id)).toEqual([all.items[0]!.id]);
    for (const who of [m.sponsor!, stranger]) await get(who, programme('/timeline'), 404);
  });

  it('lists the programmes an organisation coordinates or signs, page by page, with what waits on its signature', async () => {
    await post(m.coordinator!, programme('/agreement/publish'), { title: 'Memorandum of understanding', text: 'Article 1: places for five households. Article 4: the budget.' });
    const other = await h.call(m.coordinator!, 'POST', '/v1/programmes', { name: 'Parity other', pathway: template.id, quota: 1, coordinatorOrganisationId: parties.coordinator, mouSignatories: [parties.coordinator] });
    const otherId = ((await other.json()) as { id: string }).id;

    const walk = async (who: Member) => {
      const all: ListedProgramme[] = [];
      let cursor: string | null = null;
      do {
        const page: Page<ListedProgramme> = await get<Page<ListedProgramme>>(who, `/v1/programmes?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.items.length).toBeLessThanOrEqual(1);
        all.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
      return all;
    };
    // Newest first: the other programme, then this one.
    expect((await walk(m.coordinator!)).map((p) => p.id)).toEqual([otherId, programmeId]);
    expect((await walk(m.municipality!)).map((p) => p.id)).toEqual([programmeId]);
    for (const who of [m.sponsor!, stranger]) expect(await walk(who)).toEqual([]);

    const mine = async (who: Member) => (await get<Page<ListedProgramme>>(who, '/v1/programmes')).items.find((p) => p.id === programmeId)!;
    await expect.poll(async () => (await mine(m.municipality!)).summary?.mou.version).toBe(2);
    expect(await mine(m.municipality!)).toMatchObject({ coordinating: false, signatory: true, toSign: true, status: 'negotiating' });
    expect(await mine(m.coordinator!)).toMatchObject({ coordinating: true, signatory: true, toSign: true });
    for (const who of [m.coordinator!, m.municipality!, ministry]) await post(who, programme('/agreement/sign'), { version: 2 });
    await expect.poll(async () => (await mine(m.municipality!)).status).toBe('active');
    expect(await mine(m.municipality!)).toMatchObject({ toSign: false });
    expect((await h.call(m.coordinator!, 'GET', '/v1/programmes?cursor=not-a-cursor')).status).toBe(400);
  });

  it("gives a housing offer's address to who offered it, who must answer it and the coordinator — not to the case's other parties", async () => {
    const withoutCoordinator = Object.fromEntries(Object.entries(parties).filter(([slot]) => slot !== 'coordinator'));
    const created = await h.call(m.coordinator!, 'POST', '/v1/cases', { reference: 'PARITY-1', programmeId, parties: withoutCoordinator, household: { principalName: 'P' } });
    expect(created.status).toBe(201);
    caseId = ((await created.json()) as { id: string }).id;
    await expect.poll(async () => (await get<CaseBody>(m.coordinator!, kase())).state?.stage?.id, { timeout: 20_000 }).toBe('eligibility');
    await post(m.coordinator!, gate('eligibility', 'decision'), { outcome: 'approve' });
    // Commitment takes a place in the programme: its steps wait until the programme reserved it.
    await expect.poll(async () => (await get<CaseBody>(m.coordinator!, kase())).state?.place, { timeout: 20_000 }).toBe('reserved');
    await post(m.coordinator!, gate('sponsor-plan', 'decision'), { outcome: 'approve' });
    expect((await post<NonNullable<CaseBody['state']>>(m.municipality!, gate('municipal-consent', 'decision'), { outcome: 'approve' })).stage!.id).toBe('housing');
    const validUntil = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const offered = await post<NonNullable<CaseBody['state']>>(m.municipality!, gate('housing', 'offer'), { address: 'Herengracht 12, Amsterdam', rooms: 2, accessible: false, availableFrom: '2027-03-01', validUntil });
    offerId = (offered.gates.find((g) => g.id === 'housing')!.detail.offers as Offer[])[0]!.offerId;

    const offerAs = async (who: Member) => {
      const response = await h.call(who, 'GET', kase());
      expect(response.status).toBe(200);
      const text = await response.text();
      const body = JSON.parse(text) as CaseBody;
      return { text, offer: (body.state!.gates.find((g) => g.id === 'housing')!.detail.offers as Offer[]).find((o) => o.offerId === offerId)! };
    };
    // The municipality offered it, the sponsor group answers it (the housing step's respondent), the coordinator runs the case.
    for (const slot of ['municipality', 'sponsor', 'coordinator']) expect((await offerAs(m[slot]!)).offer.address, slot).toBe('Herengracht 12, Amsterdam');
    for (const slot of ['immigration', 'iom']) {
      const { text, offer } = await offerAs(m[slot]!);
      expect(offer.offerId, slot).toBe(offerId);
      expect(offer, slot).not.toHaveProperty('address');
      expect(text, slot).not.toContain('Herengracht');
    }
    expect(await get(stranger, kase(), 404)).toMatchObject({ title: 'Case not found' });
  });

  it("gives the case's agreement text to its signatories and the coordinator: 403 to other parties, 404 to outsiders", async () => {
    expect((await post<NonNullable<CaseBody['state']>>(m.sponsor!, gate('housing', 'accept'), { offerId })).stage!.id).toBe('agreement');
    const document = gate('sponsorship-agreement', 'document');
    expect(await get(m.coordinator!, document, 404)).toMatchObject({ title: 'Agreement not published' });
    const published = await post<NonNullable<CaseBody['state']>>(m.coordinator!, gate('sponsorship-agreement', 'publish'), { title: 'Sponsorship agreement', text: 'Twelve months of support, a home and a language course.' });
    const contentHash = published.gates.find((g) => g.id === 'sponsorship-agreement')!.detail.document.contentHash as string;
    for (const slot of ['sponsor', 'municipality', 'coordinator']) {
      expect(await get(m[slot]!, document), slot).toEqual({
        gateId: 'sponsorship-agreement',
        version: 1,
        title: 'Sponsorship agreement',
        url: null,
        text: 'Twelve months of support, a home and a language course.',
        contentHash,
        executedAt: null,
      });
    }
    for (const slot of ['immigration', 'iom']) expect(await get(m[slot]!, document, 403), slot).toMatchObject({ title: 'Not a signatory' });
    expect(await get(stranger, document, 404)).toMatchObject({ title: 'Case not found' });
    expect(await get(m.coordinator!, gate('housing', 'document'), 404)).toMatchObject({ title: 'Agreement not found' });
  });

  it('names who acted on the timeline: the organisation to every party, the person to their own organisation and the coordinator', async () => {
    const offeredBy = async (who: Member) => {
      const timeline = await get<Timeline>(who, kase('/timeline'));
      expect(timeline.organisations[parties.municipality!]).toBe(names.municipality!.organisation);
      const event = timeline.items.find((e) => e.kind === 'housing_offered')!;
      expect(event.actor).toBe(m.municipality!.personId);
      expect(event.by!.organisation).toEqual({ id: parties.municipality, name: names.municipality!.organisation });
      expect(event.by!.person.id).toBe(m.municipality!.personId);
      return event.by!.person.name;
    };
    await expect.poll(async () => (await get<Timeline>(m.sponsor!, kase('/timeline'))).items.some((e) => e.kind === 'housing_offered')).toBe(true);
    expect(await offeredBy(m.municipality!)).toBe(names.municipality!.person);
    expect(await offeredBy(m.coordinator!)).toBe(names.municipality!.person);
    for (const slot of ['sponsor', 'immigration', 'iom']) expect(await offeredBy(m[slot]!), slot).toBeNull();
    // A stage beginning is the system's doing: no one is named.
    const opened = (await get<Timeline>(m.sponsor!, kase('/timeline'))).items.find((e) => e.kind === 'stage_entered')!;
    expect(opened).toMatchObject({ actor: 'system', by: null });
    await get(stranger, kase('/timeline'), 404);
  });

  it('marks a listed case held by its coordinator, or paused with its programme, and neither once it goes on', async () => {
    const listed = async (who: Member) => (await get<Page<{ id: string; onHold: string | null }>>(who, `/v1/cases?programmeId=${programmeId}`)).items.find((i) => i.id === caseId)?.onHold;
    expect(await listed(m.sponsor!)).toBeNull();
    await post(m.coordinator!, kase('/hold'), { reason: 'Waiting for the passports.' });
    await expect.poll(() => listed(m.sponsor!)).toBe('held');
    expect((await get<Page<{ id: string }>>(m.sponsor!, `/v1/cases?onHold=held&programmeId=${programmeId}`)).items.map((i) => i.id)).toEqual([caseId]);
    const held = (await get<Timeline>(m.sponsor!, kase('/timeline'))).items.find((e) => e.kind === 'case_held')!;
    expect(held).toMatchObject({ reason: 'Waiting for the passports.', by: { organisation: { id: parties.coordinator }, person: { name: null } } });
    await post(m.coordinator!, kase('/resume'), {});
    await expect.poll(() => listed(m.sponsor!)).toBeNull();

    await post(m.coordinator!, programme('/pause'), { reason: 'Elections.' });
    await expect.poll(() => listed(m.municipality!), { timeout: 30_000 }).toBe('paused');
    await post(m.coordinator!, programme('/resume'), {});
    await expect.poll(() => listed(m.municipality!), { timeout: 30_000 }).toBeNull();
    expect(await listed(stranger)).toBeUndefined();
  });

  it('reads every page of these through an index', async () => {
    const statements: { query: string; parameters: unknown[] }[] = [];
    const sql = connectDb(inject('databaseUrl'), { max: 1, debug: (_c, query, parameters) => void statements.push({ query, parameters }) });
    try {
      const callerOf = (who: Member, organisationKind: Caller['organisationKind']): Caller => ({ ...who.actor, organisationKind, language: 'en' });
      const coordinator = callerOf(m.coordinator!, 'coordinator');
      const sponsor = callerOf(m.sponsor!, 'sponsor_group');
      const state = (await get<CaseBody>(m.coordinator!, kase())).state as never;
      await readableAddresses(sql, sponsor, { id: caseId, coordinator: parties.coordinator! }, state);
      await readableCaseAgreements(sql, sponsor, { id: caseId, coordinator: parties.coordinator! }, state);
      await caseTimeline(sql, sponsor, caseId, { after: 1, limit: 5 });
      await caseTimeline(sql, sponsor, caseId, { limit: 5, newestFirst: true });
      const first = await listProgrammes(sql, coordinator, { limit: 1 });
      await listProgrammes(sql, coordinator, { limit: 1, cursor: first.nextCursor! });
      await listProgrammes(sql, callerOf(ministry, 'national_agency'), { limit: 1 });
      await programmeTimeline(sql, coordinator, programmeId, { limit: 5 });
      const read = await readProgramme({ sql, temporal: h.client }, coordinator, programmeId);
      await mouText(sql, programmeId, read.state);
      expect(statements.length).toBeGreaterThan(12);

      const scans: string[] = [];
      await h.sql.begin(async (tx) => {
        // With sequential scans priced out, a plan that still reads a whole table — by a sequential
        // scan, or through some index without a condition on it — found no index for its question.
        await tx`SET LOCAL enable_seqscan = off`;
        for (const { query, parameters } of statements.filter((s) => !s.query.includes('pg_catalog'))) {
          const [row] = await tx.unsafe<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(`EXPLAIN (FORMAT JSON) ${query}`, parameters as never[]);
          for (const node of nodes(row!['QUERY PLAN'][0]!.Plan)) {
            const wholeIndex = INDEX_READS.includes(node['Node Type']) && !node['Index Cond'];
            if (node['Node Type'] === 'Seq Scan' || wholeIndex) scans.push(`${node['Node Type']} of ${node['Relation Name'] ?? node['Index Name']} in: ${query.replace(/\s+/g, ' ').slice(0, 160)}`);
          }
        }
      });
      expect(scans).toEqual([]);
    } finally {
      await sql.end();
    }
  });
});

const INDEX_READS = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'];
type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] };
function* nodes(plan: PlanNode): Generator<PlanNode> {
  yield plan;
  for (const child of plan.Plans ?? []) yield* nodes(child);
}
