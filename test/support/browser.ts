/**
 * The web pages over real HTTP, driven by a real Chromium (Debian's, launched by playwright-core),
 * with sign-in links read from the real SMTP sink. Screenshots land in test-artifacts/screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createApp } from '../../server/app.js';
import { listen } from '../../server/listen.js';
import { CHROMIUM_ARGS } from '../../devstack/chromium.js';
import { createMailer } from '../../infra/mailer.js';
import { projectRoot } from '../../infra/paths.js';
import { freePort } from './ports.js';
import { emailedToken, signInMailCount } from './visitor.js';
import { TEST_MAIL_FROM, useDevServer, type DevServerHarness } from './stack.js';

export const SCREENSHOT_DIR = join(projectRoot, 'test-artifacts', 'screenshots');

export interface WebHarness extends DevServerHarness {
  baseUrl: string;
  browser: Browser;
}

/** The whole app served on a loopback port (its public URL, so emailed links lead back to it), and a browser. */
export function useWebServer(label: string): WebHarness {
  const h = useDevServer(label) as WebHarness;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const port = await freePort();
    h.baseUrl = `http://127.0.0.1:${port}`;
    const app = createApp({ temporal: h.client, temporalConnection: h.connection, sql: h.sql, mailer: createMailer(inject('smtpUrl')), config: { publicUrl: h.baseUrl, mailFrom: TEST_MAIL_FROM }, taskQueue: h.taskQueue });
    close = (await listen(app, '127.0.0.1', port)).close;
    h.browser = await chromium.launch({ executablePath: inject('chromiumPath'), args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await h.browser?.close();
    await close?.();
  });
  return h;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Saves the page as `name`.png and checks it with axe-core (WCAG 2.1 A and AA rules): any
 * violation fails the test, named with the rule and the elements. axe is evaluated through the
 * DevTools protocol, which the pages' content policy (no scripts at all) does not block.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
  await page.evaluate(AXE_SOURCE);
  const { violations, passed } = await page.evaluate(async () => {
    const browser = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[]; passes: unknown[] }> } };
    const result = await browser.axe.run(browser.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return { passed: result.passes.length, violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })) };
  });
  // Rules that found something to check and passed (contrast, labels, landmarks, …): proof axe ran.
  expect(passed, `axe checked ${name}`).toBeGreaterThan(10);
  expect(violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), `accessibility of ${name}`).toEqual([]);
}

/** Presses Tab until the focused element's text is `name` (at most `limit` times); fails if it never is. */
export async function tabTo(page: Page, name: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement?.textContent?.trim());
    if (focused === name) return;
  }
  throw new Error(`"${name}" cannot be reached with the Tab key`);
}

/** Signs in as `email` the way a person does: asks for a link, opens it from the email, presses the button. */
export async function signIn(page: Page, baseUrl: string, email: string, shots?: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel(/Email address|E-mailadres/).fill(email);
  const before = await signInMailCount(email);
  await page.getByRole('button', { name: /Email me a sign-in link|Mail mij een inloglink/ }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Check your email|Kijk in uw e-mail/);
  if (shots) await screenshot(page, `${shots}-check-email`);
  await page.goto((await emailedToken(email, before + 1)).link);
  if (shots) await screenshot(page, `${shots}-sign-in-link`);
  await page.getByRole('button', { name: /^(Sign in|Inloggen)$/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
}
