// The reports page in Chromium, in English and Dutch, on a desktop and a phone, checked by axe:
// every chart is one named image beside a table holding the same numbers as `GET /v1/reports`,
// written the way each language writes numbers. Only coordinators have the page.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { screenshot, useWebServer } from '../support/browser.js';
import { browserAs, PHONE } from '../support/daily-work.js';
import { buildReportData, type ReportData } from '../support/report-data.js';

/** Each table's rows, cell texts, by the name of the chart beside it. */
async function tablesOf(page: Page): Promise<Record<string, string[][]>> {
  const figures = page.locator('figure.chart');
  const tables: Record<string, string[][]> = {};
  for (let i = 0; i < (await figures.count()); i++) {
    const figure = figures.nth(i);
    const name = await figure.locator('svg[role="img"] > title').textContent();
    const rows = figure.locator('table tbody tr');
    tables[name!] = [];
    for (let r = 0; r < (await rows.count()); r++) tables[name!]!.push((await rows.nth(r).locator('td').allInnerTexts()).map((t) => t.trim()));
  }
  return tables;
}

describe('the reports page', () => {
  const h = useWebServer('reports');
  let data: ReportData;

  beforeAll(async () => {
    data = await buildReportData(h.sql);
  });

  it('shows each chart with a table of the same numbers, in English and in Dutch', async () => {
    const { page, close } = await browserAs(h, data.members.coordinator!);
    try {
      const path = `/reports?programmeId=${data.durations}&period=24`;
      const response = await page.goto(`${h.baseUrl}${path}`);
      expect(response!.status()).toBe(200);
      await screenshot(page, 'reports-en');
      const svgs = page.locator('figure.chart svg[role="img"]');
      expect(await svgs.count()).toBe(6);
      for (let i = 0; i < 6; i++) {
        const labelledBy = (await svgs.nth(i).getAttribute('aria-labelledby'))!.split(' ');
        expect(await page.locator(`[id="${labelledBy[0]}"]`).count()).toBe(1);
      }
      const en = await tablesOf(page);
      expect(en['Time per step']).toEqual([['Eligibility', '5', '6', '9.2'], ['Municipal consent', '4', '4', '6.4']]);
      expect(en['Time per stage']).toEqual([['Intake', '5', '6', '9.2'], ['Arrival', '3', '3', '3']]);
      expect(en['Check-in reports']).toEqual([['Sent in time', '2'], ['Sent late', '1'], ['Missing', '1'], ['Not yet due', '1']]);
      expect(en['Arrivals per month']!.filter(([, n]) => n !== '0').map(([, n, total]) => [n, total])).toEqual([['2', '3'], ['1', '4']]);
      expect(await page.locator('main').innerText()).toContain('1 arrived before this period.');
      // The quota is drawn, and named in the chart's description.
      expect(await page.locator('#arrivals-total-chart-desc').textContent()).toContain('10 places');

      await page.goto(`${h.baseUrl}/language/nl?back=${encodeURIComponent(path)}`);
      await screenshot(page, 'reports-nl');
      const nl = await tablesOf(page);
      expect(nl['Tijd per stap']).toEqual([['Geschiktheid', '5', '6', '9,2'], ['Instemming van de gemeente', '4', '4', '6,4']]);
      expect(nl['Check-in-rapporten']).toEqual([['Op tijd verstuurd', '2'], ['Te laat verstuurd', '1'], ['Ontbreekt', '1'], ['Nog niet verlopen', '1']]);
      expect(await page.locator('th').allInnerTexts()).toContain('Mediaan (dagen)');
      // The choice of language is the person's: back to English for the next test.
      await page.goto(`${h.baseUrl}/language/en?back=%2Freports`);
    } finally {
      await close();
    }
  });

  it('works on a phone: whose turn it is now, and the filter form', async () => {
    const { page, close } = await browserAs(h, data.members.coordinator!, PHONE);
    try {
      await page.goto(`${h.baseUrl}/reports`);
      await page.locator('#filter-programmeId').selectOption(data.now);
      await page.locator('form.filters button[type="submit"]').click();
      await page.waitForURL((url) => url.searchParams.get('programmeId') === data.now);
      await screenshot(page, 'reports-phone');
      expect((await tablesOf(page))['Whose turn it is now']).toEqual([['Coordinator', '2', '2'], ['Municipality', '2', '1']]);
      // The drawing fits the phone's width.
      const box = await page.locator('#waiting-chart-title').locator('xpath=..').boundingBox();
      expect(box!.width).toBeLessThanOrEqual(PHONE.width);
    } finally {
      await close();
    }
  });

  it('is for coordinators only', async () => {
    const { page, close } = await browserAs(h, data.members.sponsor!);
    try {
      expect((await page.goto(`${h.baseUrl}/reports`))!.status()).toBe(403);
    } finally {
      await close();
    }
  });
});
