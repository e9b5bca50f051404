// The pages over the real app, workflows and database (no browser): who sees what, what a form
// does, and what a person is told when something is refused or mistyped.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { act, startCase, view, waitForCase } from '../support/cases.js';
import { createParties, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

describe('the pages', () => {
  const h = useApi('web-pages');
  let m: Record<string, Member>;
  let other: Record<string, Member>;
  let kase: Awaited<ReturnType<typeof startCase>>;
  let othersCase: Awaited<ReturnType<typeof startCase>>;
  const visitors: Record<string, Visitor> = {};
  const partiesOf = (members: Record<string, Member>) => Object.fromEntries(Object.entries(members).map(([slot, x]) => [slot, x.organisationId]));

  /** A follow-up GET of where a form redirected to: the page with its confirmation or error. */
  async function submit(v: Visitor, path: string, fields: Record<string, string>): Promise<string> {
    const response = await v.post(path, fields);
    expect(response.status).toBe(303);
    return textOf(await v.get(response.headers.get('location')!));
  }

  beforeAll(async () => {
    ({ members: m } = await createParties(h.sql, template));
    ({ members: other } = await createParties(h.sql, template));
    kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties: partiesOf(m) });
    othersCase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties: partiesOf(other) });
    for (const slot of ['coordinator', 'sponsor', 'municipality']) {
      visitors[slot] = new Visitor(h.app);
      await signedIn(visitors[slot]!, m[slot]!);
    }
  });

  it('shows a case only to the organisations that take part in it', async () => {
    const sponsor = visitors.sponsor!;
    const list = await textOf(await sponsor.get('/cases'));
    expect(list).toContain(kase.reference);
    expect(list).not.toContain(othersCase.reference);
    const foreign = await sponsor.get(`/cases/${othersCase.caseId}`);
    expect(foreign.status).toBe(404);
    expect(await textOf(foreign)).toContain('This page does not exist, or it is not visible to your organisation.');
    const acting = await visitors.coordinator!.post(`/cases/${othersCase.caseId}/actions/decide`, { gateId: 'eligibility', outcome: 'approve' });
    expect(acting.status).toBe(404);
    expect((await view(othersCase.handle)).stage!.id).toBe('eligibility');
  });

  it('runs a decision from a form and tells the timeline in plain words', async () => {
    const page = await submit(visitors.coordinator!, `/cases/${kase.caseId}/actions/decide`, { gateId: 'eligibility', outcome: 'approve' });
    expect(page).toContain('Your decision is recorded.');
    expect((await waitForCase(kase.handle, (v) => v.gates.length === 2)).stage!.id).toBe('commitment');
    const coordinatorOrg = (await h.sql`SELECT name FROM organisations WHERE id = ${m.coordinator!.organisationId}`)[0]!.name;
    await expect.poll(async () => textOf(await visitors.sponsor!.get(`/cases/${kase.caseId}`)), { timeout: 15_000 }).toContain(`${coordinatorOrg} approved “Eligibility decision”.`);
  });

  it('says why an action was refused, in plain words, and changes nothing', async () => {
    const before = (await view(kase.handle)).version;
    const page = await submit(visitors.sponsor!, `/cases/${kase.caseId}/actions/decide`, { gateId: 'municipal-consent', outcome: 'approve' });
    expect(page).toContain('That could not be done: your organisation does not act at gate "municipal-consent" now. The page shows the situation as it is now.');
    expect((await view(kase.handle)).version).toBe(before);
  });

  it('names the fields to fix when a form is filled in wrongly', async () => {
    await act(kase.handle, 'decide', { gateId: 'sponsor-plan', outcome: 'approve', actor: m.coordinator!.actor });
    await act(kase.handle, 'decide', { gateId: 'municipal-consent', outcome: 'approve', actor: m.municipality!.actor });
    const page = await submit(visitors.municipality!, `/cases/${kase.caseId}/actions/offer_housing`, { gateId: 'housing', address: 'Oudegracht 1', rooms: '0', availableFrom: 'soon', validUntil: '2030-01-01' });
    expect(page).toContain('Please check the form: number of rooms (1 to 20), available from (a date).');
    expect((await view(kase.handle)).gates[0]!.detail.offers).toEqual([]);
    const rejected = await submit(visitors.coordinator!, `/cases/${kase.caseId}/actions/withdraw`, { reason: '   ' });
    expect(rejected).toContain('Please check the form: reason.');
  });

  it('shows the offered address only to who offers, answers or coordinates the housing', async () => {
    await submit(visitors.municipality!, `/cases/${kase.caseId}/actions/offer_housing`, { gateId: 'housing', address: 'Kromme Nieuwegracht 7, Utrecht', rooms: '2', availableFrom: '2027-05-01', validUntil: '2030-01-01' });
    for (const slot of ['municipality', 'sponsor', 'coordinator']) expect(await textOf(await visitors[slot]!.get(`/cases/${kase.caseId}`)), slot).toContain('Kromme Nieuwegracht 7');
    const immigration = new Visitor(h.app);
    await signedIn(immigration, m.immigration!);
    const page = await textOf(await immigration.get(`/cases/${kase.caseId}`));
    expect(page).toContain('Housing offer (open)');
    expect(page).not.toContain('Kromme Nieuwegracht 7');
  });

  it('answers a form that is too long, or posted after the session ended, in plain words', async () => {
    const tooLong = await visitors.coordinator!.post(`/cases/${kase.caseId}/actions/hold`, { reason: 'é'.repeat(60_000) });
    expect(tooLong.status).toBe(413);
    expect(await textOf(tooLong)).toContain('What you sent is too long for one form. Nothing was changed.');
    const expired = new Visitor(h.app);
    await expired.get('/sign-in');
    const response = await expired.post(`/cases/${kase.caseId}/actions/hold`, { reason: 'x' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(`/cases/${kase.caseId}`)}`);
    expect((await view(kase.handle)).held).toBeNull();
  });

  it('keeps coordinators’ pages for coordinators', async () => {
    const board = await visitors.sponsor!.get('/board');
    expect(board.status).toBe(403);
    expect(await textOf(board)).toContain('This page is for coordinators.');
    const page = await textOf(await visitors.sponsor!.get(`/cases/${kase.caseId}`));
    expect(page).not.toContain('Coordinator actions');
    expect(await textOf(await visitors.coordinator!.get(`/cases/${kase.caseId}`))).toContain('Coordinator actions');
  });

  it('speaks the person’s language, and switches on request', async () => {
    await h.sql`UPDATE people SET language = 'nl' WHERE id = ${m.municipality!.personId}`;
    const officer = new Visitor(h.app);
    await signedIn(officer, m.municipality!, 2);
    expect(await textOf(await officer.get('/inbox'))).toContain('Wacht op ons');
    const switched = await officer.get('/language/en?back=%2Finbox');
    expect(switched.headers.get('location')).toBe('/inbox');
    expect(await textOf(await officer.get('/inbox'))).toContain('Waiting on us');
    expect((await officer.get('/language/en?back=https%3A%2F%2Fevil.example')).headers.get('location')).toBe('/');
    // Someone not signed in gets their browser's language.
    const anonymous = await textOf(await new Visitor(h.app, { 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.8' }).get('/sign-in'));
    expect(anonymous).toContain('Mail mij een inloglink');
  });

  it('sends pages with a strict content policy, never cached, never leaking links as referrers', async () => {
    const response = await visitors.sponsor!.get('/cases');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html).not.toContain('<script');
  });
});
