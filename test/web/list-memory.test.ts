// Lists remember their search, filters and sort while a person works: back to "Cases" or the
// board by the menu, the list is as they left it; "clear" forgets it; the page (cursor) is never kept.
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createParties, type Member } from '../support/fixtures.js';
import { signedIn, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

describe('lists remembered while navigating', () => {
  const h = useApi('web-list-memory');
  let m: Record<string, Member>;
  let coordinator: Visitor;

  beforeAll(async () => {
    ({ members: m } = await createParties(h.sql, template));
    coordinator = new Visitor(h.app);
    await signedIn(coordinator, m.coordinator!);
  });

  it('brings back the case list’s search, filter and sort by the bare address; clear forgets them', async () => {
    expect((await coordinator.get('/cases')).status, 'nothing remembered yet').toBe(200);
    expect((await coordinator.get('/cases?search=CS-2027&status=active&sort=reference&cursor=abc')).status).toBe(400); // a cursor the app did not give out
    expect((await coordinator.get('/cases?search=CS-2027&status=active&sort=reference')).status).toBe(200);
    const back = await coordinator.get('/cases');
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/cases?search=CS-2027&status=active&sort=reference');
    const page = await (await coordinator.get(back.headers.get('location')!)).text();
    expect(page, 'the clear link forgets').toContain('href="/cases?clear=1"');
    expect((await coordinator.get('/cases?clear=1')).status).toBe(200);
    expect((await coordinator.get('/cases')).status, 'forgotten').toBe(200);
  });

  it('keeps the board’s filters apart from the case list’s', async () => {
    expect((await coordinator.get('/board?gateKind=housing')).status).toBe(200);
    const back = await coordinator.get('/board');
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/board?gateKind=housing');
    expect((await coordinator.get('/cases')).status).toBe(200);
    // Removing the only filter by its link shows the whole board, not the remembered one.
    const whole = await coordinator.get('/board?clear=1');
    expect(whole.status).toBe(200);
    expect((await coordinator.get('/board')).status).toBe(200);
  });
});
