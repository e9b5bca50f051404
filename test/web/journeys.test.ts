// The people's journeys in a real browser (Chromium driven by playwright-core) against the whole
// app on a real port, a real worker on the dev server, PostgreSQL and the SMTP sink. Every sign-in
// goes through the emailed link. Each page is saved as a screenshot in test-artifacts/screenshots.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Sql } from '../../infra/db.js';
import type { PathwayTemplate } from '../../domain/pathway.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { screenshot, signIn, tabTo, useWebServer } from '../support/browser.js';
import { act, actOnProgramme, document, startCase, startProgramme, view, waitForCase } from '../support/cases.js';
import { createParties, type Member } from '../support/fixtures.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** The text of the confirmation (or error) the page shows after an action. */
const flash = async (page: Page) => (await page.locator('.flash').first().textContent())?.trim();

/** Until the projection the lists read from (written by an activity) shows the case as wanted. */
async function waitForProjection(sql: Sql, caseId: string, predicate: (row: { stage: string | null; stuck: boolean }) => boolean) {
  await vi.waitFor(
    async () => {
      const [row] = await sql<{ stage: string | null; stuck: boolean }[]>`SELECT stage, stuck FROM cases WHERE id = ${caseId}`;
      if (!row || !predicate(row)) throw new Error(`the projection of case ${caseId} is not there yet`);
    },
    { timeout: 30_000, interval: 200 },
  );
}

