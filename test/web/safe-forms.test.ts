// Safe forms, over the real app, workflows and database (no browser): an action that cannot be
// undone asks first and does nothing until confirmed; a form that would be refused now is not
// offered, and the page says why; a form sent twice shows the first result, never an error.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import { useApi } from '../support/api.js';
import { act, document, startCase, view, waitForCase } from '../support/cases.js';
import { createParties, withTimePolicy, type Member } from '../support/fixtures.js';
import { startTestWorker, uniqueTaskQueue } from '../support/stack.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The hidden fields of the confirm page's form: what its "Yes" button sends. */
function confirmForm(html: string): { action: string; fields: Record<string, string> } {
  const form = /<form method="post" action="([^"]+)" class="action">([\s\S]*?)<\/form>/.exec(html.slice(html.indexOf('<main')));
  expect(form, 'the confirm page has its form').not.toBeNull();
  const fields: Record<string, string> = {};
  for (const [, name, value] of form![2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/?>/g)) fields[name!] = unescape(value!);
  return { action: form![1]!, fields };
}

/** The key a case or programme page's form for `type` carries. */
const keyOf = (html: string, type: string) => new RegExp(`action="[^"]+/actions/${type}"[\\s\\S]*?name="_key" value="([^"]+)"`).exec(html)?.[1];

