/**
 * Demo data for exploring SafeRoutes: organisations, people (their API tokens printed), a
 * programme per pathway with its MoU signed, and cases at different stages — made through the
 * running API, so every case is a real workflow. People sign in to the pages with their email
 * address. Run beside `npm start`: `npm run seed`.
 * Running it again issues fresh tokens and creates nothing twice.
 */
import { issueToken } from '../usecases/tokens.js';
import { resolve } from 'node:path';
import { stackToUse } from '../devstack/running-stack.js';
import type { OrganisationKind, Role } from '../domain/organisation.js';
import { builtInTemplates } from '../domain/templates/index.js';
import { loadEnv } from '../infra/config.js';
import { connectDb } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';
import { projectRoot } from '../infra/paths.js';

const env = loadEnv();
let stack: { databaseUrl: string; apiUrl: string };
try {
  stack = stackToUse(env, resolve(projectRoot, env.DATA_DIR));
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
const api = process.env.SEED_API_URL ?? stack.apiUrl;
const sql = connectDb(stack.databaseUrl, { max: 2 });

const ORGS: { key: string; name: string; kind: OrganisationKind; person: string; role: Role; language: 'en' | 'nl' }[] = [
  { key: 'admin', name: 'SafeRoutes beheer', kind: 'coordinator', person: 'Beheerder', role: 'admin', language: 'nl' },
  { key: 'coordinator', name: 'VluchtelingenWerk (demo)', kind: 'coordinator', person: 'Carla Coördinator', role: 'coordinator', language: 'nl' },
  { key: 'kerkgroep', name: 'Kerkgroep Utrecht', kind: 'sponsor_group', person: 'Anna de Vries', role: 'sponsor', language: 'nl' },
  { key: 'students', name: 'Student sponsors Leiden', kind: 'sponsor_group', person: 'Sam Okafor', role: 'sponsor', language: 'en' },
  { key: 'utrecht', name: 'Gemeente Utrecht', kind: 'municipality', person: 'Mark Jansen', role: 'municipal_officer', language: 'nl' },
  { key: 'leiden', name: 'Gemeente Leiden', kind: 'municipality', person: 'Fatima El Amrani', role: 'municipal_officer', language: 'nl' },
  { key: 'university', name: 'Universiteit Leiden', kind: 'university', person: 'Dr. Eva Bakker', role: 'university_officer', language: 'en' },
  { key: 'ind', name: 'IND', kind: 'national_agency', person: 'Peter Visser', role: 'agency_officer', language: 'nl' },
  { key: 'iom', name: 'IOM Nederland', kind: 'national_agency', person: 'Lina Haddad', role: 'agency_officer', language: 'en' },
  { key: 'coa', name: 'COA', kind: 'national_agency', person: 'Joost de Boer', role: 'agency_officer', language: 'nl' },
  { key: 'bz', name: 'Ministerie van Buitenlandse Zaken', kind: 'national_agency', person: 'Sara Smit', role: 'agency_officer', language: 'nl' },
];

async function call(token: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = (await response.json()) as any;
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${json.detail ?? json.title}`);
  return json;
}

async function waitFor(token: string, caseId: string, done: (state: any) => boolean): Promise<any> {
  for (let i = 0; i < 50; i++) {
    const { state } = await call(token, 'GET', `/v1/cases/${caseId}`);
    if (state && done(state)) return state;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`case ${caseId} did not move on`);
}

try {
  await fetch(`${api}/health`).catch(() => {
    throw new Error(`SafeRoutes is not reachable at ${api}: start it with \`npm start\` first`);
  });
  await migrate(sql);
  const [existing] = await sql`SELECT 1 FROM organisations WHERE name = 'VluchtelingenWerk (demo)'`;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  for (const o of ORGS) {
    const [org] = await sql<{ id: string }[]>`SELECT id FROM organisations WHERE name = ${o.name}`;
    ids[o.key] = org?.id ?? (await sql<{ id: string }[]>`INSERT INTO organisations (name, kind) VALUES (${o.name}, ${o.kind}) RETURNING id`)[0]!.id;
    const email = `${o.key}@demo.saferoutes.example`;
    await sql`INSERT INTO people (organisation_id, name, email, role, language) VALUES (${ids[o.key]!}, ${o.person}, ${email}, ${o.role}, ${o.language}) ON CONFLICT (email) DO NOTHING`;
    const [person] = await sql<{ id: string }[]>`SELECT id FROM people WHERE email = ${email}`;
    tokens[o.key] = (await issueToken(sql, person!.id, 'demo seed')).token;
  }

  if (!existing) {
    const c = tokens.coordinator!;
    const programme = async (name: string, pathway: unknown, quota: number, signatories: string[]) => {
      const { id } = await call(c, 'POST', '/v1/programmes', { name, pathway, quota, coordinatorOrganisationId: ids.coordinator, mouSignatories: signatories.map((k) => ids[k]) });
      await call(c, 'POST', `/v1/programmes/${id}/agreement/publish`, { title: `MoU ${name}`, text: `Memorandum of understanding for ${name}.` });
      for (const k of signatories) await call(tokens[k]!, 'POST', `/v1/programmes/${id}/agreement/sign`, { version: 1 });
      return id as string;
    };
    const sponsorship = await programme('Community sponsorship pilot Utrecht 2027', 'community-sponsorship', 10, ['coordinator', 'kerkgroep', 'utrecht', 'ind']);
    const corridor = await programme('Humanitarian corridor Lebanon → Netherlands 2027', 'humanitarian-corridor', 200, ['coordinator', 'kerkgroep', 'bz']);
    const education = await programme('Education pathway Leiden 2027', 'education-pathway', 5, ['coordinator', 'students', 'university', 'leiden']);
    const resettlement = await programme('Resettlement quota 2027', 'resettlement', 50, ['coordinator', 'ind', 'coa']);
    const matched = await programme('Matched sponsorship Utrecht 2027', 'matched-sponsorship', 10, ['coordinator', 'kerkgroep', 'students', 'utrecht', 'ind']);
    const fast = builtInTemplates['community-sponsorship']!;
    const fastClock = await programme(
      'Demo: a two-minute clock',
      { ...fast, id: 'community-sponsorship-demo-clock', name: 'Community sponsorship (demo clock)', stages: fast.stages.map((s) => ({ ...s, gates: s.gates.map((g) => ({ ...g, time: { dueIn: '2 minutes', remindAt: ['1 minute'], escalateEvery: '5 minutes' } })) })) },
      3,
      ['coordinator', 'kerkgroep'],
    );

    const sponsorshipParties = { coordinator: ids.coordinator, sponsor: ids.kerkgroep, municipality: ids.utrecht, immigration: ids.ind, iom: ids.iom };
    const newCase = async (token: string, reference: string, programmeId: string, parties: Record<string, string | undefined>) =>
      (await call(token, 'POST', '/v1/cases', { reference, programmeId, parties, household: { principalName: `Demo household ${reference}`, members: [{ name: 'Child', birthYear: 2017 }], needs: [] } })).id as string;
    const gate = (id: string, g: string, action: string) => `/v1/cases/${id}/gates/${g}/${action}`;

    // Community sponsorship: one just referred, one waiting on the sponsor's answer to an offer, one in the agreement.
    await newCase(tokens.kerkgroep!, 'CS-2027-001', sponsorship, sponsorshipParties);
    const housing = await newCase(tokens.kerkgroep!, 'CS-2027-002', sponsorship, sponsorshipParties);
    await call(c, 'POST', gate(housing, 'eligibility', 'decision'), { outcome: 'approve' });
    await waitFor(c, housing, (s) => s.gates.length === 2);
    await call(c, 'POST', gate(housing, 'sponsor-plan', 'decision'), { outcome: 'approve' });
    await call(tokens.utrecht!, 'POST', gate(housing, 'municipal-consent', 'decision'), { outcome: 'approve' });
    await call(tokens.utrecht!, 'POST', gate(housing, 'housing', 'offer'), { address: 'Kanaalstraat 12, Utrecht', rooms: 3, accessible: true, availableFrom: '2027-03-01', validUntil: new Date(Date.now() + 10 * 86_400_000).toISOString() });
    // Waiting on Gemeente Utrecht for a housing offer: an officer makes one in the browser.
    const toOffer = await newCase(tokens.kerkgroep!, 'CS-2027-004', sponsorship, sponsorshipParties);
    await call(c, 'POST', gate(toOffer, 'eligibility', 'decision'), { outcome: 'approve' });
    await waitFor(c, toOffer, (s) => s.gates.length === 2);
    await call(c, 'POST', gate(toOffer, 'sponsor-plan', 'decision'), { outcome: 'approve' });
    await call(tokens.utrecht!, 'POST', gate(toOffer, 'municipal-consent', 'decision'), { outcome: 'approve' });
    const agreement = await newCase(tokens.kerkgroep!, 'CS-2027-003', sponsorship, sponsorshipParties);
    await call(c, 'POST', gate(agreement, 'eligibility', 'decision'), { outcome: 'approve' });
    await waitFor(c, agreement, (s) => s.gates.length === 2);
    await call(c, 'POST', gate(agreement, 'sponsor-plan', 'decision'), { outcome: 'approve' });
    await call(tokens.utrecht!, 'POST', gate(agreement, 'municipal-consent', 'decision'), { outcome: 'approve' });
    const offered = await call(tokens.utrecht!, 'POST', gate(agreement, 'housing', 'offer'), { address: 'Amsterdamsestraatweg 200, Utrecht', rooms: 4, accessible: false, availableFrom: '2027-02-15', validUntil: new Date(Date.now() + 10 * 86_400_000).toISOString() });
    await call(tokens.kerkgroep!, 'POST', gate(agreement, 'housing', 'accept'), { offerId: offered.gates[0].detail.offers[0].offerId });
    await call(c, 'POST', gate(agreement, 'sponsorship-agreement', 'publish'), { title: 'Sponsorship agreement CS-2027-003', text: 'The sponsor group supports the household for twelve months.' });
    await call(tokens.kerkgroep!, 'POST', gate(agreement, 'sponsorship-agreement', 'sign'), { version: 1 });

    await newCase(c, 'HC-2027-001', corridor, { coordinator: ids.coordinator, host: ids.kerkgroep, municipality: ids.utrecht, interior: ids.ind, 'foreign-affairs': ids.bz });
    await newCase(tokens.students!, 'EP-2027-001', education, { coordinator: ids.coordinator, 'student-sponsor': ids.students, university: ids.university, municipality: ids.leiden, immigration: ids.ind });
    const resettled = await newCase(c, 'RS-2027-001', resettlement, { coordinator: ids.coordinator, immigration: ids.ind, reception: ids.coa, iom: ids.iom, municipality: ids.leiden });
    await waitFor(c, resettled, (s) => s.gates.length === 1);
    await call(tokens.ind!, 'POST', gate(resettled, 'selection', 'decision'), { outcome: 'approve' });
    await call(tokens.ind!, 'POST', gate(resettled, 'entry-decision', 'decision'), { outcome: 'approve' });
    // The sponsor groups' members and their checks (`/v1/groups/{id}/members`): Kerkgroep Utrecht meets a
    // matched case's checks once matched (every member a certificate of good conduct, one trained);
    // Student sponsors Leiden lacks one certificate, so its step would say what is missing.
    const today = new Date().toISOString().slice(0, 10);
    const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
    const rosters: [string, [string, string[]][]][] = [
      ['kerkgroep', [['Anna de Vries', ['good-conduct', 'training']], ['Joost Bakker', ['good-conduct']], ['Fatima El Amrani', ['good-conduct']]]],
      ['students', [['Sam Okafor', ['good-conduct', 'training']], ['Lotte Visser', []]]],
    ];
    for (const [group, people] of rosters) {
      for (const [name, checks] of people) {
        const member = await call(tokens[group]!, 'POST', `/v1/groups/${ids[group]}/members`, { name });
        for (const check of checks) await call(tokens[group]!, 'POST', `/v1/groups/${ids[group]}/members/${member.id}/checks`, { check, completedOn: today, ...(check === 'good-conduct' ? { validUntil: inAYear } : {}) });
      }
    }

    // Matched sponsorship: referred without a sponsor group; one waits for the coordinator's shortlist, one for Kerkgroep Utrecht's answer.
    const matchedParties = { coordinator: ids.coordinator, municipality: ids.utrecht, immigration: ids.ind };
    for (const reference of ['MS-2027-001', 'MS-2027-002']) {
      const id = await newCase(c, reference, matched, matchedParties);
      await waitFor(c, id, (s) => s.gates.length === 1);
      await call(c, 'POST', gate(id, 'eligibility', 'decision'), { outcome: 'approve' });
      await waitFor(c, id, (s) => s.gates[0]?.id === 'sponsor-match');
      if (reference === 'MS-2027-002') await call(c, 'POST', gate(id, 'sponsor-match', 'propose-match'), { candidates: [ids.kerkgroep, ids.students] });
    }
    // On a two-minute clock: reminded after one minute, on the stuck board after two.
    await newCase(tokens.kerkgroep!, 'DEMO-STUCK-1', fastClock, sponsorshipParties);
  }

  console.log(`\nDemo data ${existing ? 'was already there; fresh tokens' : 'created'} (API ${api}).\n`);
  console.log(`Web pages: open ${api}/ and sign in with one of these addresses; the sign-in link is emailed`);
  console.log(`(with \`npm start\`'s own mail server, read it in the mailbox at http://127.0.0.1:${env.MAILBOX_PORT}).`);
  for (const o of ORGS.filter((x) => x.role !== 'admin')) console.log(`  ${o.role.padEnd(18)} ${o.name.padEnd(34)} ${o.key}@demo.saferoutes.example (${o.language})`);
  console.log('\nAPI tokens (shown once; use as "Authorization: Bearer <token>"):');
  for (const o of ORGS) console.log(`  ${o.role.padEnd(18)} ${o.name.padEnd(34)} ${tokens[o.key]}`);
  console.log(`\nTry: curl -s ${api}/v1/inbox -H "Authorization: Bearer ${tokens.utrecht}"`);
} finally {
  await sql.end();
}
