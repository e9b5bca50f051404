// Erasure of a closed case's personal data (usecases/erasure.ts), the retention schedule's
// definition (worker/schedules.ts) and the DPO's export of the read log (usecases/read-log-export.ts),
// through the API against the real servers: every declared column of personal data is cleared for
// the erased case and untouched for another, the timeline stays, a second erasure is the first, an
// open case is refused, and only admins erase and export.
import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { ERASED_COLUMNS, KEPT_COLUMNS } from '../../usecases/erasure.js';
import { RETENTION_SCHEDULE_ID } from '../../usecases/retention.js';
import { issueToken } from '../../usecases/tokens.js';
import { ensureSchedules, scheduleDefinitions } from '../../worker/schedules.js';
import { useApi } from '../support/api.js';
import { parseCsv } from '../support/csv.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;
const thisYear = new Date().getUTCFullYear();
const today = new Date().toISOString().slice(0, 10);

/** Waits (outside a test, where expect.poll is not allowed) until `check` holds. */
async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('erasure of a closed case, and the read log for the DPO', () => {
  const h = useApi('erasure');
  let m: Record<string, Member>;
  let parties: Record<string, string>;
  let admin: Member;
  let erased: string;
  let kept: string;
  let open: string;

  const openCase = async (reference: string, principalName: string) => {
    const household = { principalName, members: [{ name: `${principalName} Jr`, birthYear: thisYear - 8, relation: 'child' }], needs: ['wheelchair'] };
    const response = await h.call(m.coordinator!, 'POST', '/v1/cases', { reference, pathwayId: template.id, parties, household });
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    await until(async () => (await h.sql`SELECT state IS NOT NULL AS projected FROM cases WHERE id = ${id}`)[0]!.projected === true);
    return id;
  };
  const withdraw = async (id: string, reason: string) => {
    const response = await h.call(m.coordinator!, 'POST', `/v1/cases/${id}/withdraw`, { reason });
    expect(response.status, await response.clone().text()).toBe(200);
    await until(async () => (await h.sql`SELECT status FROM cases WHERE id = ${id}`)[0]!.status === 'withdrawn');
  };
  /** Personal data in every declared column that the case's own actions did not fill. */
  const seed = async (caseId: string, tag: string) => {
    const { organisationId, personId } = m.coordinator!;
    const bytes = Buffer.from(`receipt of ${tag}`);
    await h.sql`INSERT INTO housing_offers (id, case_id, organisation_id, address) VALUES (${randomUUID()}, ${caseId}, ${m.municipality!.organisationId}, ${`Kerkstraat 1, ${tag}`})`;
    await h.sql`INSERT INTO checkin_reports (id, case_id, person_id, body) VALUES (${randomUUID()}, ${caseId}, ${m.sponsor!.personId}, ${`${tag} settled in well`})`;
    await h.sql`INSERT INTO texts (id, case_id, person_id, kind, body) VALUES (${randomUUID()}, ${caseId}, ${personId}, 'note', ${`note about ${tag}`})`;
    await h.sql`
      INSERT INTO attachments (id, case_id, organisation_id, person_id, file_name, media_type, size, sha256, content)
      VALUES (${randomUUID()}, ${caseId}, ${organisationId}, ${personId}, ${`${tag}-passport.txt`}, 'text/plain', ${bytes.byteLength}, ${createHash('sha256').update(bytes).digest('hex')}, ${bytes})`;
    await h.sql`INSERT INTO agreement_documents (case_id, title, url, body, content_hash) VALUES (${caseId}, 'Sponsorship agreement', ${`https://docs.example.test/${tag}`}, ${`We welcome ${tag}.`}, ${randomUUID()})`;
    await h.sql`INSERT INTO case_events (case_id, event_key, kind, actor, reason, at) VALUES (${caseId}, ${`legacy:${randomUUID()}`}, 'gate_nudged', ${personId}, ${`old reason about ${tag}`}, now())`;
    await h.sql`
      INSERT INTO failing_steps (workflow_id, activity_id, case_id, activity_type, attempt, last_failure, since, updated_at)
      VALUES (${`case:${caseId}`}, ${randomUUID()}, ${caseId}, 'projectCase', 3, ${`error about ${tag}`}, now(), now())`;
  };
  /** Rows of `table` for the case whose `column` still holds something. */
  const held = async (table: string, column: string, caseId: string) =>
    Number((await h.sql<{ n: string }[]>`
      SELECT count(*) AS n FROM ${h.sql(table)} WHERE case_id = ${caseId} AND ${h.sql(column)} IS NOT NULL AND ${h.sql(column)}::text NOT IN ('', '[]', '{}')`)[0]!.n);
  const erase = (who: Member, id: string, reason = 'request of the principal') => h.call(who, 'POST', `/v1/admin/cases/${id}/erasure`, { reason });

  beforeAll(async () => {
    ({ members: m, parties } = await createParties(h.sql, template));
    const adminOrg = await createOrganisation(h.sql, 'coordinator', 'en', 'admin-org');
    const [person] = await h.sql<{ id: string }[]>`
      INSERT INTO people (organisation_id, name, email, role) VALUES (${adminOrg.organisationId}, 'Ada Admin', ${`admin-${adminOrg.organisationId}@example.test`}, 'admin') RETURNING id`;
    admin = { ...adminOrg, personId: person!.id, actor: { ...adminOrg.actor, personId: person!.id, role: 'admin' } };
    [erased, kept, open] = await Promise.all([openCase(`ER-${randomUUID().slice(0, 4)}`, 'Farida Erased'), openCase(`KE-${randomUUID().slice(0, 4)}`, 'Karim Kept'), openCase('OPEN-1', 'Olga Open')]);
    await withdraw(erased, 'The family of Farida moved on');
    await withdraw(kept, 'The family of Karim moved on');
    await seed(erased, 'Farida');
    await seed(kept, 'Karim');
    // Reads of the households, for the read log.
    for (const id of [erased, kept]) expect((await h.call(m.coordinator!, 'GET', `/v1/cases/${id}/household`)).status).toBe(200);
  });

  it('declares every column of every table that belongs to a case as erased or kept', async () => {
    const columns = await h.sql<{ table: string; column: string }[]>`
      SELECT c.table_name AS table, c.column_name AS column FROM information_schema.columns c
      WHERE c.table_schema = 'public'
        AND (c.table_name = 'cases' OR c.table_name IN (SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'case_id'))
      ORDER BY 1, 2`;
    expect(columns.length).toBeGreaterThan(50);
    const declared = (table: string, column: string) =>
      ((ERASED_COLUMNS as Record<string, readonly string[]>)[table] ?? []).includes(column) || (KEPT_COLUMNS[table]?.columns ?? []).includes(column);
    // A new column (or table) holding a case's data must say whether erasure clears it: usecases/erasure.ts.
    expect(columns.filter((c) => !declared(c.table, c.column)).map((c) => `${c.table}.${c.column}`)).toEqual([]);
  });

  it("clears every declared column of personal data of the erased case only, and keeps its timeline", async () => {
    const eventsBefore = await h.sql`SELECT id, kind, actor, data, at FROM case_events WHERE case_id = ${erased} ORDER BY id`;
    for (const [table, columns] of Object.entries(ERASED_COLUMNS)) {
      for (const column of columns) {
        expect(await held(table, column, erased), `${table}.${column} before`).toBeGreaterThan(0);
      }
    }
    const response = await erase(admin, erased);
    expect(response.status).toBe(201);
    const record = (await response.json()) as { caseId: string; erasedAt: string; actor: string; personId: string; reason: string };
    expect(record).toMatchObject({ caseId: erased, actor: 'admin', personId: admin.personId, reason: 'request of the principal' });

    for (const [table, columns] of Object.entries(ERASED_COLUMNS)) {
      for (const column of columns) {
        expect(await held(table, column, erased), `${table}.${column} of the erased case`).toBe(0);
        expect(await held(table, column, kept), `${table}.${column} of another case`).toBeGreaterThan(0);
      }
    }
    // The case row and its non-personal timeline remain.
    expect(await h.sql`SELECT id, kind, actor, data, at FROM case_events WHERE case_id = ${erased} ORDER BY id`).toEqual(eventsBefore);
    const [row] = await h.sql`SELECT reference, status, pathway_id FROM cases WHERE id = ${erased}`;
    expect(row).toMatchObject({ status: 'withdrawn', pathway_id: template.id });

    // The API says so: the case, its timeline, its household.
    const detail = (await (await h.call(m.coordinator!, 'GET', `/v1/cases/${erased}`)).json()) as { erasure: { erasedAt: string; reason: string } | null; texts: Record<string, string> };
    expect(detail.erasure).toEqual({ erasedAt: record.erasedAt, reason: 'request of the principal', actor: 'admin' });
    expect(Object.values(detail.texts).join(' ')).not.toContain('Farida');
    const timeline = (await (await h.call(m.coordinator!, 'GET', `/v1/cases/${erased}/timeline`)).json()) as { items: { kind: string; reason: string | null; reasonErasedAt: string | null }[] };
    const withdrawn = timeline.items.find((e) => e.reasonErasedAt);
    expect(withdrawn).toMatchObject({ reason: null, reasonErasedAt: record.erasedAt });
    expect(JSON.stringify(timeline)).not.toContain('Farida');
    // No new files: the attachments list is empty, and an upload is refused.
    expect(await (await h.call(m.coordinator!, 'GET', `/v1/cases/${erased}/attachments`)).json()).toMatchObject({ items: [] });
    const form = new FormData();
    form.set('file', new File([Buffer.from('a new note about Farida')], 'note.txt', { type: 'text/plain' }));
    const token = (await issueToken(h.sql, m.coordinator!.personId, 'upload')).token;
    const upload = await h.app.request(`/v1/cases/${erased}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() } });
    expect(upload.status).toBe(409);
    expect(await upload.json()).toMatchObject({ code: 'personal-data-erased' });
    const household = await h.call(m.coordinator!, 'GET', `/v1/cases/${erased}/household`);
    expect(household.status).toBe(404);
    expect(await household.json()).toMatchObject({ erasedAt: record.erasedAt });
    // The other case is as it was.
    const other = (await (await h.call(m.coordinator!, 'GET', `/v1/cases/${kept}`)).json()) as { erasure: unknown; texts: Record<string, string> };
    expect(other.erasure).toBeNull();
    expect(Object.values(other.texts)).toContain('The family of Karim moved on');
    expect(((await (await h.call(m.coordinator!, 'GET', `/v1/cases/${kept}/household`)).json()) as { principal: { name: string } }).principal.name).toBe('Karim Kept');
  });

  it('erases once: a second request answers the first record', async () => {
    const first = (await h.sql`SELECT * FROM case_erasures WHERE case_id = ${erased}`)[0];
    const again = await erase(admin, erased, 'another reason');
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ caseId: erased, reason: 'request of the principal' });
    expect(await h.sql`SELECT * FROM case_erasures WHERE case_id = ${erased}`).toEqual([first]);
  });

  it('refuses an open case (409, case-not-closed), an unknown one (404), an empty reason (400) and anyone but an admin (403)', async () => {
    const refused = await erase(admin, open);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ title: 'Case not closed', code: 'case-not-closed', params: { status: 'active' } });
    expect(await held('case_households', 'principal_name', open)).toBe(1);
    expect((await erase(admin, randomUUID())).status).toBe(404);
    expect((await erase(admin, kept, '   ')).status).toBe(400);
    for (const who of [m.coordinator!, m.sponsor!]) {
      expect((await erase(who, kept)).status).toBe(403);
      expect((await h.call(who, 'GET', '/v1/admin/erasures')).status).toBe(403);
      expect((await h.call(who, 'GET', '/v1/admin/retention')).status).toBe(403);
    }
    expect(await h.sql`SELECT 1 FROM case_erasures WHERE case_id IN ${h.sql([kept, open])}`).toHaveLength(0);
  });

  it('lists erasure records and the retention to admins', async () => {
    const list = (await (await h.call(admin, 'GET', '/v1/admin/erasures')).json()) as { items: { caseId: string; personName: string | null }[] };
    expect(list.items.find((i) => i.caseId === erased)).toMatchObject({ personName: 'Ada Admin' });
    const retention = (await (await h.call(admin, 'GET', '/v1/admin/retention')).json()) as { months: number };
    expect(retention.months).toBeGreaterThan(0);
  });

  it('exports the read log as CSV for the DPO, to admins only, and records the export', async () => {
    const path = `/v1/admin/personal-data-reads.csv?from=${today}&to=${today}&caseId=${kept}`;
    for (const who of [m.coordinator!, m.sponsor!]) expect((await h.call(who, 'GET', path)).status).toBe(403);
    const response = await h.call(admin, 'GET', path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseCsv(await response.text());
    expect(rows[0]).toEqual(['When', 'Case reference', 'Case id', 'Reader id', 'Reader name', 'Reader email', 'Organisation id', 'Organisation', 'Level', 'Fields', 'Door', 'File id']);
    const reads = rows.slice(1);
    expect(reads.length).toBeGreaterThanOrEqual(1);
    for (const r of reads) expect(r[2]).toBe(kept);
    expect(reads[0]).toEqual(expect.arrayContaining([m.coordinator!.personId, m.coordinator!.email, m.coordinator!.organisationId, 'full', 'api']));
    // Another organisation's reads only: none here.
    const byOther = parseCsv(await (await h.call(admin, 'GET', `/v1/admin/personal-data-reads.csv?from=${today}&to=${today}&organisationId=${m.sponsor!.organisationId}&caseId=${kept}`)).text());
    expect(byOther.slice(1)).toEqual([]);
    // The erased case's reads stay in the log.
    const ofErased = parseCsv(await (await h.call(admin, 'GET', `/v1/admin/personal-data-reads.csv?from=${today}&to=${today}&caseId=${erased}`)).text());
    expect(ofErased.length).toBeGreaterThan(1);
    const exports = await h.sql`SELECT period_from, period_to, case_id, door FROM personal_data_read_exports WHERE person_id = ${admin.personId} ORDER BY id`;
    expect(exports).toHaveLength(3);
    expect(exports[0]).toMatchObject({ case_id: kept, door: 'api', period_from: new Date(`${today}T00:00:00Z`) });
    expect((await h.call(admin, 'GET', `/v1/admin/personal-data-reads.csv?from=${today}`)).status).toBe(400);
    expect((await h.call(admin, 'GET', `/v1/admin/personal-data-reads.csv?from=${today}&to=2000-01-01`)).status).toBe(400);
  });

  it('defines the daily retention schedule, with the configured months, idempotently', async () => {
    const definitions = scheduleDefinitions(h.taskQueue, 7);
    const retention = definitions.find((d) => d.scheduleId === RETENTION_SCHEDULE_ID);
    expect(retention?.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionWorkflow', args: [{ months: 7 }] });
    const prefix = `test-${randomUUID().slice(0, 8)}-`;
    const mine = [{ ...retention!, scheduleId: `${prefix}${RETENTION_SCHEDULE_ID}`, state: { paused: true } }];
    try {
      await ensureSchedules(h.client, mine);
      await ensureSchedules(h.client, mine);
      const described = await h.client.schedule.getHandle(mine[0]!.scheduleId).describe();
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'retentionWorkflow', taskQueue: h.taskQueue, args: [{ months: 7 }] });
    } finally {
      await h.client.schedule.getHandle(mine[0]!.scheduleId).delete();
    }
  });
});
