// Whose turn it is, and documents, in Chromium, in English and Dutch, every page checked by axe:
// a municipality without housing says so on its phone and the step leaves it; the coordinator
// finds "choose another municipality" in the inbox and gives the step to another; a sponsor
// volunteer adds a file to the case through the form and finds it listed.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { screenshot, useWebServer } from '../support/browser.js';
import { waitForCase } from '../support/cases.js';
import { apiAs, approve, browserAs, mainText, openCase, PHONE, type OpenedCase } from '../support/daily-work.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;
const tag = randomUUID().slice(0, 6);

const WORDS = {
  en: {
    makeOffer: /Your turn: Make a housing offer, by \d+ \w+ \d{4}\./,
    noHousing: 'No housing available',
    declineButton: 'Decline the request',
    saidSo: 'You said on',
    choose: 'Choose another municipality',
    reassignButton: 'Reassign',
    reassigned: 'The step was given to the other organisation.',
    addFile: 'Add a file',
    addButton: 'Add file',
  },
  nl: {
    makeOffer: /U bent aan zet: Doe een woningaanbod, uiterlijk \d+ \w+ \d{4}\./,
    noHousing: 'Geen woonruimte beschikbaar',
    declineButton: 'Verzoek afwijzen',
    saidSo: 'U liet op',
    choose: 'Kies een andere gemeente',
    reassignButton: 'Overdragen',
    reassigned: 'De stap is aan de andere organisatie gegeven.',
    addFile: 'Bestand toevoegen',
    addButton: 'Bestand toevoegen',
  },
} as const;

describe('turns and documents, in the browser', () => {
  const h = useWebServer('turns-browser');
  const api = apiAs(h);
  const parties: Record<string, Record<string, Member>> = {};
  const other: Record<string, Member> = {};
  const cases: Record<string, OpenedCase> = {};

  beforeAll(async () => {
    await Promise.all(
      (['en', 'nl'] as const).map(async (lang) => {
        parties[lang] = (await createParties(h.sql, template, lang)).members;
        other[lang] = await createOrganisation(h.sql, 'municipality', lang, 'other-municipality');
        const c = await openCase(h, api, parties[lang]!.coordinator!, parties[lang]!, `TURN-${lang}-${tag}`, { principalName: `Principal ${tag}` });
        await approve(api, parties[lang]!, c, ['eligibility', 'coordinator'], ['sponsor-plan', 'coordinator'], ['municipal-consent', 'municipality']);
        await waitForCase(c.handle, (v) => v.stage?.id === 'housing');
        cases[lang] = c;
      }),
    );
  });

  for (const lang of ['en', 'nl'] as const) {
    const w = WORDS[lang];

    it(`a municipality without housing says so on its phone; the coordinator gives the step to another (${lang})`, async () => {
      const c = cases[lang]!;
      const p = parties[lang]!;
      const officer = await browserAs(h, p.municipality!, PHONE);
      try {
        await officer.page.goto(`${h.baseUrl}/cases/${c.id}`);
        expect(await mainText(officer.page)).toMatch(w.makeOffer);
        await screenshot(officer.page, `turns-${lang}-offer-to-make`);
        await officer.page.getByText(w.noHousing, { exact: true }).click();
        await officer.page.locator(`#housing-decline-request`).fill(lang === 'en' ? 'No family homes before summer' : 'Geen gezinswoning voor de zomer');
        await officer.page.getByRole('button', { name: w.declineButton }).click();
        await waitForCase(c.handle, (v) => v.gates[0]?.turn?.todo === 'choose-another');
        await officer.page.goto(`${h.baseUrl}/cases/${c.id}`);
        const after = await mainText(officer.page);
        expect(after).toContain(w.saidSo);
        expect(after).not.toMatch(w.makeOffer);
        await screenshot(officer.page, `turns-${lang}-declined`);
      } finally {
        await officer.close();
      }

      const coordinator = await browserAs(h, p.coordinator!);
      try {
        await coordinator.page.goto(`${h.baseUrl}/inbox`);
        await expect.poll(async () => (await coordinator.page.reload(), await mainText(coordinator.page)), { timeout: 10_000 }).toContain(c.reference);
        expect(await mainText(coordinator.page)).toContain(w.choose);
        await screenshot(coordinator.page, `turns-${lang}-coordinator-inbox`);
        await coordinator.page.getByRole('link', { name: c.reference }).click();
        await coordinator.page.locator('#housing-org').selectOption(other[lang]!.organisationId);
        await coordinator.page.locator('#housing-reassign-reason').fill('Utrecht has room');
        await screenshot(coordinator.page, `turns-${lang}-choose-another`);
        await coordinator.page.getByRole('button', { name: w.reassignButton }).click();
        expect(await mainText(coordinator.page)).toContain(w.reassigned);
        await waitForCase(c.handle, (v) => v.waitingOn[0] === other[lang]!.organisationId && v.gates[0]?.turn?.todo === 'make-offer');
      } finally {
        await coordinator.close();
      }
    });

    it(`a sponsor volunteer adds a file to the case and finds it listed (${lang})`, async () => {
      const c = cases[lang]!;
      const file = join(tmpdir(), `pledge-${lang}-${tag}.pdf`);
      writeFileSync(file, '%PDF-1.4\n% a financial pledge\n');
      const sponsor = await browserAs(h, parties[lang]!.sponsor!, PHONE);
      try {
        await sponsor.page.goto(`${h.baseUrl}/cases/${c.id}`);
        await sponsor.page.getByText(w.addFile, { exact: true }).first().click();
        await sponsor.page.locator('#attach-file').setInputFiles(file);
        await sponsor.page.getByRole('button', { name: w.addButton }).click();
        const text = await mainText(sponsor.page);
        expect(text).toContain(`pledge-${lang}-${tag}.pdf`);
        await screenshot(sponsor.page, `documents-${lang}-added`);
        const stored = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM attachments WHERE case_id = ${c.id} AND file_name = ${`pledge-${lang}-${tag}.pdf`}`;
        expect(stored[0]!.n).toBe(1);
      } finally {
        await sponsor.close();
      }
    });
  }
});
