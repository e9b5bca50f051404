// "Our group" on the pages, in English and Dutch: a sponsor group's people list, add and mark as
// left its members and record their checks, with the error summary and a 400 for what to fix; and a
// matched case's step that checks the group, worded with its requirements and what the group lacks.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case-view.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['matched-sponsorship']!;
const keyOf = (html: string, action: string) => new RegExp(`action="${action}"[\\s\\S]*?name="_key" value="([^"]+)"`).exec(html)?.[1];

describe('the group page and the group-check step', () => {
  const h = useApi('web-group');
  const groups: Record<'en' | 'nl', Member> = {} as never;
  const visitors: Record<string, Visitor> = {};
  let others: Record<string, Member>;

  beforeAll(async () => {
    groups.en = await createOrganisation(h.sql, 'sponsor_group', 'en', 'web-group-en');
    groups.nl = await createOrganisation(h.sql, 'sponsor_group', 'nl', 'web-group-nl');
    const { sponsor: _sponsor, ...rest } = (await createParties(h.sql, template)).members;
    others = rest;
    for (const [name, who] of [['en', groups.en], ['nl', groups.nl], ['municipality', others.municipality!]] as const) {
      visitors[name] = new Visitor(h.app);
      await signedIn(visitors[name]!, who);
    }
  });

  /** Adds a member through the page, as a person would. */
  async function addMember(v: Visitor, name: string): Promise<string> {
    const html = await (await v.get('/group')).text();
    const sent = await v.post('/group/members', { _key: keyOf(html, '/group/members')!, name, email: '' });
    expect(sent.status).toBe(303);
    const [row] = await h.sql<{ id: string }[]>`SELECT id FROM group_members WHERE name = ${name}`;
    return row!.id;
  }

  it('lists, adds, records and marks as left, in English, with the error summary for what to fix', async () => {
    const v = visitors.en!;
    const page = await v.get('/group');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<a href="/group" aria-current="page">Our group</a>');
    expect(await textOf(new Response(html))).toContain('No members are listed yet.');

    // A bad email: the form comes back with a 400, the summary leading to the field, what was typed kept.
    const bad = await v.post('/group/members', { _key: keyOf(html, '/group/members')!, name: 'Anna de Vries', email: 'not-an-address' });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('class="error-summary"');
    expect(badHtml).toContain('<a href="#member-email">Enter an email address such as name@example.org, or leave it empty</a>');
    expect(badHtml).toContain('aria-invalid="true"');
    expect(badHtml).toContain('value="Anna de Vries"');

    const key = keyOf(html, '/group/members')!;
    const added = await v.post('/group/members', { _key: key, name: 'Anna de Vries', email: 'anna@example.org' });
    expect(added.status).toBe(303);
    // Pressed twice: one member.
    expect((await v.post('/group/members', { _key: key, name: 'Anna de Vries', email: 'anna@example.org' })).status).toBe(303);
    const anna = await h.sql<{ id: string }[]>`SELECT id FROM group_members WHERE organisation_id = ${groups.en.organisationId}`;
    expect(anna).toHaveLength(1);
    const after = await textOf(await v.get('/group'));
    expect(after).toContain('Anna de Vries is added to the group.');
    expect(after).toContain('anna@example.org');
    expect(after).toContain('1 current member');

    const form = await (await v.get('/group')).text();
    expect(form).toContain('<option value="good-conduct">Certificate of good conduct</option>');
    // A check done in the future: 400, the summary leads to the day.
    const future = await v.post('/group/checks', { _key: keyOf(form, '/group/checks')!, memberId: anna[0]!.id, check: 'good-conduct', completedOn: '2999-01-01', validUntil: '' });
    expect(future.status).toBe(400);
    expect(await future.text()).toContain('<a href="#check-completedOn">Enter the day the check was completed; it cannot be in the future</a>');
    const recorded = await v.post('/group/checks', { _key: keyOf(form, '/group/checks')!, memberId: anna[0]!.id, check: 'good-conduct', completedOn: '2026-11-02', validUntil: '2027-11-01' });
    expect(recorded.status).toBe(303);
    expect(await textOf(await v.get('/group'))).toContain('Certificate of good conduct, 2 Nov 2026 (valid until 1 Nov 2027)');

    const left = await v.post(`/group/members/${anna[0]!.id}/leave`, { _key: randomUUID() });
    expect(left.status).toBe(303);
    const gone = await textOf(await v.get('/group'));
    expect(gone).toContain('Anna de Vries is marked as left.');
    expect(gone).toMatch(/Anna de Vries \(left on \d+ \w+ 2026\)/);
    expect(gone).toContain('0 current members');
  });

  it('is in Dutch for a Dutch reader, and is no page for another kind of organisation', async () => {
    const v = visitors.nl!;
    await addMember(v, `Bram ${randomUUID().slice(0, 4)}`);
    const page = await textOf(await v.get('/group'));
    expect(page).toContain('Onze groep');
    expect(page).toContain('1 huidig lid');
    expect(page).toContain('Verklaring Omtrent het Gedrag (VOG)');
    const bad = await v.post('/group/members', { _key: randomUUID(), name: '   ' });
    expect(bad.status).toBe(400);
    expect(await textOf(bad)).toContain('Vul de naam van het lid in, in hoogstens 200 tekens');

    const municipality = await v.get('/group').then(() => visitors.municipality!.get('/group'));
    expect(municipality.status).toBe(403);
    expect(await municipality.text()).not.toContain('href="/group"');
    expect((await visitors.municipality!.post('/group/members', { _key: randomUUID(), name: 'Intruder' })).status).toBe(403);
    expect(await h.sql`SELECT 1 FROM group_members WHERE name = 'Intruder'`).toEqual([]);
  });

  it("shows a matched case's group-check step with what the group lacks, in both languages", async () => {
    for (const lang of ['en', 'nl'] as const) {
      const group = groups[lang];
      const v = visitors[lang]!;
      // Current members: two in English (its first one left), three in Dutch; one with a certificate of good conduct.
      const first = await addMember(v, `Carla ${lang} ${randomUUID().slice(0, 4)}`);
      await addMember(v, `Daan ${lang} ${randomUUID().slice(0, 4)}`);
      const html = await (await v.get('/group')).text();
      expect((await v.post('/group/checks', { _key: keyOf(html, '/group/checks')!, memberId: first, check: 'good-conduct', completedOn: '2026-11-02' })).status).toBe(303);

      const c = others.coordinator!;
      const parties = Object.fromEntries(Object.entries(others).map(([slot, m]) => [slot, m.organisationId]));
      const made = await h.call(c, 'POST', '/v1/cases', { reference: `WEB-GROUP-${lang}-${randomUUID().slice(0, 4)}`, pathwayId: template.id, parties, household: { principalName: 'P' } }, { 'idempotency-key': randomUUID() });
      const { id } = (await made.json()) as { id: string };
      await h.call(c, 'POST', `/v1/cases/${id}/gates/eligibility/decision`, { outcome: 'approve' }, { 'idempotency-key': randomUUID() });
      await h.call(c, 'POST', `/v1/cases/${id}/gates/sponsor-match/propose-match`, { candidates: [group.organisationId] }, { 'idempotency-key': randomUUID() });
      await expect.poll(async () => (await h.call(group, 'GET', `/v1/cases/${id}`)).status, { timeout: 20_000 }).toBe(200);
      expect((await h.call(group, 'POST', `/v1/cases/${id}/gates/sponsor-match/accept-match`, {}, { 'idempotency-key': randomUUID() })).status).toBe(200);
      await expect
        .poll(async () => ((await (await h.call(c, 'GET', `/v1/cases/${id}`)).json()) as { state: CaseView }).state.gates.find((g) => g.id === 'sponsor-checks')?.detail.evaluation, { timeout: 20_000 })
        .toMatchObject({ members: lang === 'en' ? 2 : 3 });

      const casePage = await v.get(`/cases/${id}`);
      expect(casePage.status).toBe(200);
      const card = /<section[^>]*id="gate-sponsor-checks"[\s\S]*?<\/section>/.exec(await casePage.text())![0];
      const text = await textOf(new Response(card));
      if (lang === 'en') {
        expect(text).toContain('every member: Certificate of good conduct');
        expect(text).toContain('at least one member: Training');
        expect(text).toContain('The group has 2 current members.');
        expect(text).toContain('1 member lacks: Certificate of good conduct');
        expect(text).toContain('Nobody has yet: Training');
        expect(card).toContain('<a href="/group">Our group: members and checks</a>');
      } else {
        expect(text).toContain('elk lid: Verklaring Omtrent het Gedrag (VOG)');
        expect(text).toContain('minstens één lid: Training');
        expect(text).toContain('De groep heeft 3 huidige leden.');
        expect(text).toContain('2 leden missen: Verklaring Omtrent het Gedrag (VOG)');
        expect(text).toContain('Nog niemand heeft: Training');
        expect(card).toContain('<a href="/group">Onze groep: leden en controles</a>');
      }
      // The coordinator sees the same counts, and no link to a page that is the group's own.
      const coordinatorView = new Visitor(h.app);
      if (lang === 'en') {
        await signedIn(coordinatorView, c);
        const theirs = /<section[^>]*id="gate-sponsor-checks"[\s\S]*?<\/section>/.exec(await (await coordinatorView.get(`/cases/${id}`)).text())![0];
        expect(theirs).toContain('1 member lacks: Certificate of good conduct');
        expect(theirs).not.toContain('href="/group"');
      }
    }
  });
});
