// "My settings" in Chromium, English and Dutch, checked by axe: a volunteer on a phone chooses a
// daily digest for reminders and a digest hour, and finds the choice saved.
import { describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { screenshot, useWebServer } from '../support/browser.js';
import { browserAs, mainText, PHONE } from '../support/daily-work.js';
import { createParties } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;

describe('my settings, in the browser', () => {
  const h = useWebServer('me-browser');

  for (const lang of ['en', 'nl'] as const) {
    it(`chooses a daily digest for reminders, on a phone (${lang})`, async () => {
      const { members } = await createParties(h.sql, template, lang);
      const sponsor = members.sponsor!;
      const { page, close } = await browserAs(h, sponsor, PHONE);
      try {
        await page.goto(`${h.baseUrl}/me`);
        expect(await mainText(page)).toContain(lang === 'en' ? 'My settings' : 'Mijn instellingen');
        await screenshot(page, `me-${lang}-settings`);
        await page.locator('#kind-reminder').selectOption('digest');
        await page.locator('#digest-hour').selectOption('7');
        await page.locator('form[action="/me/preferences"] button[type=submit]').click();
        await screenshot(page, `me-${lang}-saved`);
        const saved = await h.sql<{ kind: string; delivery: string }[]>`SELECT kind, delivery FROM notification_preferences WHERE person_id = ${sponsor.personId}`;
        expect(saved).toContainEqual({ kind: 'reminder', delivery: 'digest' });
        expect(await page.locator('#kind-reminder').inputValue()).toBe('digest');
      } finally {
        await close();
      }
    });
  }
});
