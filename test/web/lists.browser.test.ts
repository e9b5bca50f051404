// Lists and opening cases, in Chromium, in English and in Dutch, every page checked by axe: a long
// case list on a phone (search, filters, sort, pages, and Back from a case keeps them), and a new
// case opened from the pages past a duplicate warning, by a sponsor group and by a coordinator.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { screenshot, useWebServer } from '../support/browser.js';
import { waitForCase } from '../support/cases.js';
import { apiAs, browserAs, flashText, mainText, openCase, PHONE, type OpenedCase } from '../support/daily-work.js';
import { createParties, type Member } from '../support/fixtures.js';
import { projector } from '../support/projected-cases.js';
import { oneStepTemplate } from '../support/templates.js';
import { caseWorkflowId } from '../../workflows/contract.js';

const template = builtInTemplates['community-sponsorship']!;
const tag = randomUUID().slice(0, 6);
const ref = (n: number) => `LST-${tag}-${String(n).padStart(2, '0')}`;
const refs = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ref(from + i));

describe('lists and opening cases, in the browser', () => {
  const h = useWebServer('lists');
  const api = apiAs(h);
  let en: Record<string, Member>;
  let nl: Record<string, Member>;
  const partiesOf = (m: Record<string, Member>, slots = Object.keys(m)) => Object.fromEntries(slots.map((slot) => [slot, m[slot]!.organisationId]));
  const orgName = async (m: Member) => (await h.sql<{ name: string }[]>`SELECT name FROM organisations WHERE id = ${m.organisationId}`)[0]!.name;

  beforeAll(async () => {
    ({ members: en } = await createParties(h.sql, template));
    ({ members: nl } = await createParties(h.sql, template, 'nl'));
  });

  describe('a long case list on a phone', () => {
    let live: OpenedCase;
    const HELD = refs(27, 30);

    beforeAll(async () => {
      // 30 cases: 01–12 wait on the sponsor group, 13–26 on the coordinator (25 is a live
      // workflow, opened through the API), 27–30 are held by the coordinator.
      const project = projector(h.sql);
      const projected = Array.from({ length: 30 }, (_, i) => i + 1)
        .filter((n) => n !== 25)
        .map((n) => {
          const oneStep = n <= 12;
          return project({ template: oneStep ? oneStepTemplate : template, parties: partiesOf(en, oneStep ? ['coordinator', 'sponsor'] : undefined), reference: ref(n), daysAgo: (n * 7) % 30, held: n >= 27 });
        });
      [live] = await Promise.all([openCase(h, api, en.sponsor!, en, ref(25), { principalName: `Listed ${tag}` }), ...projected]);
      await vi.waitFor(
        async () => {
          const [row] = await h.sql<{ stage: string | null }[]>`SELECT stage FROM cases WHERE id = ${live.id}`;
          if (row?.stage !== 'eligibility') throw new Error('not projected yet');
        },
        { timeout: 30_000, interval: 200 },
      );
    });

    const rows = (page: Page) => page.locator('table.stack tbody tr');
    const listed = async (page: Page) => (await rows(page).locator('td:first-child a').allInnerTexts()).map((s) => s.trim());

    const W = {
      en: { title: 'Cases', search: 'Reference contains', show: 'Show', myTurn: 'Only where it is our turn', hold: 'On hold', held: 'On hold', all: 'All', sort: 'Sort', byReference: 'By reference', next: 'Next page', first: 'Back to the first page', stage: 'Stage 1 of 8: Eligibility' },
      nl: { title: 'Casussen', search: 'Kenmerk bevat', show: 'Tonen', myTurn: 'Alleen waar wij aan de beurt zijn', hold: 'Aangehouden', held: 'Aangehouden', all: 'Alle', sort: 'Sorteren', byReference: 'Op kenmerk', next: 'Volgende pagina', first: 'Terug naar de eerste pagina', stage: 'Fase 1 van 8: Geschiktheid' },
    };

    /** Search, filter, sort, page, open a case and come Back, as `who` in `lang`. */
    async function listJourney(lang: 'en' | 'nl', who: Member, myTurn: string[]) {
      const w = W[lang];
      const { page, close } = await browserAs(h, who, PHONE);
      try {
        await page.goto(`${h.baseUrl}/cases`);
        // Dutch by the language link, as a person switches.
        if (lang === 'nl') await page.getByRole('link', { name: 'Nederlands' }).click();
        await page.getByRole('heading', { name: w.title, level: 1 }).waitFor();
        expect(await rows(page).count()).toBe(20);
        expect(await page.getByRole('link', { name: w.next }).count()).toBe(1);
        await screenshot(page, `lists-${lang}-all`);

        // Search by (part of) a reference.
        await page.getByLabel(w.search).fill(`${tag}-07`);
        await page.getByRole('button', { name: w.show }).click();
        await page.waitForURL(/search=/);
        expect(await listed(page)).toEqual([ref(7)]);
        await screenshot(page, `lists-${lang}-search`);

        // Only where it is our turn.
        await page.getByLabel(w.search).fill(tag);
        await page.getByLabel(w.myTurn).check();
        await page.getByRole('button', { name: w.show }).click();
        await page.waitForURL(/waitingOnMe=true/);
        expect((await listed(page)).sort()).toEqual(myTurn);
        const mine = await orgName(who);
        for (const cell of await rows(page).locator('td:nth-child(3)').allInnerTexts()) expect(cell).toContain(mine);
        await screenshot(page, `lists-${lang}-my-turn`);

        // Held (or paused).
        await page.getByLabel(w.myTurn).uncheck();
        await page.getByLabel(w.hold, { exact: true }).selectOption({ label: w.held });
        await page.getByRole('button', { name: w.show }).click();
        await page.waitForURL(/onHold=held/);
        expect((await listed(page)).sort()).toEqual(HELD);
        for (const cell of await rows(page).locator('td:nth-child(4)').allInnerTexts()) expect(cell).toContain(w.held);
        await screenshot(page, `lists-${lang}-held`);

        // Sorted by reference, twenty to a page.
        await page.getByLabel(w.hold, { exact: true }).selectOption({ label: w.all });
        await page.getByLabel(w.sort).selectOption({ label: w.byReference });
        await page.getByRole('button', { name: w.show }).click();
        await page.waitForURL(/sort=reference/);
        expect(await listed(page)).toEqual(refs(1, 20));
        await page.getByRole('link', { name: w.next }).click();
        await page.waitForURL(/cursor=/);
        expect(await listed(page)).toEqual(refs(21, 30));
        expect(await page.getByRole('link', { name: w.next }).count()).toBe(0);
        await page.getByRole('link', { name: w.first }).waitFor();
        await screenshot(page, `lists-${lang}-page-2`);
        const secondPage = page.url();

        // Open a case, and go Back: the same filter and page.
        await page.getByRole('link', { name: ref(25) }).click();
        await page.getByRole('heading', { name: ref(25), level: 1 }).waitFor();
        expect(await mainText(page)).toContain(w.stage);
        await screenshot(page, `lists-${lang}-case`);
        await page.goBack();
        await page.getByRole('heading', { name: w.title, level: 1 }).waitFor();
        expect(page.url()).toBe(secondPage);
        expect(await listed(page)).toEqual(refs(21, 30));
        expect(await page.getByLabel(w.search).inputValue()).toBe(tag);
        expect(await page.getByLabel(w.sort).inputValue()).toBe('reference');
        expect(await page.getByLabel(w.myTurn).isChecked()).toBe(false);
      } finally {
        await close();
      }
    }

    it('en: a sponsor group searches, filters, sorts and pages its cases, and Back keeps the list as it was', async () => {
      await listJourney('en', en.sponsor!, refs(1, 12));
    });

    it('nl: so does the coordinator, in Dutch', async () => {
      // Its turn at the eligibility decision, held cases included (their step is still theirs).
      await listJourney('nl', en.coordinator!, refs(13, 30));
    });
  });

  describe('opening a case from the pages, past a duplicate warning', () => {
    const W = {
      en: { link: 'Open a new case', choose: 'Programme or pathway', pathway: 'Community sponsorship', next: 'Continue', reference: 'Reference', principal: 'Principal’s full name', needs: 'Needs (optional)', name: 'Name', year: 'Year of birth', relation: 'Relation to the principal', submit: 'Open the case', duplicate: 'This case may already exist', anyway: 'It is a different case: open it anyway', opened: (r: string) => `Case ${r} is open.` },
      nl: { link: 'Nieuwe casus openen', choose: 'Programma of route', pathway: 'Community sponsorship (burgerinitiatief)', next: 'Verder', reference: 'Kenmerk', principal: 'Volledige naam van de hoofdpersoon', needs: 'Behoeften (niet verplicht)', name: 'Naam', year: 'Geboortejaar', relation: 'Relatie tot de hoofdpersoon', submit: 'Casus openen', duplicate: 'Deze casus bestaat misschien al', anyway: 'Het is een andere casus: toch openen', opened: (r: string) => `Casus ${r} is geopend.` },
    };

    /** `who` fills in the form; the case `earlier` looks like it (`why`); they open it anyway. */
    async function openJourney(lang: 'en' | 'nl', who: Member, p: Record<string, Member>, form: { reference: string; principal: string }, earlier: { id: string; reference: string }, why: string) {
      const w = W[lang];
      const { page, close } = await browserAs(h, who);
      try {
        await page.goto(`${h.baseUrl}/cases`);
        await page.getByRole('link', { name: w.link }).click();
        await page.getByLabel(w.choose).selectOption({ label: w.pathway });
        await screenshot(page, `new-case-${lang}-choose`);
        await page.getByRole('button', { name: w.next }).click();
        await page.getByLabel(w.reference, { exact: true }).fill(form.reference);
        for (const slot of Object.keys(p)) if (p[slot] !== who) await page.locator(`#party-${slot}`).selectOption(p[slot]!.organisationId);
        // Its own organisation is chosen for it, and it can choose no other.
        const own = Object.keys(p).find((slot) => p[slot] === who)!;
        expect(await page.locator(`#party-${own}`).inputValue()).toBe(who.organisationId);
        expect(await page.locator(`#party-${own} option`).count()).toBe(1);
        await page.getByLabel(w.principal).fill(form.principal);
        await page.getByLabel(w.needs).fill('ground floor\nnear a school');
        const member = page.getByRole('group', { name: lang === 'en' ? 'Member 1' : 'Lid 1' });
        await member.getByLabel(w.name).fill(`Lina ${tag}`);
        await member.getByLabel(w.year).fill('2016');
        await member.getByLabel(w.relation).fill('daughter');
        await screenshot(page, `new-case-${lang}-form`);
        await page.getByRole('button', { name: w.submit }).click();

        // Warned, with a link to the case it may be; nothing is opened yet.
        const warning = page.locator('section[aria-labelledby="duplicate-title"]');
        await warning.getByRole('heading', { name: w.duplicate }).waitFor();
        expect((await warning.innerText()).replace(/\s+/g, ' ')).toContain(`${earlier.reference} — ${why}`);
        expect(await warning.getByRole('link', { name: earlier.reference }).getAttribute('href')).toBe(`/cases/${earlier.id}`);
        expect(await page.getByLabel(w.principal).inputValue()).toBe(form.principal); // what was typed is kept
        expect(await h.sql`SELECT 1 FROM cases WHERE reference = ${form.reference.trim()}`).toHaveLength(0);
        await screenshot(page, `new-case-${lang}-duplicate`);

        await page.getByLabel(w.anyway).check();
        await page.getByRole('button', { name: w.submit }).click();
        await page.getByRole('heading', { name: form.reference.trim(), level: 1 }).waitFor();
        expect(await flashText(page)).toBe(w.opened(form.reference.trim()));
        await screenshot(page, `new-case-${lang}-opened`);

        // One case, a real workflow, with its parties and household as typed.
        const [row] = await h.sql<{ id: string }[]>`SELECT id FROM cases WHERE reference = ${form.reference.trim()}`;
        expect(new URL(page.url()).pathname).toBe(`/cases/${row!.id}`);
        const state = await waitForCase(h.client.workflow.getHandle(caseWorkflowId(row!.id)), (v) => v.stage !== null);
        expect(state.stage!.id).toBe('eligibility');
        expect(state.parties).toEqual(partiesOf(p));
        const household = await api<{ principal: { name: string }; members: { name: string; birthYear: number; relation: string }[]; needs: string[] }>(who, 'GET', `/v1/cases/${row!.id}/household`);
        expect(household.body).toMatchObject({ principal: { name: form.principal }, members: [{ name: `Lina ${tag}`, birthYear: 2016, relation: 'daughter' }], needs: ['ground floor', 'near a school'] });
      } finally {
        await close();
      }
    }

    it('en: a sponsor-group volunteer is warned of a similar reference, and opens the case anyway', async () => {
      const earlier = await openCase(h, api, en.sponsor!, en, `NC-${tag}-A`, { principalName: `Noor Haddad ${tag}` });
      await openJourney('en', en.sponsor!, en, { reference: ` nc ${tag} a `, principal: `Amira Saleh ${tag}` }, earlier, 'a similar reference');
    });

    it('nl: a coordinator is warned of the same principal, and opens the case anyway', async () => {
      // References with nothing in common: the principal's name alone is the match.
      const earlier = await openCase(h, api, nl.coordinator!, nl, `UTR-${randomUUID().slice(0, 8)}`, { principalName: `Yusuf Karimi ${tag}` });
      await openJourney('nl', nl.coordinator!, nl, { reference: `AMS-${randomUUID().slice(0, 8)}`, principal: `Yusuf Karimi ${tag}` }, earlier, 'dezelfde naam van de hoofdpersoon');
    });
  });
});
