/**
 * The web pages over real HTTP, driven by a real Chromium (Debian's, launched by playwright-core),
 * with sign-in links read from the real SMTP sink. Screenshots land in test-artifacts/screenshots.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { createApp } from '../../api/app.js';
import { serveApi } from '../../api/server.js';
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
    close = (await serveApi(app, '127.0.0.1', port)).close;
    h.browser = await chromium.launch({ executablePath: inject('chromiumPath'), args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });
  afterAll(async () => {
    await h.browser?.close();
    await close?.();
  });
  return h;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
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
