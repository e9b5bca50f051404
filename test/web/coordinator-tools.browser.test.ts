// A coordinator's tools on the pages, in Chromium, English and Dutch, checked by axe: a saved view
// of the case list, kept and listed; an alert on a programme, added and shown.
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { screenshot, useWebServer } from '../support/browser.js';
import { browserAs, mainText } from '../support/daily-work.js';
import { createParties, createProgrammeRow } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;
const WORDS = {
  en: { save: 'Save this view', saveButton: 'Save view', addAlert: 'Add an alert', addButton: 'Add the alert', alert: 'More than 5 steps overdue' },
  nl: { save: 'Deze weergave opslaan', saveButton: 'Weergave opslaan', addAlert: 'Signaal toevoegen', addButton: 'Signaal toevoegen', alert: 'Meer dan 5 stappen over tijd' },
} as const;

describe('a coordinator’s tools, in the browser', () => {
  const h = useWebServer('coordinator-tools');

  for (const lang of ['en', 'nl'] as const) {
    const w = WORDS[lang];
    it(`saves a view of the case list and adds an alert to a programme (${lang})`, async () => {
      const { members } = await createParties(h.sql, template, lang);
      const coordinator = members.coordinator!;
      const programmeId = await createProgrammeRow(h.sql, template, coordinator.organisationId, 5);
      const { page, close } = await browserAs(h, coordinator);
      try {
        await page.goto(`${h.baseUrl}/cases?stuck=true&sort=reference`);
        await page.getByText(w.save, { exact: true }).click();
        await page.locator('#cases-view-name').fill(`Stuck ${lang}`);
        await page.getByRole('button', { name: w.saveButton }).click();
        expect(await mainText(page)).toContain(`Stuck ${lang}`);
        await screenshot(page, `tools-${lang}-saved-view`);
        const [view] = await h.sql<{ name: string }[]>`SELECT name FROM saved_views WHERE person_id = ${coordinator.personId}`;
        expect(view?.name).toBe(`Stuck ${lang}`);

        await page.goto(`${h.baseUrl}/programmes/${programmeId}`);
        await page.getByText(w.addAlert, { exact: true }).first().click();
        await page.locator('#alert-threshold').fill('5');
        await page.locator('form[action$="/alerts"] button[type=submit]').click();
        expect(await mainText(page)).toContain(w.alert);
        await screenshot(page, `tools-${lang}-alert`);
      } finally {
        await close();
      }
    });
  }
});
