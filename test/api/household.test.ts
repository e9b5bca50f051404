// The household, to those who need it (usecases/household.ts): each party of a case sees its level
// of the household — the municipality asked for housing no name — through the API and on the case
// page alike; every read that returns personal data is logged once, and only the case's
// coordinator reads that log.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { connectDb } from '../../infra/db.js';
import type { Caller } from '../../usecases/caller.js';
import { readHousehold, readLog } from '../../usecases/household.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const sponsorship = builtInTemplates['community-sponsorship']!;
const education = builtInTemplates['education-pathway']!;
const thisYear = new Date().getUTCFullYear();

const PRINCIPAL = 'Amira Qasemzadeh';
const SPOUSE = 'Bashir Qasemzadeh';
const CHILD = 'Dunya Qasemzadeh';
const household = {
  principalName: PRINCIPAL,
  members: [
    { name: SPOUSE, birthYear: thisYear - 41, relation: 'spouse' },
    { name: CHILD, birthYear: thisYear - 9, relation: 'child' },
  ],
  needs: ['step-free access'],
};

type Household = {
  caseId: string;
  level: string;
  size: number;
  principal: { name: string } | null;
  members: { name?: string; birthYear?: number; age: number | null; relation: string | null }[];
  needs: string[];
};
type Read = { id: string; at: string; reader: { personId: string; name: string; organisation: { id: string; kind: string } }; level: string; fields: string[]; door: string };
type ReadPage = { items: Read[]; nextCursor: string | null };

