// Saved views (usecases/saved-views.ts): a person keeps named filters of the case list and the
// board; coordinators share them with their organisation, whose colleagues see them and no one
// else; only the owner deletes one; a retry with the same Idempotency-Key saves it once.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import { useApi } from '../support/api.js';
import { createParties, type Member } from '../support/fixtures.js';

const template = builtInTemplates['community-sponsorship']!;

type View = { id: string; name: string; list: string; query: Record<string, string>; shared: boolean; mine: boolean; owner: { personId: string; name: string }; apiPath: string };

describe('saved views', () => {
  const h = useApi('saved-views');
  let m: Record<string, Member>;
  let other: Record<string, Member>;
  /** A second coordinator of the same organisation as m.coordinator. */
  let colleague: Member;

  const save = (who: Member, body: unknown, key: string = randomUUID()) => h.call(who, 'POST', '/v1/views', body, { 'idempotency-key': key });
  const saved = async (who: Member, body: unknown) => {
    const response = await save(who, body);
    const text = await response.text();
    expect(response.status, text).toBe(201);
    return JSON.parse(text) as View;
  };
  const list = async (who: Member, query = '') => {
    const response = await h.call(who, 'GET', `/v1/views${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: View[] }).items;
  };

  beforeAll(async () => {
    ({ members: m } = await createParties(h.sql, template));
    ({ members: other } = await createParties(h.sql, template));
    const [person] = await h.sql<{ id: string }[]>`
      INSERT INTO people (organisation_id, name, email, role, language)
      VALUES (${m.coordinator!.organisationId}, 'Colleague Coordinator', ${`colleague-${randomUUID().slice(0, 8)}@example.test`}, 'coordinator', 'en') RETURNING id`;
    colleague = { ...m.coordinator!, personId: person!.id, actor: { ...m.coordinator!.actor, personId: person!.id } };
  });

  it('keeps a person’s own view to themselves, and a coordinator’s shared view for their organisation only', async () => {
    const own = await saved(m.coordinator!, { name: '  Overdue, soonest first  ', list: 'cases', query: { stuck: 'true', sort: 'due', search: '' } });
    expect(own).toMatchObject({ name: 'Overdue, soonest first', list: 'cases', query: { sort: 'due', stuck: 'true' }, shared: false, mine: true, apiPath: '/v1/cases?sort=due&stuck=true' });
    const shared = await saved(m.coordinator!, { name: 'Municipalities a week late', list: 'board', query: { partyKind: 'municipality', overdueDays: '7' }, shared: true });

    const mine = await list(m.coordinator!);
    expect(mine.map((v) => v.id).sort()).toEqual([own.id, shared.id].sort());
    expect(await list(m.coordinator!, '?list=board')).toEqual([expect.objectContaining({ id: shared.id })]);

    // The colleague sees the shared one, with who shared it, and not the other.
    const seen = await list(colleague);
    expect(seen).toEqual([expect.objectContaining({ id: shared.id, mine: false, owner: { personId: m.coordinator!.personId, name: expect.any(String) } })]);
    // Another organisation's coordinator, and a party of the same cases, see neither.
    expect(await list(other.coordinator!)).toEqual([]);
    expect(await list(m.sponsor!)).toEqual([]);

    // The view leads to the list itself.
    expect((await h.call(m.coordinator!, 'GET', shared.apiPath)).status).toBe(200);
  });

  it('lets only coordinators share a view, and save one of the board', async () => {
    expect((await save(m.sponsor!, { name: 'Ours', list: 'cases', query: {}, shared: true })).status).toBe(403);
    expect((await save(m.sponsor!, { name: 'Board', list: 'board', query: {} })).status).toBe(403);
    const own = await saved(m.sponsor!, { name: 'Our turn', list: 'cases', query: { waitingOnMe: 'true' } });
    expect(await list(m.sponsor!)).toEqual([expect.objectContaining({ id: own.id, shared: false })]);
    expect(await list(other.sponsor!)).toEqual([]);
  });

  it('refuses a name that is empty or too long, and filters the list would refuse, naming them', async () => {
    const refused = async (body: unknown, field: string) => {
      const response = await save(m.coordinator!, body);
      const problem = (await response.json()) as { errors?: { field: string }[] };
      expect(response.status, JSON.stringify(problem)).toBe(400);
      expect(problem.errors?.map((e) => e.field)).toContain(field);
    };
    await refused({ name: '   ', list: 'cases', query: {} }, 'name');
    await refused({ name: 'x'.repeat(81), list: 'cases', query: {} }, 'name');
    await refused({ name: 'Bad', list: 'cases', query: { stuck: 'maybe' } }, 'query.stuck');
    await refused({ name: 'Bad', list: 'cases', query: { cursor: 'abc' } }, 'query.cursor');
    await refused({ name: 'Bad', list: 'board', query: { overdueDays: '-1' } }, 'query.overdueDays');
    await refused({ name: 'Bad', list: 'board', query: { sort: 'due' } }, 'query.sort');
    await refused({ name: 'Bad', list: 'elsewhere', query: {} }, 'list');
  });

  it('saves once per Idempotency-Key, and refuses the key for another view', async () => {
    const key = randomUUID();
    const body = { name: `Once ${key.slice(0, 6)}`, list: 'cases', query: { status: 'active' } };
    const first = await save(m.coordinator!, body, key);
    const again = await save(m.coordinator!, body, key);
    expect([first.status, again.status]).toEqual([201, 201]);
    const [a, b] = [(await first.json()) as View, (await again.json()) as View];
    expect(b.id).toBe(a.id);
    expect((await list(m.coordinator!)).filter((v) => v.name === body.name)).toHaveLength(1);
    expect((await save(m.coordinator!, { ...body, name: 'Another' }, key)).status).toBe(409);
  });

  it('is renamed, shared and unshared by its owner only', async () => {
    const view = await saved(m.coordinator!, { name: 'Before', list: 'cases', query: { status: 'active' } });
    const change = (who: Member, body: unknown) => h.call(who, 'PATCH', `/v1/views/${view.id}`, body);
    const renamed = await change(m.coordinator!, { name: ' After ', shared: true });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ id: view.id, name: 'After', shared: true, query: { status: 'active' } });
    expect((await list(colleague)).map((v) => v.name)).toContain('After');
    expect((await change(colleague, { name: 'Mine now' })).status).toBe(403);
    expect((await change(other.coordinator!, { name: 'Mine now' })).status).toBe(404);
    expect((await change(m.coordinator!, {})).status).toBe(400);
    expect((await change(m.coordinator!, { name: '' })).status).toBe(400);
    expect((await change(m.coordinator!, { shared: false })).status).toBe(200);
    expect((await list(colleague)).map((v) => v.id)).not.toContain(view.id);

    const sponsors = await saved(m.sponsor!, { name: 'Ours', list: 'cases', query: {} });
    expect((await h.call(m.sponsor!, 'PATCH', `/v1/views/${sponsors.id}`, { shared: true })).status).toBe(403);
    expect((await h.call(m.sponsor!, 'PATCH', `/v1/views/${sponsors.id}`, { name: 'Still ours' })).status).toBe(200);
  });

  it('is deleted by its owner only, a shared one too', async () => {
    const shared = await saved(m.coordinator!, { name: 'To delete', list: 'cases', query: { onHold: 'any' }, shared: true });
    expect((await h.call(colleague, 'DELETE', `/v1/views/${shared.id}`)).status).toBe(403);
    expect((await h.call(other.coordinator!, 'DELETE', `/v1/views/${shared.id}`)).status).toBe(404);
    expect((await h.call(m.sponsor!, 'DELETE', `/v1/views/${shared.id}`)).status).toBe(404);
    expect((await h.call(m.coordinator!, 'DELETE', `/v1/views/${shared.id}`)).status).toBe(204);
    expect((await h.call(m.coordinator!, 'DELETE', `/v1/views/${shared.id}`)).status).toBe(404);
    expect((await list(colleague)).map((v) => v.id)).not.toContain(shared.id);
    expect((await h.call(m.coordinator!, 'DELETE', '/v1/views/not-a-uuid')).status).toBe(400);
  });
});
