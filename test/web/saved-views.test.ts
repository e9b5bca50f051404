// The lists' "Download CSV" and saved views on the pages, in English and Dutch: the same use cases
// as the API, as the signed-in person, with the CSV's headers and words in the reader's language.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { csvRecords } from '../support/csv.js';
import { createParties, type Member } from '../support/fixtures.js';
import { projector } from '../support/projected-cases.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

describe('saved views and CSV downloads on the pages', () => {
  const h = useApi('web-saved-views');
  const run = randomUUID().slice(0, 8);
  let en: Record<string, Member>;
  let nl: Record<string, Member>;
  const visitors: Record<string, Visitor> = {};
  const keyOf = (html: string) => /action="\/views"[\s\S]*?name="_key" value="([^"]+)"/.exec(html)?.[1];

  beforeAll(async () => {
    let enParties: Record<string, string>;
    let nlParties: Record<string, string>;
    ({ members: en, parties: enParties } = await createParties(h.sql, template, 'en'));
    ({ members: nl, parties: nlParties } = await createParties(h.sql, template, 'nl'));
    const project = projector(h.sql);
    await project({ template, parties: enParties, reference: `WEB-${run}-EN`, daysAgo: 20 });
    await project({ template, parties: nlParties, reference: `WEB-${run}-NL`, daysAgo: 20 });
    for (const [name, who] of [['en', en.coordinator], ['nl', nl.coordinator], ['sponsor', en.sponsor]] as const) {
      visitors[name] = new Visitor(h.app);
      await signedIn(visitors[name]!, who!);
    }
  });

  it('saves, shares, lists and deletes a view of the case list, in English', async () => {
    const v = visitors.en!;
    const html = await (await v.get(`/cases?search=${run}&stuck=true`)).text();
    expect(html).toContain(`href="/cases/export.csv?search=${run}&amp;stuck=true"`);
    expect(html).toContain(`href="/cases/export.csv?search=${run}&amp;stuck=true&amp;include=household"`);
    const page = await textOf(await v.get(`/cases?search=${run}&stuck=true`));
    expect(page).toContain('Download CSV');
    expect(page).toContain('Saved views No saved views yet.');
    expect(page).toContain('Share with everyone in my organisation');

    const sent = await v.post('/views', { _key: keyOf(html)!, list: 'cases', query: `search=${run}&stuck=true`, name: 'Late ones', shared: 'true' });
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe(`/cases?search=${run}&stuck=true`);
    const after = await (await v.get(sent.headers.get('location')!)).text();
    expect(after).toContain('Saved the view “Late ones”.');
    expect(after).toContain(`<a href="/cases?search=${run}&amp;stuck=true">Late ones</a>`);
    expect(after).toContain('(shared)');
    const id = /action="\/views\/([0-9a-f-]{36})\/delete"/.exec(after)![1]!;

    // Pressed twice (the same form key): one view.
    expect((await v.post('/views', { _key: keyOf(html)!, list: 'cases', query: `search=${run}&stuck=true`, name: 'Late ones', shared: 'true' })).status).toBe(303);
    expect((await h.sql`SELECT 1 FROM saved_views WHERE person_id = ${en.coordinator!.personId}`).length).toBe(1);

    // An empty name comes back as a message on the list.
    const empty = await v.post('/views', { _key: randomUUID(), list: 'cases', query: '', name: '  ' });
    expect(empty.status).toBe(303);
    expect(await textOf(await v.get(empty.headers.get('location')!))).toContain('Give the view a name of at most 80 characters.');

    const deleted = await v.post(`/views/${id}/delete`, { back: `/cases?search=${run}` });
    expect(deleted.status).toBe(303);
    expect(deleted.headers.get('location')).toBe(`/cases?search=${run}`);
    const gone = await textOf(await v.get(deleted.headers.get('location')!));
    expect(gone).toContain('The saved view is deleted.');
    expect(gone).not.toContain('Late ones');
  });

  it('offers sponsor groups no sharing and no board', async () => {
    const v = visitors.sponsor!;
    const page = await textOf(await v.get('/cases'));
    expect(page).toContain('Save this view');
    expect(page).not.toContain('Share with everyone in my organisation');
    expect((await v.get('/board/export.csv')).status).toBe(403);
    const shared = await v.post('/views', { _key: randomUUID(), list: 'cases', query: '', name: 'Ours', shared: 'true' });
    expect(await textOf(await v.get(shared.headers.get('location')!))).toContain('Only coordinators share views');
  });

  it('downloads the case list and the board as CSV in the reader’s language, household reads recorded as from the page', async () => {
    const english = await visitors.en!.get(`/cases/export.csv?search=${run}&include=household`);
    expect(english.status).toBe(200);
    expect(english.headers.get('content-disposition')).toMatch(/^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.csv"$/);
    const e = csvRecords(await english.text());
    expect(e.header.slice(0, 7)).toEqual(['Case', 'Pathway', 'Programme', 'Status', 'Stage', 'On hold', 'Whose turn']);
    expect(e.records).toEqual([expect.objectContaining({ Case: `WEB-${run}-EN`, Status: 'Active', Stage: 'Eligibility', Principal: 'Test Principal' })]);
    expect(e.records[0]!.Due).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    const reads = await h.sql<{ door: string }[]>`
      SELECT r.door FROM personal_data_reads r JOIN cases c ON c.id = r.case_id WHERE c.reference = ${`WEB-${run}-EN`}`;
    expect(reads).toEqual([{ door: 'web' }]);

    // Followed from another site, the download is refused: no reads recorded in the person's name by someone else's link.
    const cookie = [...visitors.en!.cookies].map(([k, value]) => `${k}=${value}`).join('; ');
    const crossSite = await h.app.request(`/cases/export.csv?search=${run}&include=household`, { headers: { cookie, accept: 'text/html', 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    expect(await h.sql`SELECT 1 FROM personal_data_reads r JOIN cases c ON c.id = r.case_id WHERE c.reference = ${`WEB-${run}-EN`}`).toHaveLength(1);

    const v = visitors.nl!;
    const page = await textOf(await v.get('/cases'));
    expect(page).toContain('CSV downloaden');
    expect(page).toContain('Opgeslagen weergaven');
    expect(page).toContain('Deze weergave opslaan');
    const dutch = await v.get(`/cases/export.csv?search=${run}`);
    expect(dutch.headers.get('content-disposition')).toMatch(/filename="casussen-/);
    const d = csvRecords(await dutch.text());
    expect(d.header).toEqual(['Casus', 'Route', 'Programma', 'Status', 'Fase', 'Aangehouden', 'Aan de beurt', 'Volgende stap', 'Uiterlijk', 'Dagen over tijd', 'Geopend', 'Laatst gewijzigd']);
    expect(d.records).toEqual([expect.objectContaining({ Casus: `WEB-${run}-NL`, Status: 'Lopend', 'Dagen over tijd': '6' })]);

    const board = await textOf(await v.get('/board'));
    expect(board).toContain('CSV downloaden');
    const b = csvRecords(await (await v.get('/board/export.csv')).text());
    expect(b.header.slice(0, 4)).toEqual(['Casus', 'Stap', 'Soort stap', 'Aan de beurt']);
    expect(b.records).toEqual([expect.objectContaining({ Casus: `WEB-${run}-NL`, 'Soort stap': 'Besluit' })]);
  });
});
