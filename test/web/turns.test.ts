// Every open task is someone's visible turn, over the real app, workflows and database: a declined
// housing request leaves the municipality's inbox and becomes the coordinator's "choose another
// municipality" with the form at hand; a check-in report is the sponsor's task with its own due
// date, and sent reports are read back by those entitled (and the read is logged).
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { startCase, waitForCase } from '../support/cases.js';
import { createOrganisation, createParties, withTimePolicy, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const community = builtInTemplates['community-sponsorship']!;
const onlyStage = (id: string, reportEvery = '4 seconds') => {
  const quick = withTimePolicy(community, { dueIn: '30 days', remindAt: [], escalateEvery: '7 days' }, reportEvery);
  return { ...quick, stages: quick.stages.filter((s) => s.id === id) };
};

/** The key the case page's form for `type` carries. */
const keyOf = (html: string, type: string) => new RegExp(`action="[^"]+/actions/${type}"[\\s\\S]*?name="_key" value="([^"]+)"`).exec(html)?.[1];
const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('whose turn it is, on the pages', () => {
  const h = useApi('web-turns');
  let m: Record<string, Member>;
  let otherMunicipality: Member;
  const visitors: Record<string, Visitor> = {};
  const parties = () => Object.fromEntries(Object.entries(m).map(([slot, x]) => [slot, x.organisationId]));
  const page = async (v: Visitor, path: string) => {
    const response = await v.get(path);
    return { status: response.status, html: await response.clone().text(), text: await textOf(response) };
  };

  beforeAll(async () => {
    ({ members: m } = await createParties(h.sql, community));
    otherMunicipality = await createOrganisation(h.sql, 'municipality', 'en', 'other-municipality');
    for (const [slot, member] of [...Object.entries(m), ['other', otherMunicipality] as const]) {
      if (!['coordinator', 'sponsor', 'municipality', 'other'].includes(slot)) continue;
      visitors[slot] = new Visitor(h.app);
      await signedIn(visitors[slot]!, member);
    }
  });

  it('a declined housing request leaves the municipality’s inbox and is the coordinator’s “choose another municipality”, in English and Dutch', async () => {
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: onlyStage('housing'), parties: parties() });
    await waitForCase(kase.handle, (v) => v.stage?.id === 'housing');
    const municipality = visitors.municipality!;
    const coordinator = visitors.coordinator!;

    // The inbox reads the projection, a moment behind the workflow.
    await expect.poll(async () => (await page(municipality, '/inbox')).text, { timeout: 10_000 }).toContain(kase.reference);
    expect((await page(municipality, '/inbox')).text).toContain('Make a housing offer');
    const casePage = await page(municipality, `/cases/${kase.caseId}`);
    expect(casePage.text).toMatch(/Your turn: Make a housing offer, by \d+ \w+ \d{4}\./);
    // One deadline: "what happens now" and the step name the same date.
    const dates = [...casePage.text.matchAll(/(?:Due|by) (\d+ \w+ \d{4})/g)].map((x) => x[1]);
    expect(new Set(dates).size, `one deadline on the page: ${dates.join(', ')}`).toBe(1);

    const declined = await municipality.post(`/cases/${kase.caseId}/actions/decline_housing_request`, { _key: keyOf(casePage.html, 'decline_housing_request')!, gateId: 'housing', reason: 'No family homes free until summer' });
    expect(declined.status).toBe(303);
    await waitForCase(kase.handle, (v) => v.gates[0]?.turn?.todo === 'choose-another');

    // The municipality: not its turn, out of its inbox; it may still offer after all.
    await expect.poll(async () => (await page(municipality, '/inbox')).text, { timeout: 10_000 }).not.toContain(kase.reference);
    const theirs = await page(municipality, `/cases/${kase.caseId}`);
    expect(theirs.text).toContain('You said on');
    expect(theirs.text).toContain('The coordinator now chooses another municipality.');
    expect(theirs.text).not.toContain('Your turn');
    expect(theirs.text).toContain('Offer housing after all');

    // The coordinator: in the inbox as what to do, and on the case page the reason and the form, once.
    const apiInbox = (await (await h.call(m.coordinator, 'GET', '/v1/inbox')).json()) as { items: { caseId: string; todo: string; todoParams: Record<string, unknown> }[] };
    expect(apiInbox.items.find((i) => i.caseId === kase.caseId)).toMatchObject({ todo: 'choose-another', todoParams: { declinedBy: m.municipality!.organisationId } });
    const inbox = await page(coordinator, '/inbox');
    expect(inbox.text).toContain(kase.reference);
    expect(inbox.text).toContain('Choose another municipality');
    const mine = await page(coordinator, `/cases/${kase.caseId}`);
    expect(mine.text).toMatch(/Your turn: Choose another municipality, by/);
    expect(mine.text).toContain('that it has no housing for this case');
    expect(mine.text).toContain('No family homes free until summer');
    expect(count(mine.html, `/cases/${kase.caseId}/actions/reassign`), 'the reassign form once on the page').toBe(1);
    expect(mine.text, 'the coordinator offers no housing').not.toContain('Offer housing after all');
    expect(count(mine.html, `/cases/${kase.caseId}/actions/offer_housing`)).toBe(0);

    // In Dutch, the same turn in plain words.
    await coordinator.get('/language/nl?back=%2Finbox');
    try {
      const nl = await page(coordinator, '/inbox');
      expect(nl.text).toContain('Kies een andere gemeente');
      expect((await page(coordinator, `/cases/${kase.caseId}`)).text).toMatch(/U bent aan zet: Kies een andere gemeente, uiterlijk/);
    } finally {
      await coordinator.get('/language/en?back=%2Finbox');
    }

    // Given to another municipality: its turn, in its inbox.
    const reassigned = await coordinator.post(`/cases/${kase.caseId}/actions/reassign`, { _key: keyOf(mine.html, 'reassign')!, gateId: 'housing', organisationId: otherMunicipality.organisationId, reason: 'Utrecht has room' });
    expect(reassigned.status).toBe(303);
    await waitForCase(kase.handle, (v) => v.waitingOn[0] === otherMunicipality.organisationId);
    await expect.poll(async () => (await page(visitors.other!, '/inbox')).text, { timeout: 10_000 }).toContain(kase.reference);
    expect((await page(visitors.other!, '/inbox')).text).toContain('Make a housing offer');
    await expect.poll(async () => (await page(coordinator, '/inbox')).text, { timeout: 10_000 }).not.toContain(kase.reference);
  });

  it('a check-in report is the sponsor’s task with its own due date; a sent report is read back by the sponsor and the coordinator only', async () => {
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: onlyStage('support', '2 seconds'), parties: parties() });
    const sponsor = visitors.sponsor!;
    // Due after two seconds: then it is the sponsor's turn, "report 1 of 4", in the inbox.
    await waitForCase(kase.handle, (v) => v.gates[0]?.turn?.todo === 'send-report', 20_000);
    await expect.poll(async () => (await page(sponsor, '/inbox')).text, { timeout: 10_000 }).toContain(kase.reference);
    expect((await page(sponsor, '/inbox')).text).toContain('Send report 1 of 4');
    const casePage = await page(sponsor, `/cases/${kase.caseId}`);
    expect(casePage.text).toMatch(/Your turn: Send report 1 of 4, by \d+ \w+ \d{4}\./);

    const sent = await sponsor.post(`/cases/${kase.caseId}/actions/submit_checkin`, { _key: keyOf(casePage.html, 'submit_checkin')!, gateId: 'checkins', reportIndex: '0', report: 'The children started school.\nAll is well.' });
    expect(sent.status).toBe(303);
    await waitForCase(kase.handle, (v) => (v.gates[0]?.detail.reports as { submittedAt: string | null }[])[0]!.submittedAt !== null);

    // Read back on its own page (the read logged), by the sponsor and the coordinator.
    const after = await page(sponsor, `/cases/${kase.caseId}`);
    expect(after.text).toContain('Read the sent reports (1)');
    const reports = await page(sponsor, `/cases/${kase.caseId}/reports`);
    expect(reports.status).toBe(200);
    expect(reports.text).toContain('Report 1 of 4');
    expect(reports.text).toContain('The children started school.');
    const api = await h.call(m.coordinator, 'GET', `/v1/cases/${kase.caseId}/reports`);
    expect(api.status).toBe(200);
    expect(await api.json()).toMatchObject({ items: [{ gateId: 'checkins', number: 1, of: 4, text: 'The children started school.\nAll is well.', by: { personId: m.sponsor!.personId } }] });
    const logged = await h.sql<{ organisation_id: string; door: string }[]>`SELECT organisation_id, door FROM personal_data_reads WHERE case_id = ${kase.caseId} AND 'reports' = ANY(fields) ORDER BY id`;
    expect(logged.map((r) => [r.organisation_id, r.door])).toEqual([
      [m.sponsor!.organisationId, 'web'],
      [m.coordinator!.organisationId, 'api'],
    ]);

    // Not the municipality: no link, a 403 page and a 403 from the API, nothing logged.
    expect((await page(visitors.municipality!, `/cases/${kase.caseId}`)).text).not.toContain('Read the sent reports');
    expect((await page(visitors.municipality!, `/cases/${kase.caseId}/reports`)).status).toBe(403);
    expect((await h.call(m.municipality, 'GET', `/v1/cases/${kase.caseId}/reports`)).status).toBe(403);
    expect((await h.sql`SELECT 1 FROM personal_data_reads WHERE case_id = ${kase.caseId} AND organisation_id = ${m.municipality!.organisationId}`).length).toBe(0);
  });
});
