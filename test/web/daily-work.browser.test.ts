// Daily work on a case's page, in Chromium, in English and in Dutch, every page checked by axe:
// the household by need to know, refusals in the reader's language, and safe forms (confirm,
// cancel, once; a held case offers no forms and says why). Lists and opening cases:
// lists.browser.test.ts.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { screenshot, tabTo, useWebServer } from '../support/browser.js';
import { view, waitForCase } from '../support/cases.js';
import { actOnGate, apiAs, approve, browserAs, colleagueOf, flashText, mainText, openCase, pageDateTime, PHONE, tabToField, toOpenOffer, type OpenedCase } from '../support/daily-work.js';
import { createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;
const tag = randomUUID().slice(0, 6);
/** Words that give English away in a Dutch sentence (test/web/refusal-words.test.ts). */
const ENGLISH = /\b(the|your|only|gate|step|stage|case|offer|already|must|needs|version|not|this|can|since|until)\b/i;
/** Ids the pages must never show: the steps', stages' and slots' own, and any uuid. */
const IDS = /\b(eligibility|sponsor-plan|municipal-consent|gateId|stageId)\b|[0-9a-f]{8}-[0-9a-f]{4}-/;

describe('daily work on a case, in the browser', () => {
  const h = useWebServer('daily-work');
  const api = apiAs(h);
  /** English-reading parties, and Dutch-reading ones (their people's own language). */
  let en: Record<string, Member>;
  let nl: Record<string, Member>;
  /** The household's parties: they switch to Dutch by the language link, which they keep. */
  let hh: Record<string, Member>;
  const byLang = (lang: 'en' | 'nl') => (lang === 'en' ? en : nl);
  /** Every case the journeys need, set up at once through the API (setting up is not what is tested). */
  let cases: { household: OpenedCase; refusal: Record<string, OpenedCase>; reject: Record<string, OpenedCase>; accept: Record<string, OpenedCase> };
  const principal = `Amal Haddad ${tag}`;
  const address = (lang: string) => `Oudegracht ${lang}-${tag}, Utrecht`;
  const orgName = async (m: Member) => (await h.sql<{ name: string }[]>`SELECT name FROM organisations WHERE id = ${m.organisationId}`)[0]!.name;
  const events = async (c: OpenedCase, kind: string) => (await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM case_events WHERE case_id = ${c.id} AND kind = ${kind}`)[0]!.n;

  beforeAll(async () => {
    ({ members: en } = await createParties(h.sql, template));
    ({ members: nl } = await createParties(h.sql, template, 'nl'));
    ({ members: hh } = await createParties(h.sql, template));
    const both = async (make: (lang: 'en' | 'nl') => Promise<OpenedCase>) => {
      const [e, n] = await Promise.all([make('en'), make('nl')]);
      return { en: e, nl: n };
    };
    const household = async () => {
      const c = await openCase(h, api, hh.coordinator!, hh, `HH-${tag}`, {
        principalName: principal,
        members: [
          { name: `Sami Haddad ${tag}`, birthYear: 2015, relation: 'child' },
          { name: `Rana Haddad ${tag}`, birthYear: 1988, relation: 'spouse' },
        ],
        needs: ['wheelchair access', 'ground floor'],
      });
      // The municipality is asked for housing.
      await approve(api, hh, c, ['eligibility', 'coordinator'], ['sponsor-plan', 'coordinator'], ['municipal-consent', 'municipality']);
      await waitForCase(c.handle, (v) => v.stage?.id === 'housing');
      return c;
    };
    const [hc, refusal, reject, accept] = await Promise.all([
      household(),
      both((lang) => openCase(h, api, byLang(lang).coordinator!, byLang(lang), `RF-${lang}-${tag}`, { principalName: `Refusal ${tag}` })),
      both((lang) => openCase(h, api, byLang(lang).coordinator!, byLang(lang), `RJ-${lang}-${tag}`, { principalName: `Reject ${tag}` })),
      both(async (lang) => {
        const c = await openCase(h, api, byLang(lang).coordinator!, byLang(lang), `AC-${lang}-${tag}`, { principalName: `Offer ${tag}` });
        await toOpenOffer(api, byLang(lang), c, address(lang));
        return c;
      }),
    ]);
    cases = { household: hc, refusal, reject, accept };
  });

  describe('the household, by need to know', () => {
    const year = new Date().getUTCFullYear();

    /** The coordinator's view and the municipality's, in `lang` (Dutch by the language link). */
    async function householdJourney(lang: 'en' | 'nl', w: { household: string; reads: string; housingNote: string; size: string; child: string; spouse: string; needs: string; fields: string; link?: string }) {
      const kase = cases.household;
      const coordinator = await browserAs(h, hh.coordinator!);
      const municipality = await browserAs(h, hh.municipality!);
      try {
        const open = async (page: Page) => {
          await page.goto(`${h.baseUrl}/cases/${kase.id}`);
          if (w.link) await page.getByRole('link', { name: w.link }).click();
          await page.getByRole('heading', { name: w.household, level: 2, exact: true }).waitFor();
          return page.locator('section[aria-labelledby="household-title"]');
        };
        // The officer asked for housing: what housing needs, and no name anywhere on the page, not
        // even hidden in its markup; and no read log.
        const housing = await open(municipality.page);
        const seen = (await housing.innerText()).replace(/\s+/g, ' ');
        for (const shown of [w.housingNote, w.size, w.child, w.spouse, w.needs]) expect(seen).toContain(shown);
        for (const name of [principal, 'Haddad']) {
          expect(await municipality.page.locator('body').innerText()).not.toContain(name);
          expect(await municipality.page.content()).not.toContain(name);
        }
        expect(await municipality.page.getByRole('heading', { name: w.reads }).count()).toBe(0);
        await screenshot(municipality.page, `household-${lang}-municipality`);
        const reads = await api<{ items: { reader: { personId: string }; level: string; fields: string[]; door: string }[] }>(hh.coordinator!, 'GET', `/v1/cases/${kase.id}/reads`);
        expect(reads.body.items[0]).toMatchObject({ reader: { personId: hh.municipality!.personId }, level: 'housing', fields: ['ages', 'relations', 'needs'], door: 'web' });

        // The coordinator: the names, and who read them — the officer, by page, without the names.
        const full = await (await open(coordinator.page)).innerText();
        for (const shown of [principal, `Sami Haddad ${tag}`, `Rana Haddad ${tag}`, w.needs]) expect(full).toContain(shown);
        const log = coordinator.page.getByRole('table', { name: w.reads });
        const officer = log.getByRole('row').filter({ hasText: await orgName(hh.municipality!) }).first();
        expect((await officer.innerText()).replace(/\s+/g, ' ')).toContain(w.fields);
        await screenshot(coordinator.page, `household-${lang}-coordinator`);
      } finally {
        await coordinator.close();
        await municipality.close();
      }
    }

    it('in English: the coordinator sees names and who read them; the municipality asked for housing sees size, ages and needs, no names', async () => {
      await householdJourney('en', {
        household: 'Household',
        reads: 'Who read the household',
        housingNote: 'You see what housing needs: how many people, their ages and needs. Names are not shown to you.',
        size: '3 people',
        child: `child · age ${year - 2015}`,
        spouse: `spouse · age ${year - 1988}`,
        needs: 'wheelchair access, ground floor',
        fields: 'ages, relations, needs · page',
      });
    });

    it('in Dutch, switched by the language link', async () => {
      await householdJourney('nl', {
        link: 'Nederlands',
        household: 'Huishouden',
        reads: 'Wie het huishouden las',
        housingNote: 'U ziet wat nodig is voor huisvesting: hoeveel personen, hun leeftijden en behoeften. Namen worden u niet getoond.',
        size: '3 personen',
        child: `child · ${year - 2015} jaar`,
        spouse: `spouse · ${year - 1988} jaar`,
        needs: 'wheelchair access, ground floor',
        fields: 'leeftijden, relaties, behoeften · pagina',
      });
    });
  });

  describe('refusals in the reader’s language; a held case offers no forms', () => {
    const W = {
      en: {
        approve: 'Approve',
        secondDecision: 'That could not be done: step "Eligibility decision" is not open: the case is in stage "Sponsor commitment and municipal consent". The page shows the situation as it is now.',
        held: (since: string) => `That could not be done: the case is on hold since ${since}. The page shows the situation as it is now.`,
        notNow: (since: string) => `Not possible now: the case is on hold since ${since}; actions resume when the coordinator resumes it.`,
        locale: 'en-GB' as const,
      },
      nl: {
        approve: 'Goedkeuren',
        secondDecision: 'Dat kon niet: stap "Besluit over geschiktheid" staat niet open: de casus is in fase "Toezegging van de sponsors en instemming van de gemeente". De pagina toont de situatie zoals die nu is.',
        held: (since: string) => `Dat kon niet: de casus is aangehouden sinds ${since}. De pagina toont de situatie zoals die nu is.`,
        notNow: (since: string) => `Nu niet mogelijk: de casus is aangehouden sinds ${since}; acties kunnen weer zodra de coördinator de casus hervat.`,
        locale: 'nl-NL' as const,
      },
    };

    for (const lang of ['en', 'nl'] as const) {
      it(`${lang}: a decision someone else took first, and a step on a case held meanwhile, are refused with the reason in the reader’s words`, async () => {
        const w = W[lang];
        const p = byLang(lang);
        const kase = cases.refusal[lang]!;
        const coordinator = await browserAs(h, p.coordinator!);
        const municipality = await browserAs(h, p.municipality!, PHONE);
        try {
          // The coordinator has the decision open; a colleague decides it first, elsewhere.
          await coordinator.page.goto(`${h.baseUrl}/cases/${kase.id}`);
          const eligibility = coordinator.page.locator('#gate-eligibility');
          await eligibility.waitFor();
          await actOnGate(api, await colleagueOf(h, p.coordinator!), kase, 'eligibility', 'decision', { outcome: 'approve' });
          await eligibility.getByRole('button', { name: w.approve, exact: true }).click();
          expect(await flashText(coordinator.page)).toBe(w.secondDecision);
          await screenshot(coordinator.page, `refusals-${lang}-second-decision`);
          expect(await events(kase, 'gate_approved')).toBe(1);

          // The officer has the consent form open; the coordinator holds the case meanwhile.
          await waitForCase(kase.handle, (v) => v.gates.some((g) => g.id === 'municipal-consent'));
          await municipality.page.goto(`${h.baseUrl}/cases/${kase.id}`);
          const consent = municipality.page.locator('#gate-municipal-consent');
          await consent.getByRole('button', { name: w.approve, exact: true }).waitFor();
          const held = await api<{ held: { since: string } }>(p.coordinator!, 'POST', `/v1/cases/${kase.id}/hold`, { reason: `Medical report ${tag}` });
          expect(held.status).toBe(200);
          const since = pageDateTime(w.locale, held.body.held.since);
          await consent.getByRole('button', { name: w.approve, exact: true }).click();
          const refused = await flashText(municipality.page);
          expect(refused).toBe(w.held(since));
          expect(refused).not.toMatch(IDS);
          // The page as it is now: the held case offers the officer no form, and says why and until when.
          const gate = municipality.page.locator('#gate-municipal-consent');
          expect(await gate.locator('form').count()).toBe(0);
          expect(await municipality.page.locator('form[action*="/actions/"]').count()).toBe(0);
          expect((await gate.locator('.not-now').innerText()).trim()).toBe(w.notNow(since));
          await screenshot(municipality.page, `refusals-${lang}-held`);
          const state = await view(kase.handle);
          expect(state.gates.find((g) => g.id === 'municipal-consent')!.status).toBe('open');
          expect(state.held).not.toBeNull();

          for (const text of [await flashText(coordinator.page), refused]) {
            expect(text).not.toMatch(IDS);
            if (lang === 'nl') expect(text.replace('Besluit over geschiktheid', '').replace('Toezegging van de sponsors en instemming van de gemeente', ''), text).not.toMatch(ENGLISH);
          }
          // Opened again later, it still says so (not only right after the refused form).
          await municipality.page.goto(`${h.baseUrl}/cases/${kase.id}`);
          expect(await mainText(municipality.page)).toContain(w.notNow(since));
        } finally {
          await coordinator.close();
          await municipality.close();
        }
      });
    }
  });

  describe('safe forms: what cannot be undone asks first', () => {
    it('en: rejecting asks on a confirm page; cancel does nothing; confirming rejects once', async () => {
      const kase = cases.reject.en!;
      const { page, close } = await browserAs(h, en.coordinator!);
      try {
        const reject = async () => {
          await page.goto(`${h.baseUrl}/cases/${kase.id}`);
          await page.locator('#eligibility-decide-reason').fill('Not eligible under the programme rules');
          await page.locator('#gate-eligibility').getByRole('button', { name: 'Reject', exact: true }).click();
          await page.getByRole('heading', { name: 'Please confirm', level: 1 }).waitFor();
        };
        await reject();
        const asked = await mainText(page);
        for (const words of [`For ${kase.reference}:`, 'You reject this step. The case ends here', 'Not eligible under the programme rules', 'Nothing has been done yet.']) expect(asked).toContain(words);
        await screenshot(page, 'safe-forms-en-confirm-reject');
        const before = await view(kase.handle);

        await page.getByRole('link', { name: 'Cancel' }).click();
        await page.getByRole('heading', { name: kase.reference, level: 1 }).waitFor();
        expect(new URL(page.url()).pathname).toBe(`/cases/${kase.id}`);
        const after = await view(kase.handle);
        expect([after.status, after.version]).toEqual(['active', before.version]);
        expect(await page.locator('#gate-eligibility').getByRole('button', { name: 'Reject', exact: true }).count()).toBe(1);

        await reject();
        await page.getByRole('button', { name: 'Yes, reject' }).click();
        await page.locator('main > .flash').first().waitFor();
        expect(await flashText(page)).toBe('Your decision is recorded.');
        expect(await mainText(page)).toContain('This case is closed (Rejected): Not eligible under the programme rules');
        await screenshot(page, 'safe-forms-en-rejected');
        // Reloading the page it landed on does not send the form again.
        await page.reload();
        expect((await view(kase.handle)).status).toBe('rejected');
        expect(await events(kase, 'gate_rejected')).toBe(1);
      } finally {
        await close();
      }
    });

    it('nl, by keyboard alone: rejecting asks first, "Annuleren" does nothing, "Ja, afwijzen" rejects', async () => {
      const kase = cases.reject.nl!;
      const { page, close } = await browserAs(h, nl.coordinator!);
      try {
        const reject = async () => {
          await tabToField(page, 'eligibility-decide-reason');
          await page.keyboard.type('Valt niet onder de regels van het programma');
          await tabTo(page, 'Afwijzen');
          await page.keyboard.press('Enter');
          await page.getByRole('heading', { name: 'Bevestig alstublieft', level: 1 }).waitFor();
        };
        await page.goto(`${h.baseUrl}/cases/${kase.id}`);
        await tabTo(page, 'Naar de inhoud');
        await page.keyboard.press('Enter');
        await reject();
        const asked = await mainText(page);
        for (const words of [`Voor ${kase.reference}:`, 'U wijst deze stap af.', 'Valt niet onder de regels van het programma', 'Er is nog niets gedaan.']) expect(asked).toContain(words);
        await screenshot(page, 'safe-forms-nl-confirm-reject');
        const before = await view(kase.handle);

        await tabTo(page, 'Annuleren');
        await page.keyboard.press('Enter');
        await page.waitForURL((url) => url.pathname === `/cases/${kase.id}`);
        expect((await view(kase.handle)).version).toBe(before.version);
        expect(await events(kase, 'gate_rejected')).toBe(0);

        await reject();
        await tabTo(page, 'Ja, afwijzen');
        await page.keyboard.press('Enter');
        await page.locator('main > .flash').first().waitFor();
        expect(await flashText(page)).toBe('Uw besluit is vastgelegd.');
        expect(await mainText(page)).toContain('Deze casus is gesloten (Afgewezen): Valt niet onder de regels van het programma');
        await screenshot(page, 'safe-forms-nl-rejected');
        expect((await view(kase.handle)).status).toBe('rejected');
        expect(await events(kase, 'gate_rejected')).toBe(1);
      } finally {
        await close();
      }
    });

    const ACCEPT = {
      en: { accept: 'Accept this offer', confirm: 'Please confirm', what: 'You accept this housing offer.', cancel: 'Cancel', yes: 'Yes, accept the offer', done: 'You accepted the housing offer. The next step has started.', stage: 'Stage 4 of 8: Sponsorship agreement' },
      nl: { accept: 'Dit aanbod accepteren', confirm: 'Bevestig alstublieft', what: 'U accepteert dit woningaanbod.', cancel: 'Annuleren', yes: 'Ja, aanbod accepteren', done: 'U heeft het woningaanbod geaccepteerd. De volgende stap is begonnen.', stage: 'Fase 4 van 8: Sponsorovereenkomst' },
    };
    for (const lang of ['en', 'nl'] as const) {
      it(`${lang}: accepting a housing offer asks first; cancel leaves it open; confirming accepts it once`, async () => {
        const w = ACCEPT[lang];
        const kase = cases.accept[lang]!;
        const { page, close } = await browserAs(h, byLang(lang).sponsor!, PHONE);
        try {
          const accept = async () => {
            await page.goto(`${h.baseUrl}/cases/${kase.id}`);
            await page.getByText(address(lang)).waitFor();
            await page.getByRole('button', { name: w.accept }).click();
            await page.getByRole('heading', { name: w.confirm, level: 1 }).waitFor();
          };
          await accept();
          expect(await mainText(page)).toContain(w.what);
          await screenshot(page, `safe-forms-${lang}-confirm-accept`);
          await page.getByRole('link', { name: w.cancel }).click();
          await page.getByRole('button', { name: w.accept }).waitFor();
          expect((await view(kase.handle)).gates[0]!.detail.offers).toMatchObject([{ status: 'open' }]);

          await accept();
          await page.getByRole('button', { name: w.yes }).click();
          await page.locator('main > .flash').first().waitFor();
          expect(await flashText(page)).toBe(w.done);
          expect(await mainText(page)).toContain(w.stage);
          await screenshot(page, `safe-forms-${lang}-accepted`);
          expect((await waitForCase(kase.handle, (v) => v.stage?.id === 'agreement')).stage!.id).toBe('agreement');
          expect(await events(kase, 'housing_offer_accepted')).toBe(1);
        } finally {
          await close();
        }
      });
    }
  });
});
