/**
 * For the browser tests of people's daily work (test/web/*.browser.test.ts): a browser already
 * signed in as a person (a session opened directly: signing in by email link is what
 * test/web/sign-in.test.ts and journeys.test.ts test), calls to the API as a person, and cases
 * opened through the API.
 */
import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { CaseView } from '../../domain/case-view.js';
import { issueToken } from '../../usecases/tokens.js';
import { COOKIE } from '../../web/env.js';
import { openSession } from '../../web/session.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import type { WebHarness } from './browser.js';
import { waitForCase } from './cases.js';
import type { Member } from './fixtures.js';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

/** A browser window signed in as `who` (their own language unless they switch), closed by `close()`. */
export async function browserAs(h: WebHarness, who: Member, viewport: { width: number; height: number } = DESKTOP): Promise<{ page: Page; context: BrowserContext; close(): Promise<void> }> {
  const context = await h.browser.newContext({ viewport, isMobile: viewport.width < 600, locale: 'en-GB' });
  await context.addCookies([{ name: COOKIE.session, value: await openSession(h.sql, who.personId), url: h.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  return { page, context, close: () => context.close() };
}

/** The visible text of the page's main part, whitespace folded. */
export const mainText = async (page: Page): Promise<string> => (await page.locator('main').innerText()).replace(/\s+/g, ' ');

/** The message the page shows after an action (confirmation or refusal). */
export const flashText = async (page: Page): Promise<string> => ((await page.locator('main > .flash').first().textContent()) ?? '').trim();

/** Calls the API as a person, with a real token, as a client would. */
export function apiAs(h: WebHarness) {
  const tokens = new Map<string, string>();
  return async function api<T = unknown>(who: Member, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    let token = tokens.get(who.personId);
    if (!token) tokens.set(who.personId, (token = (await issueToken(h.sql, who.personId, 'browser-test')).token));
    const response = await fetch(`${h.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  };
}

export type Api = ReturnType<typeof apiAs>;

export interface Household {
  principalName: string;
  members?: { name: string; birthYear?: number; relation?: string }[];
  needs?: string[];
}

/** Opens a community-sponsorship case through the API as `who`, and waits until its first step is open. */
export async function openCase(h: WebHarness, api: Api, who: Member, parties: Record<string, Member>, reference: string, household: Household) {
  const created = await api<{ id: string }>(who, 'POST', '/v1/cases', {
    reference,
    pathwayId: 'community-sponsorship',
    parties: Object.fromEntries(Object.entries(parties).map(([slot, m]) => [slot, m.organisationId])),
    household,
  });
  expect(created.status, `case ${reference} opened`).toBe(201);
  const handle = h.client.workflow.getHandle(caseWorkflowId(created.body.id));
  await waitForCase(handle, (v) => v.gates.some((g) => g.status === 'open'));
  return { id: created.body.id, reference, handle };
}

export type OpenedCase = Awaited<ReturnType<typeof openCase>>;

/** Takes a gate action through the API and expects it to be done. */
export async function actOnGate(api: Api, who: Member, c: OpenedCase, gateId: string, path: string, body: unknown): Promise<CaseView> {
  const answer = await api<CaseView>(who, 'POST', `/v1/cases/${c.id}/gates/${gateId}/${path}`, body);
  expect(answer.status, `${path} on ${gateId}: ${JSON.stringify(answer.body)}`).toBe(200);
  return answer.body;
}

/** Approves gates in turn, each once it is open. */
export async function approve(api: Api, parties: Record<string, Member>, c: OpenedCase, ...gates: [gateId: string, slot: string][]): Promise<void> {
  for (const [gateId, slot] of gates) {
    await waitForCase(c.handle, (v) => v.gates.some((g) => g.id === gateId && g.status === 'open'));
    await actOnGate(api, parties[slot]!, c, gateId, 'decision', { outcome: 'approve' });
  }
}

/** The case brought to an open housing offer from the municipality; answers the offer's id. */
export async function toOpenOffer(api: Api, parties: Record<string, Member>, c: OpenedCase, address: string): Promise<string> {
  await approve(api, parties, c, ['eligibility', 'coordinator'], ['sponsor-plan', 'coordinator'], ['municipal-consent', 'municipality']);
  await waitForCase(c.handle, (v) => v.stage?.id === 'housing');
  const validUntil = new Date(Date.now() + 7 * 86_400_000).toISOString();
  const state = await actOnGate(api, parties.municipality!, c, 'housing', 'offer', { address, rooms: 3, accessible: true, availableFrom: '2027-03-01', validUntil });
  const offers = state.gates.find((g) => g.id === 'housing')!.detail.offers as { offerId: string; status: string }[];
  return offers.find((o) => o.status === 'open')!.offerId;
}

/** A second person in `who`'s organisation (a colleague who acts in another window). */
export async function colleagueOf(h: WebHarness, who: Member): Promise<Member> {
  const email = `colleague-${randomUUID().slice(0, 8)}@example.test`;
  const [person] = await h.sql<{ id: string }[]>`
    INSERT INTO people (organisation_id, name, email, role, language)
    VALUES (${who.organisationId}, ${`Colleague ${email.slice(10, 18)}`}, ${email}, ${who.actor.role}, 'en') RETURNING id`;
  return { ...who, personId: person!.id, email, actor: { ...who.actor, personId: person!.id } };
}

/** A date and time as the pages write them (Amsterdam time), in `locale`. */
export const pageDateTime = (locale: 'en-GB' | 'nl-NL', iso: string) =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Amsterdam' }).format(new Date(iso));

/** Presses Tab until the field with this id has the focus; fails if it never does. */
export async function tabToField(page: Page, id: string, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if ((await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id)) === id) return;
  }
  throw new Error(`#${id} cannot be reached with the Tab key`);
}