const caseEvents = async (sql: ReturnType<typeof useApi>['sql'], caseId: string, kind: string) =>
  (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${caseId} AND kind = ${kind}`)[0]!.n;

describe('safe forms', () => {
  const h = useApi('web-safe-forms');
  let m: Record<string, Member>;
  const visitors: Record<string, Visitor> = {};
  const parties = () => Object.fromEntries(Object.entries(m).map(([slot, x]) => [slot, x.organisationId]));

  /** Posts a form and answers the page the person then sees (the redirect followed), with its status. */
  async function send(v: Visitor, path: string, fields: Record<string, string>): Promise<{ status: number; html: string; text: string }> {
    const response = await v.post(path, fields);
    const page = response.status === 303 ? await v.get(response.headers.get('location')!) : response;
    const html = await page.text();
    return { status: response.status, html, text: await textOf(new Response(html)) };
  }

  /** Sends a form that must ask first: checks the confirm page, and answers what its "Yes" sends. */
  async function asked(v: Visitor, path: string, fields: Record<string, string>, says: string[]): Promise<{ action: string; fields: Record<string, string> }> {
    const first = await send(v, path, fields);
    expect(first.status, 'the confirm page, not the action').toBe(200);
    for (const words of ['Please confirm', 'Nothing has been done yet.', 'Cancel', ...says]) expect(first.text).toContain(words);
    const form = confirmForm(first.html);
    expect(form.action).toBe(path);
    // The same fields again, with the same form token and key, and the confirmation.
    expect(form.fields).toMatchObject({ ...fields, _csrf: v.cookies.get('sr_csrf'), confirmed: '1' });
    return form;
  }

  beforeAll(async () => {
    ({ members: m } = await createParties(h.sql, template));
    for (const slot of ['coordinator', 'sponsor', 'municipality']) {
      visitors[slot] = new Visitor(h.app);
      await signedIn(visitors[slot]!, m[slot]!);
    }
  });

  it('asks before a rejection, does nothing until confirmed or on cancel, and rejects once', async () => {
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties: parties() });
    const coordinator = visitors.coordinator!;
    const path = `/cases/${kase.caseId}/actions/decide`;
    const before = await view(kase.handle);
    const _key = keyOf(await (await coordinator.get(`/cases/${kase.caseId}`)).text(), 'decide')!;
    expect(_key).toBeDefined();
    const yes = await asked(coordinator, path, { _key, gateId: 'eligibility', outcome: 'reject', reason: 'Not eligible under the programme rules' }, [
      kase.reference,
      'You reject this step. The case ends here',
      'Not eligible under the programme rules',
      'Yes, reject',
    ]);
    expect((await view(kase.handle)).version).toBe(before.version);
    expect(await caseEvents(h.sql, kase.caseId, 'gate_rejected')).toBe(0);

    // Cancel leads back to the case, as it was; so does opening the form's address (the language switch, a reload).
    const shown = await (await coordinator.post(path, { _key, gateId: 'eligibility', outcome: 'reject', reason: 'Not eligible under the programme rules' })).text();
    expect(shown).toContain(`<a href="/cases/${kase.caseId}#gate-eligibility">Cancel</a>`);
    const cancelled = await coordinator.get(`/cases/${kase.caseId}#gate-eligibility`);
    expect(cancelled.status).toBe(200);
    const reopened = await coordinator.get(path);
    expect([reopened.status, reopened.headers.get('location')]).toEqual([303, `/cases/${kase.caseId}`]);
    expect((await view(kase.handle)).status).toBe('active');

    // An approval stays one step (covered in pages.test.ts); the "Yes" rejects, once, however often it is pressed.
    const done = await send(coordinator, yes.action, yes.fields);
    expect(done.status).toBe(303);
    expect(done.text).toContain('Your decision is recorded.');
    const again = await send(coordinator, yes.action, yes.fields);
    expect(again.status).toBe(303);
    expect(again.text).toContain('Your decision is recorded.');
    expect((await view(kase.handle)).status).toBe('rejected');
    expect(await caseEvents(h.sql, kase.caseId, 'gate_rejected')).toBe(1);
  });

  it('asks before accepting an offer, signing the agreement and withdrawing the case', async () => {
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties: parties() });
    await act(kase.handle, 'decide', { gateId: 'eligibility', outcome: 'approve', actor: m.coordinator!.actor });
    await waitForCase(kase.handle, (v) => v.gates.length === 2);
    await act(kase.handle, 'decide', { gateId: 'sponsor-plan', outcome: 'approve', actor: m.coordinator!.actor });
    await act(kase.handle, 'decide', { gateId: 'municipal-consent', outcome: 'approve', actor: m.municipality!.actor });
    const offered = await act(kase.handle, 'offer_housing', { gateId: 'housing', offer: { offerId: crypto.randomUUID(), rooms: 2, accessible: false, availableFrom: '2027-01-01', validUntil: new Date(Date.now() + 86_400_000).toISOString() }, actor: m.municipality!.actor });
    const offerId = (offered.gates[0]!.detail.offers as { offerId: string }[])[0]!.offerId;
    const path = `/cases/${kase.caseId}/actions`;

    const accept = await asked(visitors.sponsor!, `${path}/accept_offer`, { _key: crypto.randomUUID(), gateId: 'housing', offerId }, [kase.reference, 'You accept this housing offer.', 'Yes, accept the offer']);
    expect((await view(kase.handle)).gates[0]!.detail.offers).toMatchObject([{ status: 'open' }]);
    expect((await send(visitors.sponsor!, accept.action, accept.fields)).text).toContain('You accepted the housing offer.');
    expect((await waitForCase(kase.handle, (v) => v.stage?.id === 'agreement')).stage!.id).toBe('agreement');

    await act(kase.handle, 'publish_agreement', { gateId: 'sponsorship-agreement', document: document(1), actor: m.coordinator!.actor });
    const sign = await asked(visitors.sponsor!, `${path}/sign`, { _key: crypto.randomUUID(), gateId: 'sponsorship-agreement', version: '1' }, ['You sign version 1 of the agreement.', 'Yes, sign']);
    const unsigned = () => view(kase.handle).then((v) => v.gates.find((g) => g.id === 'sponsorship-agreement')!.detail.unsigned as string[]);
    expect(await unsigned()).toContain(m.sponsor!.organisationId);
    expect((await send(visitors.sponsor!, sign.action, sign.fields)).text).toContain('You signed the agreement.');
    expect(await unsigned()).not.toContain(m.sponsor!.organisationId);

    const withdraw = await asked(visitors.coordinator!, `${path}/withdraw`, { _key: crypto.randomUUID(), reason: 'The family chose another route' }, [
      'You withdraw the case. This closes it for good',
      'The family chose another route',
      'Yes, withdraw the case',
    ]);
    expect((await view(kase.handle)).status).toBe('active');
    expect(await caseEvents(h.sql, kase.caseId, 'case_withdrawn')).toBe(0);
    const withdrawn = await send(visitors.coordinator!, withdraw.action, withdraw.fields);
    expect(withdrawn.text).toContain('The case is withdrawn.');
    expect((await view(kase.handle)).status).toBe('withdrawn');
  });

  it('asks before signing the MoU and pausing the programme; offers no pause before the MoU is signed', async () => {
    const created = await h.call(m.coordinator!, 'POST', '/v1/programmes', { name: 'Safe forms programme', pathway: 'community-sponsorship', quota: 4, coordinatorOrganisationId: m.coordinator!.organisationId, mouSignatories: [m.coordinator!.organisationId, m.sponsor!.organisationId] });
    const { id: programmeId } = (await created.json()) as { id: string };
    expect((await h.call(m.coordinator!, 'POST', `/v1/programmes/${programmeId}/agreement/publish`, { title: 'MoU', text: 'Four places.' })).status).toBe(200);
    expect((await h.call(m.coordinator!, 'POST', `/v1/programmes/${programmeId}/agreement/sign`, { version: 1 })).status).toBe(200);
    const status = async () => ((await (await h.call(m.coordinator!, 'GET', `/v1/programmes/${programmeId}`)).json()) as { state: { status: string } }).state.status;
    const page = `/programmes/${programmeId}`;
    const waiting = await (await visitors.coordinator!.get(page)).text();
    expect(keyOf(waiting, 'pause'), 'no pause form while the MoU is being signed').toBeUndefined();
    expect(await textOf(new Response(waiting))).toContain('Not possible now: only an active programme can be paused; it is waiting for its MoU to be signed.');

    const sign = await asked(visitors.sponsor!, `${page}/actions/sign_mou`, { _key: crypto.randomUUID(), version: '1' }, ['You sign version 1 of the programme', 'Yes, sign the MoU']);
    expect(await status()).toBe('negotiating');
    expect((await send(visitors.sponsor!, sign.action, sign.fields)).text).toContain('You signed the MoU.');
    expect(await status()).toBe('active');

    // A case in the programme, to see what its page offers once the programme is paused.
    const opened = await h.call(m.coordinator!, 'POST', '/v1/cases', { reference: `SAFE-${programmeId.slice(0, 6)}`, programmeId, parties: parties(), household: { principalName: 'A. Example' } });
    expect(opened.status).toBe(201);
    const caseId = ((await opened.json()) as { id: string }).id;
    const caseHandle = h.client.workflow.getHandle(caseWorkflowId(caseId));
    await waitForCase(caseHandle, (v) => v.status === 'active' && v.gates.length > 0);
    expect(keyOf(await (await visitors.coordinator!.get(`/cases/${caseId}`)).text(), 'decide')).toBeDefined();

    const _key = keyOf(await (await visitors.coordinator!.get(page)).text(), 'pause')!;
    expect(_key).toBeDefined();
    const pause = await asked(visitors.coordinator!, `${page}/actions/pause`, { _key, reason: 'Elections' }, ['You pause the programme.', 'Yes, pause the programme']);
    expect(await status()).toBe('active');
    const paused = await send(visitors.coordinator!, pause.action, pause.fields);
    expect(paused.text).toContain('The programme is paused. Its open cases hold until you resume it.');
    // Pressed twice: the first result again, not "already paused".
    const twice = await send(visitors.coordinator!, pause.action, pause.fields);
    expect(twice.status).toBe(303);
    expect(twice.text).toContain('The programme is paused. Its open cases hold until you resume it.');

    // Its case offers no decision now, and says why and until when.
    await waitForCase(caseHandle, (v) => v.programmePaused);
    const held = await (await visitors.coordinator!.get(`/cases/${caseId}`)).text();
    expect(keyOf(held, 'decide')).toBeUndefined();
    const since = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' }).format(new Date());
    expect(await textOf(new Response(held))).toContain(`Not possible now: the programme is paused since ${since}`);
    expect(await textOf(new Response(held))).toContain('actions resume when it does.');
    expect(await status()).toBe('paused');
  });

  it('shows a held case’s parties no forms for its steps, and says why and until when (in their language)', async () => {
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties: parties() });
    await act(kase.handle, 'decide', { gateId: 'eligibility', outcome: 'approve', actor: m.coordinator!.actor });
    await waitForCase(kase.handle, (v) => v.gates.length === 2);
    const municipality = visitors.municipality!;
    const actions = /action="\/cases\/[^"]+\/actions\//;
    expect(await (await municipality.get(`/cases/${kase.caseId}`)).text()).toMatch(actions);

    expect((await send(visitors.coordinator!, `/cases/${kase.caseId}/actions/hold`, { reason: 'Waiting for the medical report' })).status).toBe(303);
    const since = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'Europe/Amsterdam' }).format(new Date());
    const html = await (await municipality.get(`/cases/${kase.caseId}`)).text();
    expect(html, 'no form of a step to act on').not.toMatch(actions);
    const text = await textOf(new Response(html));
    expect(text).toContain(`Not possible now: the case is on hold since ${since}`);
    expect(text).toContain('actions resume when the coordinator resumes it.');

    // The coordinator still has their own actions (resume, withdraw), but not the step's decision.
    const coordinating = await (await visitors.coordinator!.get(`/cases/${kase.caseId}`)).text();
    expect(keyOf(coordinating, 'resume')).toBeDefined();
    expect(keyOf(coordinating, 'decide')).toBeUndefined();

    await municipality.get('/language/nl?back=%2Fcases');
    try {
      expect(await textOf(await municipality.get(`/cases/${kase.caseId}`))).toContain('Nu niet mogelijk: de casus is aangehouden sinds');
    } finally {
      await municipality.get('/language/en?back=%2Fcases');
    }
  });

  it('shows the first result when a check-in report is sent twice, at once or one after the other, in English and Dutch', async () => {
    // Only the support stage, with reports hourly: the first three are open for submitting at once.
    const quick = withTimePolicy(template, { dueIn: '30 days', remindAt: [], escalateEvery: '7 days' }, '3600 seconds');
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: { ...quick, stages: quick.stages.filter((s) => s.id === 'support') }, parties: parties() });
    await waitForCase(kase.handle, (v) => v.stage?.id === 'support');
    const sponsor = visitors.sponsor!;
    const path = `/cases/${kase.caseId}/actions/submit_checkin`;
    const formOf = async (reportIndex: number, report: string) => {
      const html = await (await sponsor.get(`/cases/${kase.caseId}`)).text();
      expect(html).toContain(`name="reportIndex" value="${reportIndex}"`);
      return { _key: keyOf(html, 'submit_checkin')!, gateId: 'checkins', reportIndex: String(reportIndex), report };
    };
    const never = (text: string) => {
      for (const words of ['could not', 'Dat kon niet', 'index', 'number', 'nummer']) expect(text).not.toContain(words);
    };

    // One after the other.
    const first = await formOf(0, 'Settled in.');
    for (let i = 0; i < 2; i++) {
      const page = await send(sponsor, path, first);
      expect(page.status).toBe(303);
      expect(page.text).toContain('Your check-in report was submitted.');
      never(page.text);
    }
    // The same form's key with other fields (a form changed and sent again): plain words, nothing done.
    const changed = await send(sponsor, path, { ...first, reportIndex: '1', report: 'Changed my mind.' });
    expect(changed.status).toBe(409);
    expect(changed.text).toContain('This form was already sent once, and nothing more was done.');
    for (const words of ['Idempotency', 'index']) expect(changed.text).not.toContain(words);
    // At once (a double tap).
    const second = await formOf(1, 'School started.');
    const both = await Promise.all([sponsor.post(path, second), sponsor.post(path, second)]);
    expect(both.map((r) => r.status)).toEqual([303, 303]);
    const shown = await textOf(await sponsor.get(both[1]!.headers.get('location')!));
    expect(shown).toContain('Your check-in report was submitted.');
    never(shown);

    // In Dutch.
    await sponsor.get('/language/nl?back=%2Fcases');
    try {
      const third = await formOf(2, 'Alles gaat goed.');
      for (let i = 0; i < 2; i++) {
        const page = await send(sponsor, path, third);
        expect(page.status).toBe(303);
        expect(page.text).toContain('Uw check-in-rapport is ingestuurd.');
        never(page.text);
      }
    } finally {
      await sponsor.get('/language/en?back=%2Fcases');
    }
    expect((await h.sql`SELECT body FROM checkin_reports WHERE case_id = ${kase.caseId} ORDER BY created_at`).map((r) => r.body)).toEqual(['Settled in.', 'School started.', 'Alles gaat goed.']);
    expect(await caseEvents(h.sql, kase.caseId, 'checkin_submitted')).toBe(3);
  });

  it('after an unknown outcome, sends the same check-in report again (same key, same report number), and it is in once', async () => {
    const queue = uniqueTaskQueue('web-safe-unknown');
    let worker = await startTestWorker({ sql: h.sql, taskQueue: queue, client: h.client });
    const quick = withTimePolicy(template, { dueIn: '30 days', remindAt: [], escalateEvery: '7 days' }, '3600 seconds');
    const kase = await startCase(h.client, h.sql, { taskQueue: queue, template: { ...quick, stages: quick.stages.filter((s) => s.id === 'support') }, parties: parties() });
    await waitForCase(kase.handle, (v) => v.stage?.id === 'support');
    await expect.poll(async () => (await h.sql`SELECT state->'stage'->>'id' AS stage FROM cases WHERE id = ${kase.caseId}`)[0]!.stage).toBe('support');
    const sponsor = visitors.sponsor!;
    const path = `/cases/${kase.caseId}/actions/submit_checkin`;
    const html = await (await sponsor.get(`/cases/${kase.caseId}`)).text();
    const sent = { _key: keyOf(html, 'submit_checkin')!, gateId: 'checkins', reportIndex: '0', report: 'Settled in.' };
    await worker.stop();
    try {
      const unknown = await sponsor.post(path, sent);
      expect(unknown.status).toBe(503);
      const again = await unknown.text();
      expect(keyOf(again, 'submit_checkin'), 'the form keeps the key it was sent with').toBe(sent._key);
      expect(again).toContain('name="reportIndex" value="0"');
      worker = await startTestWorker({ sql: h.sql, taskQueue: queue, client: h.client });
      let page = await send(sponsor, path, sent);
      for (let i = 0; page.status === 503 && i < 10; i++) page = await send(sponsor, path, sent);
      expect(page.status).toBe(303);
      expect(page.text).toContain('Your check-in report was submitted.');
      expect(page.text).not.toContain('index');
      await expect.poll(() => caseEvents(h.sql, kase.caseId, 'checkin_submitted'), { timeout: 20_000 }).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});