describe('the household, to those who need it', () => {
  const h = useApi('household');
  let m: Record<string, Member>;
  let edu: Record<string, Member>;
  let stranger: Member;
  let caseId: string;
  let eduCaseId: string;
  let soloCaseId: string;

  const open = async (who: Member, body: Record<string, unknown>) => {
    const response = await h.call(who, 'POST', '/v1/cases', body);
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const read = async (who: Member, id = caseId, status = 200) => {
    const response = await h.call(who, 'GET', `/v1/cases/${id}/household`);
    const text = await response.text();
    expect(response.status, text).toBe(status);
    return { text, body: JSON.parse(text) as Household };
  };
  const logged = async (id: string) => Number((await h.sql<{ n: string }[]>`SELECT count(*) AS n FROM personal_data_reads WHERE case_id = ${id}`)[0]!.n);

  beforeAll(async () => {
    let parties: Record<string, string>;
    ({ members: m, parties } = await createParties(h.sql, sponsorship));
    stranger = await createOrganisation(h.sql, 'sponsor_group', 'en', 'stranger');
    caseId = await open(m.coordinator!, { reference: 'HH-1', pathwayId: sponsorship.id, parties, household });
    soloCaseId = await open(m.coordinator!, { reference: 'HH-SOLO', pathwayId: sponsorship.id, parties, household: { principalName: 'Solo Principal' } });
    let eduParties: Record<string, string>;
    ({ members: edu, parties: eduParties } = await createParties(h.sql, education));
    eduCaseId = await open(edu.coordinator!, { reference: 'HH-EDU', pathwayId: education.id, parties: eduParties, household });
  });

  it('shows everything to the coordinator, the sponsor group and the national agencies', async () => {
    for (const who of [m.coordinator!, m.sponsor!, m.immigration!, m.iom!]) {
      const { body } = await read(who);
      expect(body).toEqual({
        caseId,
        level: 'full',
        size: 3,
        principal: { name: PRINCIPAL },
        members: [
          { name: SPOUSE, birthYear: thisYear - 41, age: 41, relation: 'spouse' },
          { name: CHILD, birthYear: thisYear - 9, age: 9, relation: 'child' },
        ],
        needs: ['step-free access'],
      });
    }
  });

  it('shows the municipality asked for housing its size, ages and needs, and no name', async () => {
    const { body, text } = await read(m.municipality!);
    expect(body).toEqual({
      caseId,
      level: 'housing',
      size: 3,
      principal: null,
      members: [
        { age: 41, relation: 'spouse' },
        { age: 9, relation: 'child' },
      ],
      needs: ['step-free access'],
    });
    for (const name of [PRINCIPAL, SPOUSE, CHILD, 'Qasemzadeh']) expect(text).not.toContain(name);
  });

  it('shows the university its student by name, and the other members without names', async () => {
    const { body, text } = await read(edu.university!, eduCaseId);
    expect(body).toMatchObject({ level: 'principal', size: 3, principal: { name: PRINCIPAL }, needs: ['step-free access'] });
    expect(body.members).toEqual([
      { age: 41, relation: 'spouse' },
      { age: 9, relation: 'child' },
    ]);
    expect(text).not.toContain(SPOUSE);
    expect(text).not.toContain(CHILD);
    expect((await read(edu['student-sponsor']!, eduCaseId)).body.level).toBe('full');
    expect((await read(edu.municipality!, eduCaseId)).body.level).toBe('housing');
  });

  it('answers 404 to an organisation that takes no part in the case, and logs nothing', async () => {
    const before = await logged(caseId);
    const { body } = await read(stranger, caseId, 404);
    expect(body).toMatchObject({ status: 404, title: 'Case not found' });
    expect((await h.call(edu.university!, 'GET', `/v1/cases/${caseId}/household`)).status).toBe(404);
    expect(await logged(caseId)).toBe(before);
  });

  it('logs each read of personal data once — who, which case, what, when — and a read of nothing personal not at all', async () => {
    const before = await logged(caseId);
    const started = new Date();
    await read(m.municipality!);
    expect(await logged(caseId)).toBe(before + 1);
    const [row] = await h.sql<{ personId: string; organisationId: string; level: string; fields: string[]; door: string; at: Date }[]>`
      SELECT person_id AS "personId", organisation_id AS "organisationId", level, fields, door, at FROM personal_data_reads WHERE case_id = ${caseId} ORDER BY id DESC LIMIT 1`;
    expect(row).toMatchObject({ personId: m.municipality!.personId, organisationId: m.municipality!.organisationId, level: 'housing', fields: ['ages', 'relations', 'needs'], door: 'api' });
    expect(row!.at.getTime()).toBeGreaterThanOrEqual(started.getTime() - 1000);
    await read(m.sponsor!);
    expect(await logged(caseId)).toBe(before + 2);

    // A household of one without needs, read without its name: nothing personal, nothing logged.
    const { body } = await read(m.municipality!, soloCaseId);
    expect(body).toEqual({ caseId: soloCaseId, level: 'housing', size: 1, principal: null, members: [], needs: [] });
    expect(await logged(soloCaseId)).toBe(0);
    // The coordinator reads its name: logged.
    expect((await read(m.coordinator!, soloCaseId)).body.principal).toEqual({ name: 'Solo Principal' });
    expect(await logged(soloCaseId)).toBe(1);
  });

  it('gives the log to the coordinator of the case only, newest first, paged', async () => {
    await read(m.municipality!);
    await read(m.immigration!);
    const response = await h.call(m.coordinator!, 'GET', `/v1/cases/${caseId}/reads?limit=2`);
    expect(response.status).toBe(200);
    const first = (await response.json()) as ReadPage;
    expect(first.items.map((r) => r.reader.personId)).toEqual([m.immigration!.personId, m.municipality!.personId]);
    expect(first.items[1]).toMatchObject({ level: 'housing', fields: ['ages', 'relations', 'needs'], door: 'api', reader: { organisation: { id: m.municipality!.organisationId, kind: 'municipality' } } });
    expect(first.nextCursor).not.toBeNull();

    const all: Read[] = [...first.items];
    for (let cursor = first.nextCursor; cursor; ) {
      const page = (await (await h.call(m.coordinator!, 'GET', `/v1/cases/${caseId}/reads?limit=2&cursor=${encodeURIComponent(cursor)}`)).json()) as ReadPage;
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(all).toHaveLength(await logged(caseId));
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(all.map((r) => r.at)).toEqual([...all.map((r) => r.at)].sort().reverse());
    // Reading the log is no read of the household.
    expect(await logged(caseId)).toBe(all.length);

    for (const who of [m.sponsor!, m.municipality!, m.immigration!]) {
      const refused = await h.call(who, 'GET', `/v1/cases/${caseId}/reads`);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ title: 'Not the coordinator' });
    }
    expect((await h.call(stranger, 'GET', `/v1/cases/${caseId}/reads`)).status).toBe(404);
    expect((await h.call(m.coordinator!, 'GET', `/v1/cases/${caseId}/reads?cursor=bm90LWEtY3Vyc29y`)).status).toBe(400);
  });

  it("shows the municipality's case page the ages and needs but no name, and the coordinator's page who read it", async () => {
    const municipality = new Visitor(h.app);
    await signedIn(municipality, m.municipality!);
    const before = await logged(caseId);
    const page = await municipality.get(`/cases/${caseId}`);
    expect(page.status).toBe(200);
    const text = await textOf(page);
    expect(text).toContain('Household');
    expect(text).toContain('3 people');
    expect(text).toContain('age 41');
    expect(text).toContain('age 9');
    expect(text).toContain('step-free access');
    for (const name of [PRINCIPAL, SPOUSE, CHILD, 'Qasemzadeh']) expect(text).not.toContain(name);
    expect(text).not.toContain('Who read the household');
    expect(await logged(caseId)).toBe(before + 1);
    const [last] = await h.sql<{ door: string; personId: string }[]>`SELECT door, person_id AS "personId" FROM personal_data_reads WHERE case_id = ${caseId} ORDER BY id DESC LIMIT 1`;
    expect(last).toEqual({ door: 'web', personId: m.municipality!.personId });

    const coordinator = new Visitor(h.app);
    await signedIn(coordinator, m.coordinator!);
    const coordinatorPage = await textOf(await coordinator.get(`/cases/${caseId}`));
    expect(coordinatorPage).toContain(PRINCIPAL);
    expect(coordinatorPage).toContain(CHILD);
    expect(coordinatorPage).toContain('Who read the household');
    const [person] = await h.sql<{ name: string }[]>`SELECT name FROM people WHERE id = ${m.municipality!.personId}`;
    expect(coordinatorPage).toContain(person!.name);
  });

  it('reads the household and every page of its log through an index', async () => {
    const statements: { query: string; parameters: unknown[] }[] = [];
    const sql = connectDb(inject('databaseUrl'), { max: 1, debug: (_c, query, parameters) => void statements.push({ query, parameters }) });
    try {
      const coordinator: Caller = { ...m.coordinator!.actor, organisationKind: 'coordinator', language: 'en' };
      await readHousehold({ sql }, coordinator, caseId);
      const first = await readLog({ sql }, coordinator, caseId, { limit: 1 });
      await readLog({ sql }, coordinator, caseId, { limit: 1, cursor: first.nextCursor! });
      const selects = statements.filter((s) => /^\s*SELECT/i.test(s.query) && !s.query.includes('pg_catalog'));
      expect(selects.length).toBeGreaterThanOrEqual(5);
      const scans: string[] = [];
      await h.sql.begin(async (tx) => {
        await tx`SET LOCAL enable_seqscan = off`;
        for (const { query, parameters } of selects) {
          const [row] = await tx.unsafe<{ 'QUERY PLAN': { Plan: PlanNode }[] }[]>(`EXPLAIN (FORMAT JSON) ${query}`, parameters as never[]);
          for (const node of nodes(row!['QUERY PLAN'][0]!.Plan)) {
            const wholeIndex = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'].includes(node['Node Type']) && !node['Index Cond'];
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

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; 'Index Cond'?: string; Plans?: PlanNode[] };
function* nodes(plan: PlanNode): Generator<PlanNode> {
  yield plan;
  for (const child of plan.Plans ?? []) yield* nodes(child);
}
