// A case's files and its agreement as a PDF (usecases/attachments.ts, usecases/agreement-pdf.ts),
// through the API over the real servers: a file goes up once per key, comes back byte for byte,
// is judged by its bytes and its size, is read only by those the access table names (and each
// download is logged for the coordinator); the agreement's PDF carries its text and, once
// signed, who signed which version when.
import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { issueToken } from '../../usecases/tokens.js';
import { useApi } from '../support/api.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';
import { pdfText } from '../support/pdf-text.js';
import { signedIn, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000d49484452', 'hex'), Buffer.alloc(32, 1)]);
// A Windows program: neither PDF, PNG, JPEG nor text, whatever its name says.
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]), Buffer.alloc(64, 0)]);

type Attachment = { id: string; caseId: string; gateId: string | null; reportIndex: number | null; fileName: string; mediaType: string; size: number; sha256: string; uploadedBy: { organisation: { id: string }; person: { id: string; name: string | null } } };
type Gate = { id: string; detail: Record<string, any> };
type CaseState = { stage: { id: string } | null; gates: Gate[] };

describe('attachments and agreement PDFs', () => {
  const h = useApi('attachments');
  let m: Record<string, Member>;
  let stranger: Member;
  let caseId: string;
  const tokens = new Map<string, string>();

  const tokenOf = async (who: Member) => {
    if (!tokens.has(who.personId)) tokens.set(who.personId, (await issueToken(h.sql, who.personId, 'test')).token);
    return tokens.get(who.personId)!;
  };
  const upload = async (who: Member, file: { bytes: Buffer; name: string; type?: string } | null, fields: Record<string, string> = {}, key?: string, id = caseId) => {
    const form = new FormData();
    if (file) form.set('file', new File([file.bytes], file.name, { type: file.type ?? 'application/octet-stream' }));
    for (const [name, value] of Object.entries(fields)) form.set(name, value);
    return h.app.request(`/v1/cases/${id}/attachments`, { method: 'POST', body: form, headers: { authorization: `Bearer ${await tokenOf(who)}`, ...(key ? { 'idempotency-key': key } : {}) } });
  };
  const uploaded = async (who: Member, file: { bytes: Buffer; name: string; type?: string }, fields: Record<string, string> = {}, key?: string) => {
    const response = await upload(who, file, fields, key);
    const body = (await response.json()) as Attachment & { detail?: string };
    expect(response.status, body.detail).toBe(201);
    return { body, location: response.headers.get('location') };
  };
  const listed = async (who: Member) => {
    const response = await h.call(who, 'GET', `/v1/cases/${caseId}/attachments`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Attachment[] }).items.map((a) => a.id);
  };
  const post = async (who: Member, path: string, body: unknown) => {
    const response = await h.call(who, 'POST', `/v1/cases/${caseId}${path}`, body);
    const json = (await response.json()) as CaseState & { detail?: string };
    expect(response.status, `${path}: ${json.detail ?? ''}`).toBe(200);
    return json;
  };
  const reads = async (attachmentId: string) => h.sql<{ personId: string; level: string; fields: string[]; door: string }[]>`
    SELECT person_id AS "personId", level, fields, door FROM personal_data_reads WHERE attachment_id = ${attachmentId} ORDER BY id`;

  beforeAll(async () => {
    let parties: Record<string, string>;
    ({ members: m, parties } = await createParties(h.sql, template));
    stranger = await createOrganisation(h.sql, 'sponsor_group', 'en', 'stranger');
    const created = await h.call(m.coordinator!, 'POST', '/v1/cases', { reference: 'DOC-1', pathwayId: template.id, parties, household: { principalName: 'D. Example' } });
    expect(created.status).toBe(201);
    caseId = ((await created.json()) as { id: string }).id;
    // The workflow starts a moment after the answer (expect.poll works only inside a test).
    for (let tries = 0; ; tries++) {
      const { state } = (await (await h.call(m.coordinator!, 'GET', `/v1/cases/${caseId}`)).json()) as { state: CaseState | null };
      if (state?.stage?.id === 'eligibility') break;
      if (tries > 80) throw new Error('the case did not start');
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  it('stores an upload, lists it and gives back the same bytes, as a download of its real type', async () => {
    const { body, location } = await uploaded(m.sponsor!, { bytes: PDF, name: 'settlement-plan.pdf', type: 'application/pdf' });
    expect(body).toMatchObject({ caseId, gateId: null, reportIndex: null, fileName: 'settlement-plan.pdf', mediaType: 'application/pdf', size: PDF.length, sha256: createHash('sha256').update(PDF).digest('hex') });
    expect(body.uploadedBy).toMatchObject({ organisation: { id: m.sponsor!.organisationId }, person: { id: m.sponsor!.personId } });
    expect(body.uploadedBy.person.name).not.toBeNull();
    expect(location).toBe(`/v1/cases/${caseId}/attachments/${body.id}`);
    expect(await listed(m.sponsor!)).toContain(body.id);

    const download = await h.call(m.sponsor!, 'GET', location!);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="settlement-plan.pdf"; filename*=UTF-8''settlement-plan.pdf`);
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');

    // The coordinator sees who uploaded it; the agency (reach `case`) sees the file, not the person's name.
    const asAgency = ((await (await h.call(m.immigration!, 'GET', `/v1/cases/${caseId}/attachments`)).json()) as { items: Attachment[] }).items.find((a) => a.id === body.id);
    expect(asAgency?.uploadedBy.person.name).toBeNull();
  });

  it('stores a retried upload once, and refuses the same key with another file', async () => {
    const key = randomUUID();
    const first = await uploaded(m.sponsor!, { bytes: PDF, name: 'pledge.pdf' }, {}, key);
    const again = await uploaded(m.sponsor!, { bytes: PDF, name: 'pledge.pdf' }, {}, key);
    expect(again.body).toEqual(first.body);
    const [row] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM attachments WHERE case_id = ${caseId} AND file_name = 'pledge.pdf'`;
    expect(row!.n).toBe(1);
    const other = await upload(m.sponsor!, { bytes: PNG, name: 'pledge.png' }, {}, key);
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ title: 'Idempotency-Key reused' });
  });

  it('judges a file by its bytes: a program named .pdf is refused (415), a PNG named .pdf is stored as a PNG', async () => {
    const disguised = await upload(m.sponsor!, { bytes: EXE, name: 'receipt.pdf', type: 'application/pdf' });
    expect(disguised.status).toBe(415);
    expect(await disguised.json()).toMatchObject({ status: 415, title: 'Unsupported file type' });
    const png = await uploaded(m.sponsor!, { bytes: PNG, name: 'scan.pdf', type: 'application/pdf' });
    expect(png.body).toMatchObject({ mediaType: 'image/png', fileName: 'scan.pdf.png' });
    const download = await h.call(m.sponsor!, 'GET', png.location!);
    expect(download.headers.get('content-type')).toBe('image/png');
    // A name is cleaned of paths, quotes and control characters before it is stored or sent back.
    expect((await uploaded(m.sponsor!, { bytes: Buffer.from('plain words\n'), name: '../../"notes"\u0007.txt' })).body).toMatchObject({ fileName: 'notes.txt', mediaType: 'text/plain' });
  });

  it('answers 400 without a file, 415 to a JSON body, and 413 to a file over 10 MiB — without loosening the other routes', async () => {
    expect((await upload(m.sponsor!, null)).status).toBe(400);
    expect(await (await upload(m.sponsor!, { bytes: Buffer.alloc(0), name: 'empty.pdf' })).json()).toMatchObject({ status: 400, errors: [{ field: 'file' }] });
    const json = await h.call(m.sponsor!, 'POST', `/v1/cases/${caseId}/attachments`, { file: 'JVBERi0=' });
    expect(json.status).toBe(415);
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(10 * 1024 * 1024 + 1 - 9, 0x20)]);
    const tooLarge = await upload(m.sponsor!, { bytes: big, name: 'big.pdf' });
    expect(tooLarge.status).toBe(413);
    expect(await tooLarge.json()).toMatchObject({ title: 'File too large' });
    expect((await upload(m.sponsor!, { bytes: Buffer.alloc(11 * 1024 * 1024, 0x20), name: 'huge.txt' })).status).toBe(413);
    // A JSON route keeps its 256 KiB limit, and a multipart body elsewhere is still refused.
    expect((await h.call(m.coordinator!, 'POST', '/v1/cases', { reference: 'x'.repeat(300 * 1024) })).status).toBe(413);
    const form = new FormData();
    form.set('reason', 'r');
    expect((await h.app.request(`/v1/cases/${caseId}/hold`, { method: 'POST', body: form, headers: { authorization: `Bearer ${await tokenOf(m.coordinator!)}` } })).status).toBe(415);
  });

  it('lets each party read what the access table gives it, and outsiders nothing', async () => {
    // Steps are there to attach to once they open: eligibility approved opens municipal consent.
    await post(m.coordinator!, '/gates/eligibility/decision', { outcome: 'approve' });
    const caseFile = (await uploaded(m.sponsor!, { bytes: PDF, name: 'financial-pledge.pdf' })).body;
    // The municipality acts on municipal consent: it attaches there, not to the coordinator's step.
    const consent = (await uploaded(m.municipality!, { bytes: PNG, name: 'council-decision.png' }, { gateId: 'municipal-consent' })).body;
    expect(consent.gateId).toBe('municipal-consent');
    expect((await upload(m.municipality!, { bytes: PDF, name: 'x.pdf' }, { gateId: 'sponsor-plan' })).status).toBe(403);
    expect((await upload(m.municipality!, { bytes: PDF, name: 'x.pdf' }, { gateId: 'no-such-step' })).status).toBe(400);
    expect((await upload(m.sponsor!, { bytes: PDF, name: 'x.pdf' }, { reportIndex: '0' })).status).toBe(400);

    // all: the coordinator and the sponsor group; case: the agency (the case's files, not the municipality's step); steps: the municipality.
    for (const who of [m.coordinator!, m.sponsor!]) expect(await listed(who)).toEqual(expect.arrayContaining([caseFile.id, consent.id]));
    expect(await listed(m.immigration!)).toContain(caseFile.id);
    expect(await listed(m.immigration!)).not.toContain(consent.id);
    expect(await listed(m.municipality!)).toContain(consent.id);
    expect(await listed(m.municipality!)).not.toContain(caseFile.id);
    const refused = await h.call(m.municipality!, 'GET', `/v1/cases/${caseId}/attachments/${caseFile.id}`);
    expect(refused.status).toBe(404);
    expect(await refused.json()).toMatchObject({ title: 'Attachment not found' });

    for (const [method, path] of [
      ['GET', `/v1/cases/${caseId}/attachments`],
      ['GET', `/v1/cases/${caseId}/attachments/${caseFile.id}`],
    ] as const) {
      const response = await h.call(stranger, method, path);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ title: 'Case not found' });
    }
    expect((await upload(stranger, { bytes: PDF, name: 'x.pdf' })).status).toBe(404);
    expect(await reads(caseFile.id)).toEqual([]);
  });

  it('records every download for the coordinator, in the read log', async () => {
    const file = (await uploaded(m.sponsor!, { bytes: PDF, name: 'receipt.pdf' })).body;
    await h.call(m.immigration!, 'GET', `/v1/cases/${caseId}/attachments/${file.id}`);
    await h.call(m.sponsor!, 'GET', `/v1/cases/${caseId}/attachments/${file.id}`);
    expect(await reads(file.id)).toEqual([
      { personId: m.immigration!.personId, level: 'document', fields: ['document'], door: 'api' },
      { personId: m.sponsor!.personId, level: 'document', fields: ['document'], door: 'api' },
    ]);
    const log = (await (await h.call(m.coordinator!, 'GET', `/v1/cases/${caseId}/reads?limit=2`)).json()) as { items: { level: string; fields: string[]; reader: { personId: string } }[] };
    expect(log.items[0]).toMatchObject({ level: 'document', fields: ['document'], reader: { personId: m.sponsor!.personId } });
  });

  it("renders the agreement as a PDF for its signatories and the coordinator, ending, once signed, with who signed which version when", async () => {
    await post(m.coordinator!, '/gates/sponsor-plan/decision', { outcome: 'approve' });
    expect((await post(m.municipality!, '/gates/municipal-consent/decision', { outcome: 'approve' })).stage?.id).toBe('housing');
    const validUntil = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const offered = await post(m.municipality!, '/gates/housing/offer', { address: 'Lange Nieuwstraat 1, Utrecht', rooms: 3, accessible: true, availableFrom: '2027-03-01', validUntil });
    const offerId = offered.gates.find((g) => g.id === 'housing')!.detail.offers[0].offerId as string;
    expect((await post(m.sponsor!, '/gates/housing/accept', { offerId })).stage?.id).toBe('agreement');
    const pdfPath = `/v1/cases/${caseId}/gates/sponsorship-agreement/document.pdf`;
    expect(await (await h.call(m.coordinator!, 'GET', pdfPath)).json()).toMatchObject({ status: 404, title: 'Agreement not published' });
    await post(m.coordinator!, '/gates/sponsorship-agreement/publish', { title: 'Sponsorship agreement', text: 'Twelve months of support, a home and a language course.' });

    const draft = await h.call(m.sponsor!, 'GET', pdfPath);
    expect(draft.status).toBe(200);
    expect(draft.headers.get('content-type')).toBe('application/pdf');
    expect(draft.headers.get('content-disposition')).toContain('attachment; filename="Sponsorship agreement v1.pdf"');
    const draftText = pdfText(Buffer.from(await draft.arrayBuffer()));
    expect(draftText).toContain('Sponsorship agreement');
    expect(draftText).toContain('Twelve months of support');
    expect(draftText).toContain('Not executed yet');
    expect(draftText).toContain('Nobody has signed this version yet.');

    for (const slot of ['sponsor', 'municipality', 'coordinator']) await post(m[slot]!, '/gates/sponsorship-agreement/sign', { version: 1 });
    const people = await h.sql<{ person: string; organisation: string }[]>`
      SELECT p.name AS person, o.name AS organisation FROM people p JOIN organisations o ON o.id = p.organisation_id WHERE p.id = ANY(${[m.sponsor!.personId, m.municipality!.personId, m.coordinator!.personId]}::uuid[])`;
    // The signatures reach the timeline a moment after the workflow took them.
    let signed = '';
    await expect
      .poll(async () => (signed = pdfText(Buffer.from(await (await h.call(m.municipality!, 'GET', pdfPath)).arrayBuffer()))), { timeout: 20_000 })
      .toContain(people[2]!.person);
    expect(signed).toContain('Sponsorship agreement');
    expect(signed).toContain('Executed on');
    expect(signed).toContain('Organisation Signed by Version When');
    // One row per signature: organisation, person, the version signed, when (in English, UTC).
    for (const p of people) expect(signed).toMatch(new RegExp(`${p.organisation} ${p.person} 1 \\d{1,2} \\w+ \\d{4} at \\d\\d:\\d\\d UTC`));
    expect(signed.indexOf('Organisation Signed by')).toBeGreaterThan(signed.indexOf('Twelve months of support'));
    // The same version and signatures, the same file.
    const again = Buffer.from(await (await h.call(m.coordinator!, 'GET', pdfPath)).arrayBuffer());
    const once = Buffer.from(await (await h.call(m.coordinator!, 'GET', pdfPath)).arrayBuffer());
    expect(again.equals(once)).toBe(true);

    expect(await (await h.call(m.immigration!, 'GET', pdfPath)).json()).toMatchObject({ status: 403, title: 'Not a signatory' });
    expect(await (await h.call(stranger, 'GET', pdfPath)).json()).toMatchObject({ status: 404, title: 'Case not found' });

    // On the pages, in the reader's language: executed, its step has left the case's state, and
    // the case page's documents still offer it.
    const sponsor = new Visitor(h.app);
    await signedIn(sponsor, m.sponsor!);
    await sponsor.get('/language/nl?back=%2Fcases');
    const page = await (await sponsor.get(`/cases/${caseId}`)).text();
    expect(page).toContain(`href="/cases/${caseId}/gates/sponsorship-agreement/document.pdf"`);
    expect(page).toContain('Sponsorship agreement, versie 1 — door iedereen getekend op');
    const dutch = await sponsor.get(`/cases/${caseId}/gates/sponsorship-agreement/document.pdf`);
    expect(dutch.status).toBe(200);
    const dutchText = pdfText(Buffer.from(await dutch.arrayBuffer()));
    expect(dutchText).toContain('Handtekeningen Getekend op');
    expect(dutchText).toContain('Organisatie Getekend door Versie Wanneer');
    expect(dutchText).toMatch(/ 1 \d{1,2} \w{3,4}\.? \d{4}/);
  });

  it("renders a programme's MoU as a PDF for its coordinator and signatories", async () => {
    const created = await h.call(m.coordinator!, 'POST', '/v1/programmes', {
      name: 'Documents pilot',
      pathway: template.id,
      quota: 2,
      coordinatorOrganisationId: m.coordinator!.organisationId,
      mouSignatories: [m.coordinator!.organisationId, m.municipality!.organisationId],
    });
    expect(created.status).toBe(201);
    const programmeId = ((await created.json()) as { id: string }).id;
    const path = (s: string) => `/v1/programmes/${programmeId}${s}`;
    await expect.poll(async () => (await h.call(m.coordinator!, 'GET', path(''))).status, { timeout: 20_000 }).toBe(200);
    expect((await h.call(m.coordinator!, 'POST', path('/agreement/publish'), { title: 'Memorandum of understanding', text: 'Article 1: places for two households.' })).status).toBe(200);
    for (const who of [m.coordinator!, m.municipality!]) expect((await h.call(who, 'POST', path('/agreement/sign'), { version: 1 })).status).toBe(200);
    const [person] = await h.sql<{ name: string }[]>`SELECT name FROM people WHERE id = ${m.municipality!.personId}`;
    await expect
      .poll(async () => pdfText(Buffer.from(await (await h.call(m.municipality!, 'GET', path('/agreement.pdf'))).arrayBuffer())), { timeout: 20_000 })
      .toContain(person!.name);
    const text = pdfText(Buffer.from(await (await h.call(m.coordinator!, 'GET', path('/agreement.pdf'))).arrayBuffer()));
    expect(text).toContain('Memorandum of understanding');
    expect(text).toContain('Article 1: places for two households.');
    expect(text).toContain('Executed on');
    expect((await h.call(stranger, 'GET', path('/agreement.pdf'))).status).toBe(404);
  });
});
