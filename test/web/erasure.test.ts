// "Personal data" for admins (web/erasure.tsx), over the real app, workflows and database, in
// English and Dutch: the retention, the closed cases, a confirm page that asks for the reason (error
// summary when it is missing), the erasure and its record, the read log's download — and the case
// page of an erased case, which says when and why instead of showing the texts.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { parseCsv } from '../support/csv.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;
const today = new Date().toISOString().slice(0, 10);

async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('erasing personal data on the pages', () => {
  const h = useApi('web-erasure');
  let m: Record<string, Member>;
  let admin: Member;
  let adminPage: Visitor;
  let coordinatorPage: Visitor;
  let closed: { id: string; reference: string };
  let open: { id: string; reference: string };

  beforeAll(async () => {
    let parties: Record<string, string>;
    ({ members: m, parties } = await createParties(h.sql, template));
    const adminOrg = await createOrganisation(h.sql, 'coordinator', 'en', 'admin-org');
    const email = `admin-${adminOrg.organisationId}@example.test`;
    const [person] = await h.sql<{ id: string }[]>`INSERT INTO people (organisation_id, name, email, role) VALUES (${adminOrg.organisationId}, 'Ada Admin', ${email}, 'admin') RETURNING id`;
    admin = { ...adminOrg, email, personId: person!.id, actor: { ...adminOrg.actor, personId: person!.id, role: 'admin' } };
    const openCase = async (reference: string) => {
      const created = await h.call(m.coordinator!, 'POST', '/v1/cases', { reference, pathwayId: template.id, parties, household: { principalName: 'Samira Haddad', needs: ['ground floor'] } });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      await until(async () => (await h.sql`SELECT state IS NOT NULL AS p FROM cases WHERE id = ${id}`)[0]!.p === true);
      return { id, reference };
    };
    const tag = randomUUID().slice(0, 4).toUpperCase();
    closed = await openCase(`WEB-ER-${tag}`);
    open = await openCase(`WEB-OPEN-${tag}`);
    expect((await h.call(m.coordinator!, 'POST', `/v1/cases/${closed.id}/withdraw`, { reason: 'Samira found another route' })).status).toBe(200);
    await until(async () => (await h.sql`SELECT status FROM cases WHERE id = ${closed.id}`)[0]!.status === 'withdrawn');
    adminPage = new Visitor(h.app);
    await signedIn(adminPage, admin);
    coordinatorPage = new Visitor(h.app);
    await signedIn(coordinatorPage, m.coordinator!);
    // The coordinator reads the household once: a row of the read log.
    expect((await coordinatorPage.get(`/cases/${closed.id}`)).status).toBe(200);
  });

  it('shows admins the retention, the closed cases, the erasures and the read log; nobody else', async () => {
    // Before: the case page shows the household and the reason.
    expect(await textOf(await coordinatorPage.get(`/cases/${closed.id}`))).toContain('Samira');
    const home = await adminPage.get('/');
    expect(home.headers.get('location')).toBe('/admin');
    const page = await adminPage.get(`/admin?reference=${closed.reference}`);
    expect(page.status).toBe(200);
    const text = await textOf(page);
    expect(text).toContain('Personal data: erasure and retention');
    expect(text).toMatch(/erased automatically \d+ months after the case closed/);
    expect(text).toContain(closed.reference);
    expect(text).not.toContain(open.reference);
    expect(text).toContain('Read log for the data-protection officer (DPO)');
    expect((await coordinatorPage.get('/admin')).status).toBe(403);
    expect((await coordinatorPage.get(`/admin/cases/${closed.id}/erase`)).status).toBe(403);
  });

  it('asks for the reason first, with an error summary, then erases and lists the record', async () => {
    const confirm = await adminPage.get(`/admin/cases/${closed.id}/erase`);
    expect(confirm.status).toBe(200);
    expect(await textOf(confirm)).toContain(`Erase the personal data of ${closed.reference}`);

    const missing = await adminPage.post(`/admin/cases/${closed.id}/erase`, { _key: randomUUID(), reason: '  ' });
    expect(missing.status).toBe(400);
    const html = await missing.text();
    expect(html).toContain('class="error-summary"');
    expect(html).toContain('href="#reason"');
    expect(html).toMatch(/<textarea[^>]*id="reason"[^>]*aria-invalid="true"/);
    expect(await h.sql`SELECT 1 FROM case_erasures WHERE case_id = ${closed.id}`).toHaveLength(0);

    const done = await adminPage.post(`/admin/cases/${closed.id}/erase`, { _key: randomUUID(), reason: 'Request of the person concerned' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/admin');
    const after = await textOf(await adminPage.get('/admin'));
    expect(after).toContain(`The personal data of ${closed.reference} is erased.`);
    expect(after).toContain('Request of the person concerned');
    expect(after).toContain('Ada Admin');
    expect(await h.sql`SELECT 1 FROM case_households WHERE case_id = ${closed.id}`).toHaveLength(0);
    // Erased once: the confirm page now says when.
    expect(await textOf(await adminPage.get(`/admin/cases/${closed.id}/erase`))).toContain('The personal data of this case was erased on');
  });

  it('refuses an open case on the confirm page, saying why', async () => {
    const page = await textOf(await adminPage.get(`/admin/cases/${open.id}/erase`));
    expect(page).toContain('This case is open: only the personal data of a closed case can be erased.');
    const refused = await adminPage.post(`/admin/cases/${open.id}/erase`, { _key: randomUUID(), reason: 'by mistake' });
    expect(refused.status).toBe(409);
    expect(await h.sql`SELECT 1 FROM case_households WHERE case_id = ${open.id}`).toHaveLength(1);
  });

  it('shows the erased case to its parties as erased, in English and in Dutch', async () => {
    const en = await coordinatorPage.get(`/cases/${closed.id}`);
    expect(en.status).toBe(200);
    const english = await textOf(en);
    expect(english).toMatch(/Personal data erased on .+, reason: Request of the person concerned\./);
    expect(english).toMatch(/ — erased on /);
    expect(english).not.toContain('Samira');
    await coordinatorPage.get(`/language/nl?back=%2Fcases%2F${closed.id}`);
    const dutch = await textOf(await coordinatorPage.get(`/cases/${closed.id}`));
    expect(dutch).toMatch(/Persoonsgegevens verwijderd op .+, reden: Request of the person concerned\./);
    expect(dutch).toMatch(/ — verwijderd op /);
    expect(dutch).not.toContain('Samira');
  });

  it('downloads the read log for a period, and speaks Dutch to a Dutch admin', async () => {
    const csv = await adminPage.get(`/admin/personal-data-reads.csv?from=${today}&to=${today}&organisationId=${m.coordinator!.organisationId}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain(`personal-data-reads-${today}-${today}.csv`);
    const rows = parseCsv(await csv.text());
    expect(rows.slice(1).some((r) => r[1] === closed.reference && r[5] === m.coordinator!.email && r[10] === 'web')).toBe(true);
    const [exported] = await h.sql`SELECT door, organisation_filter FROM personal_data_read_exports WHERE person_id = ${admin.personId}`;
    expect(exported).toMatchObject({ door: 'web', organisation_filter: m.coordinator!.organisationId });
    const bad = await adminPage.get(`/admin/personal-data-reads.csv?from=${today}&to=2000-01-01`);
    expect(bad.status).toBe(303);
    expect((await coordinatorPage.get(`/admin/personal-data-reads.csv?from=${today}&to=${today}`)).status).toBe(403);

    await adminPage.get('/language/nl?back=%2Fadmin');
    const dutch = await textOf(await adminPage.get('/admin'));
    expect(dutch).toContain('Persoonsgegevens: verwijderen en bewaartermijn');
    expect(dutch).toContain('Inzageregister voor de functionaris gegevensbescherming (FG)');
    expect(dutch).toMatch(/\d+ maanden na het afsluiten vanzelf verwijderd/);
  });
});
