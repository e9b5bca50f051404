// Alerts on thresholds: a coordinator sets "more than N steps overdue" or "a step open longer than
// N days" on a programme; the ten-minute evaluation (a Temporal workflow started by a schedule)
// emails the coordinators when one is crossed, once, until it clears — and again if it crosses
// again. Against the real servers; the evaluation is run at once instead of waiting for the schedule.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAlertActivities } from '../../activities/alerts.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { renderMail } from '../../notifications/templates.js';
import { scheduleDefinitions } from '../../worker/schedules.js';
import { useApi } from '../support/api.js';
import { createParties, createProgrammeRow, type Member } from '../support/fixtures.js';
import { projector } from '../support/projected-cases.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

const template = builtInTemplates['community-sponsorship']!;

describe('alerts on thresholds', () => {
  const h = useApi('programme-alerts');
  let m: Record<string, Member>;
  let parties: Record<string, string>;
  let programmeId: string;
  const evaluate = () => createAlertActivities({ sql: h.sql }).evaluateAlerts();
  const alertMail = async () => (await h.sql<{ key: string; person_id: string }[]>`SELECT key, person_id FROM notifications WHERE programme_id = ${programmeId} AND template = 'alert' ORDER BY key`).map((r) => r.person_id);

  beforeAll(async () => {
    ({ members: m, parties } = await createParties(h.sql, template));
    programmeId = await createProgrammeRow(h.sql, template, m.coordinator!.organisationId, 10);
    await h.sql`UPDATE programmes SET mou_signatories = ${[m.coordinator!.organisationId, m.sponsor!.organisationId]}::uuid[], status = 'active' WHERE id = ${programmeId}`;
  });

  it('is kept by the programme’s coordinators only, once per key, with clear answers to bad input', async () => {
    const key = randomUUID();
    const add = (who: Member, body: unknown, k = key) => h.call(who, 'POST', `/v1/programmes/${programmeId}/alerts`, body, { 'idempotency-key': k });
    const first = await add(m.coordinator!, { kind: 'overdue-steps', threshold: 1 });
    expect(first.status).toBe(201);
    const again = await add(m.coordinator!, { kind: 'overdue-steps', threshold: 1 });
    const idOf = async (r: Response) => ((await r.json()) as { id: string }).id;
    expect(await idOf(again)).toBe(await idOf(first));
    expect((await add(m.sponsor!, { kind: 'overdue-steps', threshold: 1 }, randomUUID())).status, 'a signatory').toBe(403);
    expect((await add(m.municipality!, { kind: 'overdue-steps', threshold: 1 }, randomUUID())).status, 'no part in it').toBe(404);
    expect((await add(m.coordinator!, { kind: 'someday', threshold: 1 }, randomUUID())).status).toBe(400);
    expect((await add(m.coordinator!, { kind: 'step-age', threshold: 0 }, randomUUID())).status).toBe(400);
    const list = (await (await h.call(m.coordinator, 'GET', `/v1/programmes/${programmeId}/alerts`)).json()) as { items: { kind: string; crossedSince: string | null }[] };
    expect(list.items).toMatchObject([{ kind: 'overdue-steps', crossedSince: null }]);
  });

  it('emails once when crossed, not again while it stays crossed, and again after it cleared and crossed anew', async () => {
    const project = projector(h.sql);
    // Two cases whose first step was due a week ago: 2 overdue > 1.
    for (let i = 0; i < 2; i++) await project({ template, parties, programmeId, daysAgo: 21 });
    expect(await evaluate()).toMatchObject({ crossed: 1 });
    expect(await alertMail()).toEqual([m.coordinator!.personId]);
    expect(await evaluate(), 'still crossed: no second email').toMatchObject({ crossed: 0, cleared: 0 });
    expect(await alertMail()).toHaveLength(1);

    // The deadlines moved: it clears, silently; overdue again: a second email.
    await h.sql`UPDATE open_gates SET due_at = now() + interval '1 day' WHERE programme_id = ${programmeId}`;
    expect(await evaluate()).toMatchObject({ cleared: 1 });
    await h.sql`UPDATE open_gates SET due_at = now() - interval '1 day' WHERE programme_id = ${programmeId}`;
    const both = await Promise.all([evaluate(), evaluate()]);
    expect(both[0].crossed + both[1].crossed, 'one of the two evaluations crossed it').toBe(1);
    expect(await alertMail(), 'two evaluations at once still send one').toHaveLength(2);
    const { items } = (await (await h.call(m.coordinator, 'GET', `/v1/programmes/${programmeId}/alerts`)).json()) as { items: { crossedSince: string | null; lastValue: number; timesCrossed: number }[] };
    const [alert] = items;
    expect(alert).toMatchObject({ lastValue: 2, timesCrossed: 2 });
    expect(alert!.crossedSince).not.toBeNull();
  });

  it('runs as a workflow on the schedule’s task queue, and says in the reader’s words what crossed', async () => {
    expect(scheduleDefinitions(h.taskQueue).map((s) => s.scheduleId)).toContain('programme-alerts');
    const result = await h.client.workflow.execute('alertsWorkflow', { taskQueue: h.taskQueue, workflowId: `alerts-test-${randomUUID()}`, args: [] });
    expect(result).toMatchObject({ evaluated: expect.any(Number) });
    const context = { recipientName: 'C', subjectKind: 'programme' as const, reference: 'Pilot Utrecht', detail: 'overdue-steps', measure: { value: 12, threshold: 10 }, link: 'http://x' };
    expect(renderMail('alert', 'nl', context).text).toContain('12 stappen van Pilot Utrecht zijn over tijd (uw signaal: meer dan 10).');
    expect(renderMail('alert', 'en', { ...context, detail: 'step-age', measure: { value: 1, threshold: 30 } }).text).toContain('1 step has been open in Pilot Utrecht for longer than 30 days');
  });

  it('shows the alerts on the programme page, in English and Dutch, and adds one by the form', async () => {
    const coordinator = new Visitor(h.app);
    await signedIn(coordinator, m.coordinator!);
    const page = await textOf(await coordinator.get(`/programmes/${programmeId}`));
    expect(page).toContain('More than 1 steps overdue');
    expect(page).toMatch(/Crossed since \d+ \w+ \d{4}/);
    const html = await (await coordinator.get(`/programmes/${programmeId}`)).text();
    const _key = /action="\/programmes\/[^"]+\/alerts"[\s\S]*?name="_key" value="([^"]+)"/.exec(html)![1]!;
    const added = await coordinator.post(`/programmes/${programmeId}/alerts`, { _key, kind: 'step-age', threshold: '30' });
    expect(added.status).toBe(303);
    expect((await coordinator.post(`/programmes/${programmeId}/alerts`, { _key, kind: 'step-age', threshold: '30' })).status, 'pressed twice').toBe(303);
    expect((await h.sql`SELECT 1 FROM programme_alerts WHERE programme_id = ${programmeId} AND kind = 'step-age'`).length).toBe(1);
    await coordinator.get(`/language/nl?back=%2Fprogrammes%2F${programmeId}`);
    const nl = await textOf(await coordinator.get(`/programmes/${programmeId}`));
    expect(nl).toContain('Een stap die langer dan 30 dagen openstaat');
    expect(nl).toContain('Signalen');
    // A signatory sees the programme, not its alerts.
    const sponsor = new Visitor(h.app);
    await signedIn(sponsor, m.sponsor!);
    expect(await textOf(await sponsor.get(`/programmes/${programmeId}`))).not.toContain('Alerts');
  });
});
