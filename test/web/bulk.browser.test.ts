// Bulk actions in Chromium, without JavaScript, every page checked by axe: a coordinator ticks
// cases on the list (checkboxes that belong to the form below it), confirms with the count, a
// date and a reason, and reads each case's result — in English, then in Dutch on a phone.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { caseWorkflow } from '../../workflows/case.js';
import { caseWorkflowId } from '../../workflows/contract.js';
import { screenshot, useWebServer } from '../support/browser.js';
import { act, view } from '../support/cases.js';
import { browserAs, mainText, PHONE } from '../support/daily-work.js';
import { createCaseRow, createParties, type Member } from '../support/fixtures.js';
import { oneStepTemplate } from '../support/templates.js';

const template = oneStepTemplate;
const tag = randomUUID().slice(0, 6).toUpperCase();

describe('bulk actions, in the browser', () => {
  const h = useWebServer('bulk-browser');
  let m: Record<string, Member>;
  const ids: string[] = [];

  beforeAll(async () => {
    const made = await createParties(h.sql, template);
    m = made.members;
    for (let i = 0; i < 4; i++) {
      const reference = `BLKB-${tag}-${i}`;
      const { caseId } = await createCaseRow(h.sql, template, made.parties, undefined, reference);
      await h.client.workflow.start<typeof caseWorkflow>('caseWorkflow', { workflowId: caseWorkflowId(caseId), taskQueue: h.taskQueue, args: [{ case: { caseId, reference, template, parties: made.parties } }] });
      ids.push(caseId);
    }
    for (let deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 250))) {
      const [row] = await h.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases WHERE id = ANY(${ids}::uuid[]) AND status = 'active'`;
      if (row!.n === ids.length) break;
      if (Date.now() > deadline) throw new Error('cases not projected');
    }
    // One case's step is already due after the date the bulk action will ask for: it is refused.
    await act(h.client.workflow.getHandle(caseWorkflowId(ids[1]!)), 'extend', { gateId: 'step', actor: m.coordinator!.actor, dueAt: new Date(Date.now() + 200 * 86_400_000).toISOString(), reasonRef: randomUUID() });
  });

  it('en: ticks three cases, confirms the count with a date and a reason, and reads each result', async () => {
    const untouched = (await view(h.client.workflow.getHandle(caseWorkflowId(ids[3]!)))).gates[0]!.dueAt;
    const { page, close } = await browserAs(h, m.coordinator!);
    try {
      await page.goto(`${h.baseUrl}/cases?search=BLKB-${tag}&sort=reference`);
      for (const i of [0, 1, 2]) await page.getByLabel(`Select BLKB-${tag}-${i}`).check();
      await page.getByLabel('Action').selectOption({ label: 'Move the due date' });
      await screenshot(page, 'bulk-en-list');
      await page.getByRole('button', { name: 'With the ticked cases' }).click();
      await page.getByRole('heading', { name: 'Please confirm', level: 1 }).waitFor();
      expect(await mainText(page)).toContain('Move the due date of a step in 3 cases to the date you choose below.');
      await screenshot(page, 'bulk-en-confirm');
      await page.getByLabel('New due date').fill(new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10));
      await page.getByLabel('Your reason').fill('The municipalities asked for more time');
      await page.getByRole('button', { name: 'Yes, do this in 3 cases' }).click();
      await page.waitForURL(/\/bulk-actions\/[0-9a-f-]{36}$/);
      await expect.poll(async () => (await page.reload(), await mainText(page)), { timeout: 60_000, interval: 500 }).toContain('Finished on');
      const text = await mainText(page);
      expect(text).toContain('Move the due date: 3 cases');
      expect(text).toContain('Done (2)');
      expect(text).toContain('Refused (1)');
      expect(text).toContain('the new due date must be later than the current one');
      await screenshot(page, 'bulk-en-result');
      await page.getByRole('link', { name: 'Bulk actions so far, and their results' }).click();
      await page.getByRole('heading', { name: 'Bulk actions', level: 1 }).waitFor();
      expect(await mainText(page)).toContain('Done (2), Refused (1)');
      await screenshot(page, 'bulk-en-history');
      expect((await view(h.client.workflow.getHandle(caseWorkflowId(ids[3]!)))).gates[0]!.dueAt, 'the unticked case is untouched').toBe(untouched);
    } finally {
      await close();
    }
  });

  it('nl: takes every case the filter shows, on a phone', async () => {
    await h.sql`UPDATE people SET language = 'nl' WHERE id = ${m.coordinator!.personId}`;
    const { page, close } = await browserAs(h, m.coordinator!, PHONE);
    try {
      await page.goto(`${h.baseUrl}/cases?search=BLKB-${tag}`);
      await page.getByLabel('Actie').selectOption({ label: 'Herinnering sturen' });
      await page.getByRole('button', { name: 'Met alle casussen die bij deze filters passen' }).click();
      await page.getByRole('heading', { name: 'Bevestig alstublieft', level: 1 }).waitFor();
      expect(await mainText(page)).toContain('In 4 casussen een herinnering sturen');
      await screenshot(page, 'bulk-nl-confirm');
      await page.getByRole('button', { name: 'Ja, doe dit in 4 casussen' }).click();
      await page.waitForURL(/\/bulk-actions\/[0-9a-f-]{36}$/);
      await expect.poll(async () => (await page.reload(), await mainText(page)), { timeout: 60_000, interval: 500 }).toContain('Klaar op');
      expect(await mainText(page)).toContain('Gedaan (4)');
      await screenshot(page, 'bulk-nl-result');
    } finally {
      await close();
      await h.sql`UPDATE people SET language = 'en' WHERE id = ${m.coordinator!.personId}`;
    }
  });
});
