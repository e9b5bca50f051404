// "Documents" on the case page, over the real app, workflows and database (no browser): a file is
// added through a multipart form without JavaScript — with the form token and its own key, so a
// second press stores it once — listed with who added it when, downloaded (and that download
// logged), and refused in the reader's words, in English and in Dutch. Only the upload's path
// takes a body larger than a form's 256 KiB.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createParties, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(40, 7)]);
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00]), Buffer.alloc(60, 0)]);

/** Sends the page's upload form as a browser does: multipart, with the visitor's cookies; keeps the cookies it sets (the flash). */
async function sendForm(h: ReturnType<typeof useApi>, v: Visitor, path: string, fields: Record<string, string>, file?: { bytes: Buffer; name: string; type?: string }): Promise<Response> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  if (file) form.set('file', new File([file.bytes], file.name, { type: file.type ?? 'application/octet-stream' }));
  const cookie = [...v.cookies].map(([k, value]) => `${k}=${value}`).join('; ');
  const response = await h.app.request(path, { method: 'POST', body: form, headers: { accept: 'text/html', cookie } });
  for (const line of response.headers.getSetCookie()) {
    const [name, ...value] = line.split(';')[0]!.split('=');
    if (/max-age=0/i.test(line) || value.join('=') === '') v.cookies.delete(name!.trim());
    else v.cookies.set(name!.trim(), value.join('='));
  }
  return response;
}

/** The upload form's hidden key, as rendered on the case page. */
const keyOf = (html: string) => /enctype="multipart\/form-data"[^>]*>[\s\S]*?name="_key" value="([^"]+)"/.exec(html)?.[1];

