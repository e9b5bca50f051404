// A match offer in Chromium, in English and Dutch, every page checked by axe: the coordinator
// chooses a shortlist on the case page (a choice left out says so in the error summary), the
// sponsor group asked finds the case in its inbox on its phone and takes it through the confirm page.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import { screenshot, useWebServer } from '../support/browser.js';
import { waitForCase } from '../support/cases.js';
import { actOnGate, apiAs, browserAs, mainText, PHONE } from '../support/daily-work.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['matched-sponsorship']!;
const tag = randomUUID().slice(0, 6);

const WORDS = {
  en: { propose: 'Propose the case', problem: 'There is a problem', proposed: 'The case is proposed to the first organisation', answer: 'Accept or decline the proposed case', take: 'Take the case', yes: 'Yes, take the case', taken: 'Your organisation took the case.' },
  nl: { propose: 'Casus voorstellen', problem: 'Er is een probleem', proposed: 'De casus is voorgesteld aan de eerste organisatie', answer: 'Neem de voorgestelde casus aan of wijs hem af', take: 'Casus aannemen', yes: 'Ja, casus aannemen', taken: 'Uw organisatie heeft de casus aangenomen' },
} as const;

describe('a match offer, in the browser', () => {
  const h = useWebServer('match-browser');
  const api = apiAs(h);
  const members: Record<string, Record<string, Member>> = {};
  const groups: Record<string, Member> = {};
  const cases: Record<string, string> = {};

  beforeAll(async () => {
    for (const lang of ['en', 'nl'] as const) {
      members[lang] = (await createParties(h.sql, template, lang)).members;
      groups[lang] = await createOrganisation(h.sql, 'sponsor_group', lang, `match-group-${lang}`);
      const { sponsor: _none, ...parties } = members[lang]!;
      const created = await api<{ id: string }>(members[lang]!.coordinator!, 'POST', '/v1/cases', {
        reference: `MATCH-${lang}-${tag}`,
        pathwayId: template.id,
        parties: Object.fromEntries(Object.entries(parties).map(([slot, m]) => [slot, m.organisationId])),
        household: { principalName: `Principal ${tag}`, members: [{ name: `Child ${tag}`, birthYear: 2016, relation: 'child' }], needs: ['wheelchair'] },
      });
      expect(created.status).toBe(201);
      const handle = h.client.workflow.getHandle(caseWorkflowId(created.body.id));
      await waitForCase(handle, (v) => v.gates.some((g) => g.id === 'eligibility'));
      await actOnGate(api, members[lang]!.coordinator!, { id: created.body.id, reference: '', handle }, 'eligibility', 'decision', { outcome: 'approve' });
      await waitForCase(handle, (v) => v.stage?.id === 'matching');
      cases[lang] = created.body.id;
    }
  });

  for (const lang of ['en', 'nl'] as const) {
    const w = WORDS[lang];
    it(`the coordinator proposes the case; the group asked takes it on its phone (${lang})`, async () => {
      const id = cases[lang]!;
      const group = groups[lang]!;
      const handle = h.client.workflow.getHandle(caseWorkflowId(id));
      const coordinator = await browserAs(h, members[lang]!.coordinator!);
      try {
        await coordinator.page.goto(`${h.baseUrl}/cases/${id}`);
        await screenshot(coordinator.page, `match-${lang}-shortlist`);
        // Sent without a choice (the browser's own check set aside): the summary leads to the first choice.
        await coordinator.page.locator('#sponsor-match-candidate-1').evaluate((el) => el.removeAttribute('required'));
        await coordinator.page.getByRole('button', { name: w.propose }).click();
        expect(await mainText(coordinator.page)).toContain(w.problem);
        await screenshot(coordinator.page, `match-${lang}-shortlist-error`);
        await coordinator.page.locator('#sponsor-match-candidate-1').selectOption(group.organisationId);
        await coordinator.page.getByRole('button', { name: w.propose }).click();
        expect(await mainText(coordinator.page)).toContain(w.proposed);
        await screenshot(coordinator.page, `match-${lang}-proposed`);
      } finally {
        await coordinator.close();
      }
      await waitForCase(handle, (v) => v.proposedTo.sponsor === group.organisationId);

      const volunteer = await browserAs(h, group, PHONE);
      try {
        await volunteer.page.goto(`${h.baseUrl}/inbox`);
        await expect.poll(async () => (await volunteer.page.reload(), await mainText(volunteer.page)), { timeout: 10_000 }).toContain(w.answer);
        await screenshot(volunteer.page, `match-${lang}-inbox`);
        await volunteer.page.getByRole('link', { name: `MATCH-${lang}-${tag}` }).click();
        const asked = await mainText(volunteer.page);
        expect(asked).not.toContain(`Principal ${tag}`);
        expect(asked).not.toContain(`Child ${tag}`);
        expect(asked).toContain('wheelchair');
        await screenshot(volunteer.page, `match-${lang}-asked`);
        await volunteer.page.getByRole('button', { name: w.take, exact: true }).click();
        await screenshot(volunteer.page, `match-${lang}-confirm`);
        await volunteer.page.getByRole('button', { name: w.yes }).click();
        expect(await mainText(volunteer.page)).toContain(w.taken);
        await waitForCase(handle, (v) => v.parties.sponsor === group.organisationId);
        await expect.poll(async () => (await volunteer.page.reload(), await mainText(volunteer.page)), { timeout: 10_000 }).toContain(`Principal ${tag}`);
        await screenshot(volunteer.page, `match-${lang}-taken`);
      } finally {
        await volunteer.close();
      }
    });
  }
});
