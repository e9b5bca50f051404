// Pages that read as a story, over the real app, workflows and database: the timeline folds what
// the system did by itself and keeps people's decisions in view; a hold is a status, not an alarm;
// a form to fix says so in an error summary that leads to each field.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { actOnProgramme, document, startCase, startProgramme, waitForCase } from '../support/cases.js';
import { createParties, withTimePolicy, type Member } from '../support/fixtures.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

/** The folded groups of system steps on a case page: their summary line and what they hold. */
const systemGroups = (html: string) => [...html.matchAll(/<li class="system">[\s\S]*?<details class="steps"><summary>([^<]*)<\/summary>([\s\S]*?)<\/details><\/li>/g)].map((m) => ({ summary: m[1]!, inside: m[2]! }));

/** The links of the page's error summary, and whether each leads to an element of the page. */
function summaryLinks(html: string): { href: string; text: string; target: boolean }[] {
  const summary = /<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">([\s\S]*?)<\/div>/.exec(html)?.[1] ?? '';
  return [...summary.matchAll(/<a href="#([^"]+)">([^<]*)<\/a>/g)].map((m) => ({ href: m[1]!, text: m[2]!, target: html.includes(`id="${m[1]}"`) }));
}

describe('pages that read as a story', () => {
  const h = useApi('web-story');
  let m: Record<string, Member>;
  let parties: Record<string, string>;
  const visitors: Record<string, Visitor> = {};

  beforeAll(async () => {
    ({ members: m, parties } = await createParties(h.sql, template));
    // The sponsor group reads Dutch, the coordinator English.
    await h.sql`UPDATE people SET language = 'nl' WHERE id = ${m.sponsor!.personId}`;
    for (const slot of ['coordinator', 'sponsor']) {
      visitors[slot] = new Visitor(h.app);
      await signedIn(visitors[slot]!, m[slot]!);
    }
  });

  it('folds the reminders and escalations the system sent into one line that says what it holds, and keeps decisions in view', async () => {
    // Due in four seconds, reminded after one and two: two reminders, then an escalation.
    const quick = withTimePolicy(template, { dueIn: '4 seconds', remindAt: ['1 seconds', '2 seconds'], escalateEvery: '600 seconds' });
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: quick, parties });
    const count = async (kind: string) => (await h.sql`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${kase.caseId} AND kind = ${kind}`)[0]!.n as number;
    await expect.poll(() => count('escalated'), { timeout: 30_000 }).toBe(1);
    expect(await count('reminder_sent')).toBe(2);

    const html = await (await visitors.coordinator!.get(`/cases/${kase.caseId}`)).text();
    const [group, ...others] = systemGroups(html);
    expect(others).toEqual([]);
    expect(group!.summary).toMatch(/^2 reminders, 1 escalation and \d+ other steps? by the system$/);
    expect(group!.inside).toContain('A reminder was sent for “Eligibility decision”.');
    expect(group!.inside).toContain('“Eligibility decision” is overdue; the coordinator was alerted.');
    // Outside the folded group, the story: no system step, but how the case began.
    const story = html.replace(/<details class="steps">[\s\S]*?<\/details>/g, '');
    expect(story).not.toContain('A reminder was sent');
    expect(story).toContain('The case was opened.');

    const dutch = await (await visitors.sponsor!.get(`/cases/${kase.caseId}`)).text();
    expect(systemGroups(dutch)[0]!.summary).toMatch(/^2 herinneringen, 1 waarschuwing aan de coördinator en \d+ andere stap(pen)? door het systeem$/);

    // A decision stands out, above the steps that came before it.
    const sent = await visitors.coordinator!.post(`/cases/${kase.caseId}/actions/decide`, { gateId: 'eligibility', outcome: 'approve' });
    expect(sent.status).toBe(303);
    await waitForCase(kase.handle, (v) => v.stage?.id === 'commitment');
    const coordinatorOrg = (await h.sql`SELECT name FROM organisations WHERE id = ${m.coordinator!.organisationId}`)[0]!.name as string;
    const decision = new RegExp(`<li class="decision"><time[^>]*>[^<]*</time><strong>${coordinatorOrg} approved “Eligibility decision”.</strong></li>`);
    // The timeline is read from the projection, a moment behind the workflow's own answer.
    const page = async () => (await visitors.coordinator!.get(`/cases/${kase.caseId}`)).text();
    await expect.poll(page, { timeout: 10_000 }).toMatch(decision);
    const after = await page();
    expect(after.search(decision)).toBeLessThan(after.indexOf('A reminder was sent for “Eligibility decision”.'));
  });

  it('shows a hold as the case’s status, not as an alarm, in English and Dutch', async () => {
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties });
    expect((await visitors.coordinator!.post(`/cases/${kase.caseId}/actions/hold`, { reason: 'Passport renewal' })).status).toBe(303);
    await waitForCase(kase.handle, (v) => v.held !== null);

    const english = await (await visitors.coordinator!.get(`/cases/${kase.caseId}`)).text();
    expect(english).toContain('<p class="notice"><span class="tag">On hold</span> On hold by the coordinator: Passport renewal. Reminders are stopped.</p>');
    expect(english).not.toMatch(/class="flash error"[^>]*>[^<]*On hold/);
    expect(english).not.toMatch(/role="alert"[^>]*>[^<]*On hold/);

    const dutch = await (await visitors.sponsor!.get(`/cases/${kase.caseId}`)).text();
    expect(dutch).toContain('<p class="notice"><span class="tag">Aangehouden</span> Aangehouden door de coördinator: Passport renewal. Er gaan geen herinneringen uit.</p>');
    expect(await textOf(new Response(dutch))).not.toMatch(/casus is gepauzeerd|pauzeerde de casus/);
  });

  it('sums up a form to fix at the top, each line leading to its field, which says it too, in English and Dutch', async () => {
    const { programmeId, handle } = await startProgramme(h.client, h.sql, { taskQueue: h.taskQueue, template, coordinatorOrg: m.coordinator!.organisationId, quota: 3, mouSignatories: [m.coordinator!.organisationId, m.sponsor!.organisationId] });
    await actOnProgramme(handle, 'publish_mou', { document: document(1), actor: m.coordinator!.actor });
    await actOnProgramme(handle, 'sign_mou', { version: 1, actor: m.coordinator!.actor });
    await actOnProgramme(handle, 'sign_mou', { version: 1, actor: m.sponsor!.actor });
    const coordinator = visitors.coordinator!;
    await expect.poll(async () => (await coordinator.get(`/programmes/${programmeId}`)).text(), { timeout: 15_000 }).toContain('id="pause-reason"');

    for (const [language, heading, message] of [
      ['en', 'There is a problem', 'Fill in this field: reason'],
      ['nl', 'Er is een probleem', 'Vul dit veld in: reden'],
    ] as const) {
      await coordinator.get(`/language/${language}?back=%2Finbox`);
      const response = await coordinator.post(`/programmes/${programmeId}/actions/pause`, { reason: '   ' });
      expect(response.status, language).toBe(400);
      const html = await response.text();
      expect(html).toContain(`<h2 id="error-summary-title">${heading}</h2>`);
      expect(summaryLinks(html)).toEqual([{ href: 'pause-reason', text: message, target: true }]);
      expect(html).toMatch(/<textarea id="pause-reason" name="reason"[^>]* aria-invalid="true" aria-describedby="pause-reason-error"/);
      expect(html).toMatch(new RegExp(`<p class="error-message" id="pause-reason-error"><span class="visually-hidden">[^<]+</span>${message}</p>`));
    }
    await coordinator.get('/language/en?back=%2Finbox');

    // On a case page, too: the summary's line leads to the field of the form that came back.
    const kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties });
    const refused = await coordinator.post(`/cases/${kase.caseId}/actions/withdraw`, { reason: '   ' });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(summaryLinks(html)).toEqual([{ href: 'withdraw-reason', text: 'Fill in this field: reason', target: true }]);
    expect(await textOf(new Response(html))).toContain('Please check the form: reason.');

    // A reason the rules ask for (to reject) is a field left empty too, though the form is valid as sent.
    const rejected = await coordinator.post(`/cases/${kase.caseId}/actions/decide`, { gateId: 'eligibility', outcome: 'reject', confirmed: '1' });
    expect(rejected.status).toBe(409);
    const page = await rejected.text();
    expect(summaryLinks(page)).toEqual([{ href: 'eligibility-decide-reason', text: 'Fill in this field: reason', target: true }]);
    expect(await textOf(new Response(page))).toContain('That could not be done: a rejection needs a reason.');
  });
});
