// "Personal data" in Chromium, English and Dutch, checked by axe: an admin finds a closed case,
// forgets the reason (the error summary leads to the field), gives it, and the case's coordinator
// then reads on the case page when and why its personal data was erased.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { screenshot, useWebServer } from '../support/browser.js';
import { apiAs, browserAs, mainText, PHONE, DESKTOP } from '../support/daily-work.js';
import { createOrganisation, createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;

describe('erasing personal data, in the browser', () => {
  const h = useWebServer('erasure-browser');

  for (const lang of ['en', 'nl'] as const) {
    it(`erases a closed case's personal data with a reason (${lang})`, async () => {
      const { members, parties } = await createParties(h.sql, template, lang);
      const api = apiAs(h);
      const reference = `BR-ER-${randomUUID().slice(0, 4).toUpperCase()}`;
      const created = await api<{ id: string }>(members.coordinator!, 'POST', '/v1/cases', { reference, pathwayId: template.id, parties, household: { principalName: 'Nadia Rahimi' } });
      expect(created.status).toBe(201);
      const caseId = created.body.id;
      await expect.poll(async () => (await h.sql`SELECT state IS NOT NULL AS p FROM cases WHERE id = ${caseId}`)[0]!.p, { timeout: 20_000 }).toBe(true);
      expect((await api(members.coordinator!, 'POST', `/v1/cases/${caseId}/withdraw`, { reason: 'Nadia travelled on her own' })).status).toBe(200);
      await expect.poll(async () => (await h.sql`SELECT status FROM cases WHERE id = ${caseId}`)[0]!.status, { timeout: 20_000 }).toBe('withdrawn');

      const org = await createOrganisation(h.sql, 'coordinator', lang, 'admin-org');
      const [person] = await h.sql<{ id: string }[]>`
        INSERT INTO people (organisation_id, name, email, role, language) VALUES (${org.organisationId}, 'Ada Admin', ${`admin-${org.organisationId}@example.test`}, 'admin', ${lang}) RETURNING id`;
      const admin: Member = { ...org, personId: person!.id, actor: { ...org.actor, personId: person!.id, role: 'admin' } };

      const { page, close } = await browserAs(h, admin, lang === 'en' ? PHONE : DESKTOP);
      try {
        await page.goto(`${h.baseUrl}/admin?reference=${reference}`);
        expect(await mainText(page)).toContain(lang === 'en' ? 'Personal data: erasure and retention' : 'Persoonsgegevens: verwijderen en bewaartermijn');
        await screenshot(page, `erasure-${lang}-admin`);
        await page.getByRole('link', { name: lang === 'en' ? `Erase the personal data of ${reference}` : `De persoonsgegevens van ${reference} verwijderen` }).click();
        await screenshot(page, `erasure-${lang}-confirm`);
        const erase = page.getByRole('button', { name: lang === 'en' ? 'Erase personal data' : 'Persoonsgegevens verwijderen' });
        await erase.click();
        expect(await page.locator('.error-summary').isVisible()).toBe(true);
        await screenshot(page, `erasure-${lang}-reason-missing`);
        await page.locator('.error-summary a[href="#reason"]').click();
        await page.locator('#reason').fill(lang === 'en' ? 'Request of the person concerned' : 'Verzoek van de betrokkene');
        await erase.click();
        await page.waitForURL((url) => url.pathname === '/admin');
        expect(await mainText(page)).toContain(lang === 'en' ? `The personal data of ${reference} is erased.` : `De persoonsgegevens van ${reference} zijn verwijderd.`);
        await screenshot(page, `erasure-${lang}-erased`);
      } finally {
        await close();
      }

      const coordinator = await browserAs(h, members.coordinator!, PHONE);
      try {
        await coordinator.page.goto(`${h.baseUrl}/cases/${caseId}`);
        const text = await mainText(coordinator.page);
        expect(text).toContain(lang === 'en' ? 'Personal data erased on' : 'Persoonsgegevens verwijderd op');
        expect(text).not.toContain('Nadia');
        await screenshot(coordinator.page, `erasure-${lang}-case-page`);
      } finally {
        await coordinator.close();
      }
    });
  }
});
