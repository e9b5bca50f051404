// The lists as CSV (usecases/export.ts): the case list's and the board's filters and scoping, cells
// a spreadsheet would run as formulas neutralised, household columns only when asked and only as
// far as the caller sees each household (every such read recorded), and 20,000 rows streamed a
// page at a time.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { connectDb } from '../../infra/db.js';
import { createMailer } from '../../infra/mailer.js';
import { createApp } from '../../server/app.js';
import { csvCell, csvLine } from '../../usecases/csv.js';
import { EXPORT_PAGE } from '../../usecases/export.js';
import { issueToken } from '../../usecases/tokens.js';
import { useApi } from '../support/api.js';
import { csvRecords } from '../support/csv.js';
import { createParties, createProgrammeRow, type Member } from '../support/fixtures.js';
import { projector } from '../support/projected-cases.js';
import { PUBLIC_URL, TEST_MAIL_FROM } from '../support/stack.js';

const template = builtInTemplates['community-sponsorship']!;
const thisYear = new Date().getUTCFullYear();
/** The classic DDE payload: a spreadsheet that evaluated it would start a program. */
const FORMULA = `=cmd|' /C calc'!A0`;

describe('CSV exports', () => {
  const h = useApi('export');
  const run = randomUUID().slice(0, 8);
  let m: Record<string, Member>;
  let other: Record<string, Member>;
  let parties: Record<string, string>;
  let programmeId: string;
  const ids: Record<string, string> = {};
  let coordinatorName: string;

  const csv = async (who: Member, path: string, status = 200) => {
    const response = await h.call(who, 'GET', path);
    // Decoded keeping the byte-order mark, which Response.text() would drop.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(response.status, text.slice(0, 300)).toBe(status);
    return { response, text, ...csvRecords(text) };
  };
  const readsOf = async (caseId: string) =>
    h.sql<{ level: string; fields: string[]; door: string; organisationId: string }[]>`
      SELECT level, fields, door, organisation_id AS "organisationId" FROM personal_data_reads WHERE case_id = ${caseId} ORDER BY id`;

  beforeAll(async () => {
    let p: Record<string, string>;
    ({ members: m, parties: p } = await createParties(h.sql, template));
    parties = p;
    ({ members: other } = await createParties(h.sql, template));
    programmeId = await createProgrammeRow(h.sql, template, parties.coordinator!, 100);
    // Whose turn it is first (the coordinator's eligibility decision) is an organisation named to run code.
    coordinatorName = `@SUM(1+1)*cmd|' /C calc'!A0 "${run}"`;
    await h.sql`UPDATE organisations SET name = ${coordinatorName} WHERE id = ${parties.coordinator!}`;
    const project = projector(h.sql);
    ids.evil = (await project({ template, parties, reference: `${FORMULA} ${run}`, daysAgo: 30 })).caseId;
    ids.plain = (await project({ template, parties, programmeId, reference: `EXP-${run}-1`, daysAgo: 20 })).caseId;
    ids.held = (await project({ template, parties, reference: `EXP-${run}-2`, daysAgo: 10, held: true })).caseId;
    const otherParties = Object.fromEntries(Object.entries(other).map(([slot, x]) => [slot, x.organisationId]));
    ids.others = (await project({ template, parties: otherParties, reference: `EXP-${run}-3`, daysAgo: 30 })).caseId;
    await h.sql`
      UPDATE case_households SET principal_name = 'Amira Qasemzadeh', needs = ${['step-free access']},
        members = ${h.sql.json([{ name: 'Bashir Qasemzadeh', birthYear: thisYear - 41, relation: 'spouse' }])}
      WHERE case_id = ${ids.plain!}`;
  });

  it('neutralises every cell a spreadsheet would read as a formula, and quotes as RFC 4180 says', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(FORMULA)).toBe(`'${FORMULA}`);
    expect(csvCell('say "hi", then\r\nleave')).toBe('"say ""hi"", then\r\nleave"');
    expect(csvCell('CS-2027-001')).toBe('CS-2027-001');
    expect(csvCell(0)).toBe('0');
    expect(csvLine(['a', null, 3])).toBe('a,,3\r\n');
  });

  it('exports the case list with its filters and scoping, in English, as a download', async () => {
    const { response, text, header, records } = await csv(m.coordinator!, `/v1/cases/export.csv?search=${run}`);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(text.startsWith('\uFEFFReference,')).toBe(true);
    expect(header).toEqual(['Reference', 'Pathway', 'Programme', 'Status', 'Stage', 'On hold', 'Whose turn', 'Next step', 'Due', 'Days overdue', 'Opened', 'Updated']);
    // Newest first; the other organisation's case matches the search but is not ours.
    expect(records.map((r) => r.Reference)).toEqual([`EXP-${run}-2`, `EXP-${run}-1`, `'${FORMULA} ${run}`]);
    const [held, plain, evil] = records as [Record<string, string>, Record<string, string>, Record<string, string>];
    expect(plain).toMatchObject({ Pathway: 'Community sponsorship', Status: 'active', Stage: 'Eligibility', 'On hold': '', 'Next step': 'Eligibility decision', 'Days overdue': '6' });
    expect(plain.Programme).toMatch(/^Programme /);
    expect(plain.Due).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(held['On hold']).toBe('held');
    // The organisation's name arrives as text: an apostrophe first, its quotes doubled in the file.
    expect(evil['Whose turn']).toBe(`'${coordinatorName}`);
    expect(text).toContain(`"'${coordinatorName.replaceAll('"', '""')}"`);
    expect(text).not.toMatch(/(^|[,\r\n])"?[=+\-@]/);
    expect(text).not.toContain('Qasemzadeh'); // no household unless asked for

    expect((await csv(m.coordinator!, `/v1/cases/export.csv?programmeId=${programmeId}`)).records.map((r) => r.Reference)).toEqual([`EXP-${run}-1`]);
    expect((await csv(m.coordinator!, `/v1/cases/export.csv?search=${run}&onHold=held`)).records.map((r) => r.Reference)).toEqual([`EXP-${run}-2`]);
    expect((await csv(m.coordinator!, `/v1/cases/export.csv?search=${run}&sort=reference`)).records.map((r) => r.Reference)).toEqual([`'${FORMULA} ${run}`, `EXP-${run}-1`, `EXP-${run}-2`]);
    expect((await csv(other.coordinator!, `/v1/cases/export.csv?search=${run}`)).records.map((r) => r.Reference)).toEqual([`EXP-${run}-3`]);
    expect((await csv(m.municipality!, `/v1/cases/export.csv?search=${run}&waitingOnMe=true`)).records).toEqual([]);
    const bad = await h.call(m.coordinator!, 'GET', '/v1/cases/export.csv?stuck=maybe');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('adds the household only when asked, as far as the caller sees it, and records each case read', async () => {
    const before = (await readsOf(ids.plain!)).length;
    await csv(m.coordinator!, `/v1/cases/export.csv?search=${run}`);
    expect(await readsOf(ids.plain!)).toHaveLength(before);

    const full = await csv(m.coordinator!, `/v1/cases/export.csv?search=${run}&include=household`);
    expect(full.header.slice(-4)).toEqual(['Principal', 'Household size', 'Members', 'Needs']);
    const plain = full.records.find((r) => r.Reference === `EXP-${run}-1`)!;
    expect(plain).toMatchObject({ Principal: 'Amira Qasemzadeh', 'Household size': '2', Members: `Bashir Qasemzadeh, spouse, born ${thisYear - 41}, age 41`, Needs: 'step-free access' });
    const reads = await readsOf(ids.plain!);
    expect(reads.slice(before)).toEqual([{ level: 'full', fields: ['principalName', 'memberNames', 'birthYears', 'ages', 'relations', 'needs'], door: 'api', organisationId: parties.coordinator }]);

    // The municipality sees what housing needs: no name, no birth year.
    const housing = await csv(m.municipality!, `/v1/cases/export.csv?search=${run}&include=household`);
    expect(housing.records.find((r) => r.Reference === `EXP-${run}-1`)).toMatchObject({ Principal: '', 'Household size': '2', Members: 'spouse, age 41', Needs: 'step-free access' });
    expect(housing.text).not.toContain('Qasemzadeh');
    expect((await readsOf(ids.plain!)).slice(before + 1)).toEqual([{ level: 'housing', fields: ['ages', 'relations', 'needs'], door: 'api', organisationId: parties.municipality }]);
    // The held case's household of one without needs gave the municipality nothing personal: only the coordinator's read is recorded.
    expect(await readsOf(ids.held!)).toEqual([{ level: 'full', fields: ['principalName'], door: 'api', organisationId: parties.coordinator }]);
    // Outsiders export nothing of these cases, so read nothing.
    expect((await csv(other.sponsor!, `/v1/cases/export.csv?search=${run}&include=household`)).text).not.toContain('Qasemzadeh');
  });

  it('exports the board’s overdue steps with its filters, for coordinators only', async () => {
    const { response, header, records } = await csv(m.coordinator!, '/v1/board/export.csv');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="overdue-steps-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(header).toEqual(['Reference', 'Step', 'Kind of step', 'Whose turn', 'Programme', 'Pathway', 'Due', 'Days overdue', 'Reminders sent', 'Escalations sent']);
    // Longest overdue first; the held case is not overdue, the other organisation's is not on this board.
    expect(records.map((r) => [r.Reference, r['Days overdue']])).toEqual([
      [`'${FORMULA} ${run}`, '16'],
      [`EXP-${run}-1`, '6'],
    ]);
    expect(records[0]).toMatchObject({ Step: 'Eligibility decision', 'Kind of step': 'decision', 'Whose turn': `'${coordinatorName}`, Pathway: 'Community sponsorship' });
    expect((await csv(m.coordinator!, '/v1/board/export.csv?overdueDays=10')).records.map((r) => r.Reference)).toEqual([`'${FORMULA} ${run}`]);
    expect((await csv(m.coordinator!, `/v1/board/export.csv?programmeId=${programmeId}`)).records.map((r) => r.Reference)).toEqual([`EXP-${run}-1`]);
    expect((await csv(m.coordinator!, '/v1/board/export.csv?gateKind=housing')).records).toEqual([]);
    expect((await csv(other.coordinator!, '/v1/board/export.csv')).records.map((r) => r.Reference)).toEqual([`EXP-${run}-3`]);
    expect((await h.call(m.sponsor!, 'GET', '/v1/board/export.csv')).status).toBe(403);
    expect((await h.call(m.coordinator!, 'GET', '/v1/board/export.csv?partyKind=nobody')).status).toBe(400);
  });

  it('streams 20,000 cases a page at a time: the first rows leave before the later pages are read', async () => {
    const { members: big, parties: bigParties } = await createParties(h.sql, template);
    const project = projector(h.sql);
    const seeds = [];
    for (let i = 0; i < 4; i++) seeds.push((await project({ template, parties: bigParties, reference: `BIG-${run}-${i}`, daysAgo: 5 + i })).caseId);
    const copies = 5_000;
    await cloneCases(h.sql, seeds, copies);
    const total = seeds.length * (copies + 1);

    // The app on a database client that counts the list's page queries.
    let pages = 0;
    const sql = connectDb(inject('databaseUrl'), { max: 2, debug: (_c, query) => void (/FROM cases c\b/.test(query) && /\bLIMIT\b/.test(query) && pages++) });
    try {
      const app = createApp({ temporal: h.client, temporalConnection: h.connection, sql, mailer: createMailer(inject('smtpUrl')), config: { publicUrl: PUBLIC_URL, mailFrom: TEST_MAIL_FROM }, taskQueue: h.taskQueue });
      const { token } = await issueToken(h.sql, big.coordinator!.personId, 'export test');
      const response = await app.request('/v1/cases/export.csv', { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      // The header and the first page arrive while at most the page after them has been read.
      while (text.split('\r\n').length < 2 + EXPORT_PAGE) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text.split('\r\n').length).toBeGreaterThanOrEqual(1 + EXPORT_PAGE);
      expect(pages).toBeLessThanOrEqual(3);
      let chunks = 0;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        chunks++;
        text += decoder.decode(value, { stream: true });
      }
      const { records } = csvRecords(text);
      expect(records).toHaveLength(total);
      expect(new Set(records.map((r) => r.Reference)).size).toBe(total);
      // One query per page of 500 (and one that finds the last page empty at most), one chunk per page.
      expect(pages).toBeGreaterThanOrEqual(Math.ceil(total / EXPORT_PAGE));
      expect(pages).toBeLessThanOrEqual(Math.ceil(total / EXPORT_PAGE) + 1);
      expect(chunks).toBeGreaterThanOrEqual(Math.ceil(total / EXPORT_PAGE) - 2);

      // A download abandoned after its first rows reads no further pages.
      pages = 0;
      const abandoned = await app.request('/v1/cases/export.csv', { headers: { authorization: `Bearer ${token}` } });
      const partial = abandoned.body!.getReader();
      await partial.read();
      await partial.read();
      await partial.cancel();
      const readBeforeLeaving = pages;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(pages).toBe(readBeforeLeaving);
      expect(pages).toBeLessThanOrEqual(3);
    } finally {
      await sql.end();
    }
  }, 240_000);
});

/**
 * `copies` more of each seed case, row for row (their projected columns and parties), with their
 * own ids, references and opening times: a list of many thousands in seconds, where projecting
 * each would take minutes.
 */
async function cloneCases(sql: ReturnType<typeof connectDb>, seeds: string[], copies: number): Promise<void> {
  const columns = (await sql<{ name: string }[]>`
    SELECT column_name AS name FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'cases' AND is_generated = 'NEVER' ORDER BY ordinal_position`).map((c) => c.name);
  const value: Record<string, string> = { id: 'm.new_id', reference: `c.reference || '-' || m.n`, created_at: `c.created_at - m.n * interval '1 second'` };
  await sql.begin(async (tx) => {
    await tx`CREATE TEMP TABLE clone_map ON COMMIT DROP AS
      SELECT gen_random_uuid() AS new_id, c.id AS old_id, n FROM cases c CROSS JOIN generate_series(1, ${copies}::int) AS n WHERE c.id = ANY(${seeds}::uuid[])`;
    await tx.unsafe(`INSERT INTO cases (${columns.map((c) => `"${c}"`).join(', ')})
      SELECT ${columns.map((c) => value[c] ?? `c."${c}"`).join(', ')} FROM clone_map m JOIN cases c ON c.id = m.old_id`);
    await tx`INSERT INTO case_parties (case_id, slot, organisation_id) SELECT m.new_id, p.slot, p.organisation_id FROM clone_map m JOIN case_parties p ON p.case_id = m.old_id`;
  });
}