describe('documents on the case page', () => {
  const h = useApi('web-attachments');
  let m: Record<string, Member>;
  let caseId: string;
  const count = async (name: string) => (await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM attachments WHERE case_id = ${caseId} AND file_name = ${name}`)[0]!.n;

  /** Adds a file through the page's form, and answers the page the person then sees. */
  async function add(v: Visitor, file: { bytes: Buffer; name: string; type?: string }, place = '', key?: string) {
    const html = await (await v.get(`/cases/${caseId}`)).text();
    const response = await sendForm(h, v, `/cases/${caseId}/attachments`, { _csrf: v.cookies.get('sr_csrf')!, _key: key ?? keyOf(html)!, place }, file);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/cases/${caseId}#documents`);
    const page = await v.get(`/cases/${caseId}`);
    return { html: await page.clone().text(), text: await textOf(page) };
  }

  beforeAll(async () => {
    let parties: Record<string, string>;
    ({ members: m, parties } = await createParties(h.sql, template));
    const created = await h.call(m.coordinator!, 'POST', '/v1/cases', { reference: 'DOC-WEB', pathwayId: template.id, parties, household: { principalName: 'W. Example' } });
    expect(created.status).toBe(201);
    caseId = ((await created.json()) as { id: string }).id;
    // The workflow starts a moment after the answer; approving eligibility opens municipal consent.
    for (let tries = 0; ; tries++) {
      const decided = await h.call(m.coordinator!, 'POST', `/v1/cases/${caseId}/gates/eligibility/decision`, { outcome: 'approve' });
      if (decided.status === 200) break;
      if (tries > 80) throw new Error(`eligibility could not be decided: ${await decided.text()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it('adds a file through the form once, lists it with who added it when, and downloads it — in English', async () => {
    const sponsor = new Visitor(h.app);
    await signedIn(sponsor, m.sponsor!);
    const empty = await (await sponsor.get(`/cases/${caseId}`)).text();
    expect(empty).toContain('<h2 id="documents">Documents</h2>');
    expect(empty).toContain('No files yet.');
    expect(empty).toMatch(/<form method="post" action="\/cases\/[^"]+\/attachments" enctype="multipart\/form-data"/);
    expect(empty).not.toContain('<script');

    const key = randomUUID();
    const { text, html } = await add(sponsor, { bytes: PDF, name: 'settlement-plan.pdf', type: 'application/pdf' }, '', key);
    expect(text).toContain('settlement-plan.pdf was added.');
    const [person] = await h.sql<{ name: string }[]>`SELECT name FROM people WHERE id = ${m.sponsor!.personId}`;
    expect(text).toMatch(new RegExp(`settlement-plan\\.pdf PDF · ${PDF.length} bytes The case ${person!.name} \\(sponsor [0-9a-f]+\\) \\d{1,2} \\w{3} \\d{4}, \\d\\d:\\d\\d`));
    // Pressed twice (the same rendering of the form, the same key): stored once.
    await add(sponsor, { bytes: PDF, name: 'settlement-plan.pdf', type: 'application/pdf' }, '', key);
    expect(await count('settlement-plan.pdf')).toBe(1);

    const link = /href="(\/cases\/[^"]+\/attachments\/[^"]+)"/.exec(html)![1]!;
    const download = await sponsor.get(link);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="settlement-plan\.pdf"/);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    const [read] = await h.sql<{ door: string; level: string }[]>`SELECT door, level FROM personal_data_reads WHERE attachment_id = ${link.split('/').pop()!}`;
    expect(read).toEqual({ door: 'web', level: 'document' });

    // Without the form token nothing is stored.
    const forged = await sendForm(h, sponsor, `/cases/${caseId}/attachments`, { _key: randomUUID(), place: '' }, { bytes: PDF, name: 'forged.pdf' });
    expect(forged.status).toBe(403);
    expect(await count('forged.pdf')).toBe(0);
  });

  it('adds a file to a step, and words what it refuses, in Dutch; only the upload takes a large body', async () => {
    const municipality = new Visitor(h.app);
    await signedIn(municipality, m.municipality!);
    await municipality.get('/language/nl?back=%2Fcases');
    const before = await textOf(await municipality.get(`/cases/${caseId}`));
    expect(before).toContain('Documenten');
    // The sponsor group's case documents are not the municipality's to see.
    expect(before).toContain('Nog geen bestanden.');
    expect(before).not.toContain('settlement-plan.pdf');

    const added = await add(municipality, { bytes: PNG, name: 'raadsbesluit.png', type: 'image/png' }, 'municipal-consent');
    expect(added.text).toContain('raadsbesluit.png is toegevoegd.');
    expect(added.text).toMatch(/raadsbesluit\.png PNG-afbeelding · \d+ bytes Instemming van de gemeente/);
    expect(added.html).toContain('<option value="municipal-consent">Instemming van de gemeente</option>');

    expect((await add(municipality, { bytes: EXE, name: 'besluit.pdf', type: 'application/pdf' })).text).toContain('Dit soort bestand kan niet. Voeg een pdf, PNG, JPEG of tekstbestand toe.');
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 - 8, 0x20)]);
    expect((await add(municipality, { bytes: big, name: 'groot.pdf' })).text).toContain('Dit bestand is groter dan 10 MB.');
    expect(await count('besluit.pdf')).toBe(0);
    expect(await count('groot.pdf')).toBe(0);
    // Past the upload's own limit the whole body is refused; another form keeps its 256 KiB.
    const huge = await sendForm(h, municipality, `/cases/${caseId}/attachments`, { _csrf: municipality.cookies.get('sr_csrf')!, _key: randomUUID() }, { bytes: Buffer.alloc(11 * 1024 * 1024, 0x20), name: 'huge.txt' });
    expect(huge.status).toBe(413);
    const long = await sendForm(h, municipality, `/cases/${caseId}/actions/decision`, { _csrf: municipality.cookies.get('sr_csrf')!, _key: randomUUID(), gateId: 'municipal-consent', reason: 'x'.repeat(300 * 1024) });
    expect(long.status).toBe(413);
  });
});