describe('in the browser', () => {
  const h = useWebServer('web-journeys');

  describe('a housing offer made by a municipal officer and accepted by the sponsor group', () => {
    const template = builtInTemplates['community-sponsorship']!;
    let m: Record<string, Member>;
    let kase: Awaited<ReturnType<typeof startCase>>;

    beforeAll(async () => {
      ({ members: m } = await createParties(h.sql, template));
      const parties = Object.fromEntries(Object.entries(m).map(([slot, member]) => [slot, member.organisationId]));
      // The sponsor reads Dutch: the pages follow their language.
      await h.sql`UPDATE people SET language = 'nl' WHERE id = ${m.sponsor!.personId}`;
      kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties });
      await act(kase.handle, 'decide', { gateId: 'eligibility', outcome: 'approve', actor: m.coordinator!.actor });
      await waitForCase(kase.handle, (v) => v.gates.length === 2);
      await act(kase.handle, 'decide', { gateId: 'sponsor-plan', outcome: 'approve', actor: m.coordinator!.actor });
      await act(kase.handle, 'decide', { gateId: 'municipal-consent', outcome: 'approve', actor: m.municipality!.actor });
      await waitForProjection(h.sql, kase.caseId, (r) => r.stage === 'housing');
    });

    it('the officer signs in by email link, finds the request in the inbox and makes an offer', async () => {
      const context = await h.browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
      const page = await context.newPage();
      await page.goto(`${h.baseUrl}/`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await screenshot(page, 'sign-in');
      await signIn(page, h.baseUrl, m.municipality!.email, 'officer');

      expect(new URL(page.url()).pathname).toBe('/inbox');
      const row = page.getByRole('row', { name: new RegExp(kase.reference) });
      await row.waitFor();
      expect(await row.textContent()).toContain('Housing offer');
      await screenshot(page, 'officer-inbox');

      await row.getByRole('link', { name: kase.reference }).click();
      await page.getByRole('heading', { name: kase.reference, level: 1 }).waitFor();
      await screenshot(page, 'officer-case-before-offer');
      await page.getByLabel('Address').fill('Oudegracht 1, Utrecht');
      await page.getByLabel('Number of rooms').fill('3');
      await page.getByLabel('Accessible without steps').check();
      await page.getByLabel('Available from').fill('2027-03-01');
      await page.getByRole('button', { name: 'Send the offer' }).click();

      expect(await flash(page)).toBe('Your housing offer was sent. The sponsor group is asked to answer it.');
      await page.getByText('Oudegracht 1, Utrecht').waitFor();
      await screenshot(page, 'officer-case-offer-sent');
      const offer = (await view(kase.handle)).gates[0]!.detail.offers as { rooms: number; accessible: boolean; availableFrom: string; status: string }[];
      expect(offer).toMatchObject([{ rooms: 3, accessible: true, availableFrom: '2027-03-01', status: 'open' }]);
      await context.close();
    });

    it('the sponsor signs in on a phone, in Dutch, and accepts the offer', async () => {
      const context = await h.browser.newContext({ viewport: PHONE, isMobile: true, locale: 'en-GB' });
      const page = await context.newPage();
      await signIn(page, h.baseUrl, m.sponsor!.email, 'sponsor');
      // Their profile says Dutch, whatever the browser prefers.
      await page.getByRole('heading', { name: 'Wacht op ons', level: 1 }).waitFor();
      await screenshot(page, 'sponsor-inbox-phone');

      // On a phone the navigation is folded into the header's menu.
      await page.locator('header summary', { hasText: 'Menu' }).click();
      await page.getByRole('link', { name: 'Casussen' }).click();
      await page.getByRole('heading', { name: 'Casussen', level: 1 }).waitFor();
      await screenshot(page, 'sponsor-cases-phone');
      await page.getByRole('link', { name: kase.reference }).click();
      await page.getByText('Oudegracht 1, Utrecht').waitFor();
      await screenshot(page, 'sponsor-case-offer-phone');

      // By keyboard alone: the skip link comes first, then Tab reaches the button and Enter presses it.
      await tabTo(page, 'Naar de inhoud');
      await page.keyboard.press('Enter');
      await tabTo(page, 'Dit aanbod accepteren');
      await page.keyboard.press('Enter');
      // Accepting cannot be undone: a page asks first (no script), and nothing is done until confirmed.
      await page.getByRole('heading', { name: 'Bevestig alstublieft', level: 1 }).waitFor();
      await screenshot(page, 'sponsor-confirm-accept-phone');
      expect((await view(kase.handle)).stage?.id).toBe('housing');
      await tabTo(page, 'Ja, aanbod accepteren');
      await page.keyboard.press('Enter');
      expect(await flash(page)).toBe('U heeft het woningaanbod geaccepteerd. De volgende stap is begonnen.');
      await page.getByText(/Fase 4 van 8: Sponsorovereenkomst/).waitFor();
      await screenshot(page, 'sponsor-case-accepted-phone');
      const state = await view(kase.handle);
      expect(state.stage?.id).toBe('agreement');

      // Switchable: the same page in English, and the choice sticks.
      await page.getByRole('link', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'What happens now' }).waitFor();
      await page.locator('header summary', { hasText: 'Menu' }).click();
      await page.getByRole('link', { name: 'Cases' }).click();
      await page.getByRole('heading', { name: 'Cases', level: 1 }).waitFor();
      await context.close();
    });
  });

  describe('a coordinator and a stuck case', () => {
    const base = builtInTemplates['community-sponsorship']!;
    // Municipal consent is due two seconds after it opens, so the case is stuck at once.
    const template: PathwayTemplate = {
      ...base,
      stages: base.stages.map((s) => ({ ...s, gates: s.gates.map((g) => (g.id === 'municipal-consent' ? { ...g, time: { dueIn: '2 seconds', remindAt: ['1 second'], escalateEvery: '1 day' } } : g)) })),
    };
    let m: Record<string, Member>;
    let kase: Awaited<ReturnType<typeof startCase>>;

    beforeAll(async () => {
      ({ members: m } = await createParties(h.sql, template));
      const parties = Object.fromEntries(Object.entries(m).map(([slot, member]) => [slot, member.organisationId]));
      kase = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template, parties });
      await act(kase.handle, 'decide', { gateId: 'eligibility', outcome: 'approve', actor: m.coordinator!.actor });
      await waitForProjection(h.sql, kase.caseId, (r) => r.stuck);
    });

    it('finds it on the board and extends its deadline', async () => {
      const context = await h.browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
      const page = await context.newPage();
      await signIn(page, h.baseUrl, m.coordinator!.email);
      expect(new URL(page.url()).pathname).toBe('/board');
      const row = page.getByRole('row', { name: new RegExp(kase.reference) });
      await row.waitFor();
      const municipality = (await h.sql`SELECT name FROM organisations WHERE id = ${m.municipality!.organisationId}`)[0]!.name as string;
      expect(await row.textContent()).toContain('Municipal consent');
      expect(await row.textContent()).toContain(municipality);
      await screenshot(page, 'coordinator-board');

      await row.getByRole('link', { name: kase.reference }).click();
      const gate = page.locator('#gate-municipal-consent');
      expect(await gate.textContent()).toMatch(/overdue since today/);
      await gate.getByText('Remind, move the date or give to another organisation').click();
      const extend = gate.locator('form[action$="/actions/extend"]');
      await extend.getByLabel('New due date').fill('2031-01-15');
      await extend.getByLabel('Reason').fill('The council decides in its next meeting.');
      await screenshot(page, 'coordinator-case-extend');
      await extend.getByRole('button', { name: 'Move the due date' }).click();

      expect(await flash(page)).toBe('The due date was moved.');
      const consent = (await view(kase.handle)).gates.find((g) => g.id === 'municipal-consent')!;
      // The end of that day in Amsterdam (winter time, UTC+1).
      expect(consent.dueAt).toBe('2031-01-15T22:59:59.000Z');
      expect(consent.stuck).toBe(false);
      await screenshot(page, 'coordinator-case-extended');

      await waitForProjection(h.sql, kase.caseId, (r) => !r.stuck);
      await page.getByRole('link', { name: 'Stuck cases' }).click();
      await page.getByRole('heading', { name: 'Stuck cases', level: 1 }).waitFor();
      expect(await page.getByRole('row', { name: new RegExp(kase.reference) }).count()).toBe(0);
      await context.close();
    });

    it('sees a programme’s places and MoU, and pauses and resumes it', async () => {
      const { programmeId, handle } = await startProgramme(h.client, h.sql, { taskQueue: h.taskQueue, template, coordinatorOrg: m.coordinator!.organisationId, quota: 4, mouSignatories: [m.coordinator!.organisationId, m.sponsor!.organisationId] });
      await actOnProgramme(handle, 'publish_mou', { document: document(1), actor: m.coordinator!.actor });
      await actOnProgramme(handle, 'sign_mou', { version: 1, actor: m.coordinator!.actor });
      const context = await h.browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
      const page = await context.newPage();
      await signIn(page, h.baseUrl, m.coordinator!.email);
      await page.goto(`${h.baseUrl}/programmes/${programmeId}`);
      const sponsor = (await h.sql`SELECT name FROM organisations WHERE id = ${m.sponsor!.organisationId}`)[0]!.name as string;
      expect(await page.locator('dl').textContent()).toContain(`version 1, waiting for ${sponsor}`);
      expect(await page.locator('dl').textContent()).toContain('0 used, 0 reserved, 4 free of 4');

      await actOnProgramme(handle, 'sign_mou', { version: 1, actor: m.sponsor!.actor });
      await page.reload();
      await page.getByLabel('Reason').fill('Elections: the new cabinet reviews the programme.');
      await screenshot(page, 'coordinator-programme');
      await page.getByRole('button', { name: 'Pause' }).click();
      await page.getByRole('heading', { name: 'Please confirm', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Yes, pause the programme' }).click();
      expect(await flash(page)).toBe('The programme is paused. Its open cases hold until you resume it.');
      expect(await page.locator('dl').textContent()).toContain('Elections: the new cabinet reviews the programme.');
      await screenshot(page, 'coordinator-programme-paused');
      await page.getByRole('button', { name: 'Resume the programme' }).click();
      expect(await flash(page)).toBe('The programme is resumed, and so are its cases.');
      expect(await page.locator('dl').textContent()).toContain('Active');

      await page.getByRole('link', { name: 'Programmes' }).click();
      await page.getByRole('link', { name: `Programme ${programmeId.slice(0, 6)}` }).waitFor();
      await screenshot(page, 'coordinator-programmes');
      await context.close();
    });
  });
});
