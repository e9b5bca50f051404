// The pages over the real app, workflows and database (no browser): who sees what, what a form
// does, and what a person is told when something is refused or mistyped.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { act, startCase, view, waitForCase } from '../support/cases.js';
import { createOrganisation, createParties, withTimePolicy, type Member } from '../support/fixtures.js';
import { startTestWorker, uniqueTaskQueue } from '../support/stack.js';
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

  /**
   * The page a person sees after sending a form: on success the page it redirects to, with the
   * confirmation; on a refusal the page itself, answered with `status`.
   */
  async function submit(v: Visitor, path: string, fields: Record<string, string>, status = 303): Promise<string> {
    const response = await v.post(path, fields);
    expect(response.status).toBe(status);
    return status === 303 ? textOf(await v.get(response.headers.get('location')!)) : textOf(response);
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

  it('does an action once when its form is sent twice (a double tap, a retry after an error)', async () => {
    const fresh = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties: partiesOf(m) });
    const coordinator = visitors.coordinator!;
    const page = await (await coordinator.get(`/cases/${fresh.caseId}`)).text();
    const hold = /action="\/cases\/[^"]+\/actions\/hold"[\s\S]*?name="_key" value="([^"]+)"/.exec(page);
    expect(hold, 'the hold form carries its own key').not.toBeNull();
    const fields = { _key: hold![1]!, reason: 'Waiting for the medical report' };
    const [first, second] = await Promise.all([coordinator.post(`/cases/${fresh.caseId}/actions/hold`, fields), coordinator.post(`/cases/${fresh.caseId}/actions/hold`, fields)]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const again = await coordinator.post(`/cases/${fresh.caseId}/actions/hold`, fields);
    expect(again.status).toBe(303); // the first answer, not "already on hold"
    await expect.poll(async () => (await h.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${fresh.caseId} AND kind = 'case_held'`)[0]!.n).toBe(1);
    expect((await h.sql`SELECT count(*)::int AS n FROM texts WHERE case_id = ${fresh.caseId}`)[0]!.n).toBe(1);
  });

  it('after an unknown outcome (503) the form comes back with the key it was sent with, so pressing again applies it once', async () => {
    const queue = uniqueTaskQueue('web-unknown');
    let worker = await startTestWorker({ sql: h.sql, taskQueue: queue, client: h.client });
    const fresh = await startCase(h.client, h.sql, { taskQueue: queue, template, parties: partiesOf(m) });
    await view(fresh.handle);
    await expect.poll(async () => (await h.sql`SELECT state IS NOT NULL AS projected FROM cases WHERE id = ${fresh.caseId}`)[0]!.projected).toBe(true);
    await worker.stop(); // no worker: the page falls back to the projection, and an action's outcome is unknown
    try {
      const coordinator = visitors.coordinator!;
      const keyOf = (html: string) => /action="\/cases\/[^"]+\/actions\/hold"[\s\S]*?name="_key" value="([^"]+)"/.exec(html)?.[1];
      const sentKey = keyOf(await (await coordinator.get(`/cases/${fresh.caseId}`)).text());
      expect(sentKey).toBeDefined();
      const unknown = await coordinator.post(`/cases/${fresh.caseId}/actions/hold`, { _key: sentKey!, reason: 'Waiting for the medical report' });
      expect(unknown.status).toBe(503);
      const html = await unknown.text();
      expect(await textOf(new Response(html))).toContain('it may still go through. Press the button again in a minute: it will not be done twice.');
      expect(keyOf(html), 'the form keeps the key it was sent with').toBe(sentKey);
      expect(html).toContain('Waiting for the medical report'); // and what was typed

      worker = await startTestWorker({ sql: h.sql, taskQueue: queue, client: h.client });
      let again = await coordinator.post(`/cases/${fresh.caseId}/actions/hold`, { _key: keyOf(html)!, reason: 'Waiting for the medical report' });
      for (let i = 0; again.status === 503 && i < 10; i++) again = await coordinator.post(`/cases/${fresh.caseId}/actions/hold`, { _key: sentKey!, reason: 'Waiting for the medical report' });
      expect(again.status).toBe(303); // the first press's outcome, not "already on hold"
      await expect.poll(async () => (await h.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${fresh.caseId} AND kind = 'case_held'`)[0]!.n, { timeout: 20_000 }).toBe(1);
      // A form shown after a success gets a fresh key: the next hold is a new action.
      expect(keyOf(await (await coordinator.get(`/cases/${fresh.caseId}`)).text()) ?? 'no hold form while on hold').not.toBe(sentKey);
    } finally {
      await worker.stop();
    }
  });

  it('says why an action was refused, in plain words, and changes nothing', async () => {
    const before = (await view(kase.handle)).version;
    const page = await submit(visitors.sponsor!, `/cases/${kase.caseId}/actions/decide`, { gateId: 'municipal-consent', outcome: 'approve' }, 409);
    // The step by its title, never its id (the API's `detail` names the id).
    expect(page).toContain('That could not be done: your organisation does not act at step "Municipal consent" now. The page shows the situation as it is now.');
    // In the reader's language, with the step's title in it.
    await visitors.sponsor!.get('/language/nl?back=%2Fcases');
    try {
      const dutch = await submit(visitors.sponsor!, `/cases/${kase.caseId}/actions/decide`, { gateId: 'municipal-consent', outcome: 'approve' }, 409);
      expect(dutch).toContain('Dat kon niet: uw organisatie is nu niet aan zet bij stap "Instemming van de gemeente". De pagina toont de situatie zoals die nu is.');
    } finally {
      await visitors.sponsor!.get('/language/en?back=%2Fcases');
    }
    expect((await view(kase.handle)).version).toBe(before);
  });

  it('names the fields to fix when a form is filled in wrongly', async () => {
    await act(kase.handle, 'decide', { gateId: 'sponsor-plan', outcome: 'approve', actor: m.coordinator!.actor });
    await act(kase.handle, 'decide', { gateId: 'municipal-consent', outcome: 'approve', actor: m.municipality!.actor });
    const response = await visitors.municipality!.post(`/cases/${kase.caseId}/actions/offer_housing`, { gateId: 'housing', address: 'Oudegracht 1', rooms: '0', availableFrom: 'soon', validUntil: '2030-01-01' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Please check the form: number of rooms (1 to 20), available from (a date).');
    // What was typed is still there to correct, not to type again.
    expect(html).toMatch(/name="address"[^>]*value="Oudegracht 1"/);
    expect(html).toMatch(/name="validUntil"[^>]*value="2030-01-01"/);
    expect((await view(kase.handle)).gates[0]!.detail.offers).toEqual([]);
    const rejected = await submit(visitors.coordinator!, `/cases/${kase.caseId}/actions/withdraw`, { reason: '   ' }, 400);
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

  it('takes the coordinator’s actions from the case page: nudge, reassign, hold, resume, withdraw', async () => {
    const c3 = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties: partiesOf(m) });
    await act(c3.handle, 'decide', { gateId: 'eligibility', outcome: 'approve', actor: m.coordinator!.actor });
    await waitForCase(c3.handle, (v) => v.gates.length === 2);
    const coordinator = visitors.coordinator!;
    const path = `/cases/${c3.caseId}/actions`;
    expect(await submit(coordinator, `${path}/nudge`, { gateId: 'municipal-consent' })).toContain('A reminder was sent.');
    const leiden = await createOrganisation(h.sql, 'municipality', 'en', 'leiden');
    expect(await (await coordinator.get(`/cases/${c3.caseId}`)).text()).toContain(`<option value="${leiden.organisationId}">`);
    expect(await submit(coordinator, `${path}/reassign`, { gateId: 'municipal-consent', organisationId: leiden.organisationId, reason: 'Utrecht is full' })).toContain('The step was given to the other organisation.');
    expect((await view(c3.handle)).gates.find((g) => g.id === 'municipal-consent')!.assignee).toBe(leiden.organisationId);
    const held = await submit(coordinator, `${path}/hold`, { reason: 'Passport renewal' });
    expect(held).toContain('The case is on hold. Reminders are stopped until you resume it.');
    expect(held).toContain('On hold by the coordinator: Passport renewal.');
    expect(await submit(coordinator, `${path}/resume`, {})).toContain('The case is resumed.');
    // Withdrawing asks first (test/web/safe-forms.test.ts); confirmed, it is done.
    const withdrawn = await submit(coordinator, `${path}/withdraw`, { reason: 'The family found another route', confirmed: '1' });
    expect(withdrawn).toContain('The case is withdrawn.');
    expect((await view(c3.handle)).status).toBe('withdrawn');
    expect(withdrawn).toContain('This case is closed (Withdrawn): The family found another route');
  });

  it('lets the parties read and sign the agreement and the sponsor submit a check-in report, through the forms', async () => {
    // Check-in reports hourly, so the first is open for submitting at once.
    const quick = withTimePolicy(template, { dueIn: '30 days', remindAt: [], escalateEvery: '7 days' }, '3600 seconds');
    const c4 = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: quick, parties: partiesOf(m) });
    await act(c4.handle, 'decide', { gateId: 'eligibility', outcome: 'approve', actor: m.coordinator!.actor });
    await waitForCase(c4.handle, (v) => v.gates.length === 2);
    await act(c4.handle, 'decide', { gateId: 'sponsor-plan', outcome: 'approve', actor: m.coordinator!.actor });
    await act(c4.handle, 'decide', { gateId: 'municipal-consent', outcome: 'approve', actor: m.municipality!.actor });
    const offered = await act(c4.handle, 'offer_housing', { gateId: 'housing', offer: { offerId: crypto.randomUUID(), rooms: 2, accessible: false, availableFrom: '2027-01-01', validUntil: new Date(Date.now() + 86_400_000).toISOString() }, actor: m.municipality!.actor });
    await act(c4.handle, 'accept_offer', { gateId: 'housing', offerId: (offered.gates[0]!.detail.offers as { offerId: string }[])[0]!.offerId, actor: m.sponsor!.actor });
    const path = `/cases/${c4.caseId}/actions`;

    expect(await submit(visitors.coordinator!, `${path}/publish_agreement`, { gateId: 'sponsorship-agreement', title: 'Sponsorship agreement', text: 'The group supports the family for a year.' })).toContain('The agreement is published.');
    const sponsorPage = await textOf(await visitors.sponsor!.get(`/cases/${c4.caseId}`));
    expect(sponsorPage).toContain('The group supports the family for a year.');
    expect(sponsorPage).toContain('Sign version 1');
    for (const slot of ['sponsor', 'municipality', 'coordinator']) expect(await submit(visitors[slot]!, `${path}/sign`, { gateId: 'sponsorship-agreement', version: '1', confirmed: '1' })).toContain('You signed the agreement.');
    expect((await waitForCase(c4.handle, (v) => v.stage?.id === 'visa')).stage!.id).toBe('visa');

    await act(c4.handle, 'decide', { gateId: 'entry-visa', outcome: 'approve', actor: m.immigration!.actor });
    await act(c4.handle, 'complete', { gateId: 'orientation', actor: m.iom!.actor });
    await act(c4.handle, 'complete', { gateId: 'travel', actor: m.iom!.actor });
    await act(c4.handle, 'complete', { gateId: 'arrival', actor: m.sponsor!.actor });
    await waitForCase(c4.handle, (v) => v.stage?.id === 'support');
    const before = await textOf(await visitors.sponsor!.get(`/cases/${c4.caseId}`));
    expect(before).toContain('0 of 4 reports submitted');
    expect(await submit(visitors.sponsor!, `${path}/submit_checkin`, { gateId: 'checkins', reportIndex: '0', report: 'Settled in; school starts Monday.' })).toContain('Your check-in report was submitted.');
    expect((await h.sql`SELECT body FROM checkin_reports WHERE case_id = ${c4.caseId}`).map((r) => r.body)).toEqual(['Settled in; school starts Monday.']);
  });

  it('lets a signatory read the MoU, ask for changes and sign it on the programme page', async () => {
    const created = await h.call(m.coordinator!, 'POST', '/v1/programmes', { name: 'MoU on the page', pathway: 'community-sponsorship', quota: 2, coordinatorOrganisationId: m.coordinator!.organisationId, mouSignatories: [m.coordinator!.organisationId, m.sponsor!.organisationId] });
    const { id } = (await created.json()) as { id: string };
    const publish = (text: string) => h.call(m.coordinator!, 'POST', `/v1/programmes/${id}/agreement/publish`, { title: 'MoU', text });
    expect((await publish('Ten places in 2027.')).status).toBe(200);
    const sponsor = visitors.sponsor!;
    const page = await textOf(await sponsor.get(`/programmes/${id}`));
    expect(page).toContain('Ten places in 2027.');
    expect(page).toContain('Sign MoU version 1');
    expect(await submit(sponsor, `/programmes/${id}/actions/request_mou_changes`, { comment: 'Add the budget' })).toContain('Your request for changes was sent to the coordinator.');
    expect((await publish('Ten places in 2027, with a budget.')).status).toBe(200);
    const signed = await submit(sponsor, `/programmes/${id}/actions/sign_mou`, { version: '2', confirmed: '1' });
    expect(signed).toContain('You signed the MoU.');
    expect(signed).toContain('version 2, waiting for');
    const refused = await submit(sponsor, `/programmes/${id}/actions/pause`, { reason: 'not mine to pause', confirmed: '1' }, 409);
    expect(refused).toContain("That could not be done: only the programme's coordinator can pause it.");
    expect(refused).toContain('MoU on the page'); // the programme page itself, as it is now
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
