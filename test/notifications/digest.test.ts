// Preferences, the daily digest and delegation, against the real servers: real cases queue real
// mail, the digest workflow runs on the dev server, and every email is read from the SMTP sink.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createDigestActivities } from '../../activities/digest.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import { ensureSchedules, scheduleDefinitions } from '../../worker/schedules.js';
import type { DigestRunResult } from '../../workflows/digest.js';
import { useApi } from '../support/api.js';
import { startCase } from '../support/cases.js';
import { createOrganisation, createParties, withTimePolicy, type Member } from '../support/fixtures.js';
import { receivedMail, waitForMail } from '../support/mail.js';
import { signedIn, textOf, Visitor } from '../support/visitor.js';

// A reminder after two seconds, due after eight, then an escalation every four: a day's mail in
// seconds. The reminder has six seconds to be sent: one woken after the due date is not sent late
// (domain/case-timers.ts), and a machine busy with the whole suite can be seconds behind.
const quick = withTimePolicy(builtInTemplates['community-sponsorship']!, { dueIn: '8 seconds', remindAt: ['2 seconds'], escalateEvery: '4 seconds' });

describe('notification preferences, the daily digest and delegation', () => {
  const h = useApi('digest');

  /** Another person of `of`'s organisation. */
  async function colleague(of: Member, name: string, language: 'en' | 'nl' = 'en'): Promise<Member> {
    const email = `colleague-${randomUUID().slice(0, 8)}@example.test`;
    const [p] = await h.sql<{ id: string }[]>`
      INSERT INTO people (organisation_id, name, email, role, language) SELECT organisation_id, ${name}, ${email}, role, ${language} FROM people WHERE id = ${of.personId} RETURNING id`;
    return { organisationId: of.organisationId, personId: p!.id, email, actor: { ...of.actor, personId: p!.id } };
  }

  const runDigests = (now: number) =>
    h.client.workflow.execute<(input: { now: number }) => Promise<DigestRunResult>>('digestWorkflow', { taskQueue: h.taskQueue, workflowId: `digest-test-${randomUUID()}`, args: [{ now }] });

  const mailTo = async (email: string) => (await receivedMail()).filter((m) => m.to.includes(email));

  it('holds digest kinds for the daily overview, drops switched-off ones, sends essential ones at once, and sends one overview per day in Dutch', async () => {
    const { parties, members } = await createParties(h.sql, quick, 'nl');
    const coordinator = members.coordinator!;
    const put = await h.call(coordinator, 'PUT', '/v1/me/notification-preferences', { preferences: { 'action-required': 'digest', reminder: 'off' }, digestHour: 0 });
    expect(put.status).toBe(200);
    const prefs = (await put.json()) as { kinds: { kind: string; delivery: string; essential: boolean }[]; digestHour: number };
    expect(prefs.digestHour).toBe(0);
    expect(prefs.kinds.find((k) => k.kind === 'escalation')).toMatchObject({ delivery: 'immediately', essential: true });
    expect(prefs.kinds.find((k) => k.kind === 'reminder')).toMatchObject({ delivery: 'off' });

    const { reference, caseId } = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: quick, parties });
    // Essential: the escalation comes at once, whatever else was chosen.
    await waitForMail((m) => m.to.includes(coordinator.email) && m.subject.startsWith('Vastgelopen:'));
    const before = await mailTo(coordinator.email);
    expect(before.filter((m) => m.subject.startsWith('Actie nodig'))).toEqual([]);
    expect(before.filter((m) => m.subject.startsWith('Herinnering'))).toEqual([]);
    const withheld = await h.sql<{ template: string; reason: string }[]>`SELECT template, reason FROM notifications_withheld WHERE person_id = ${coordinator.personId} AND case_id = ${caseId}`;
    expect(withheld).toEqual(expect.arrayContaining([{ template: 'action-required', reason: 'digest' }, { template: 'reminder', reason: 'off' }]));

    // The overview: the held message and what waits on the organisation, in Dutch.
    const now = Date.now();
    expect((await runDigests(now)).sent).toBeGreaterThanOrEqual(1);
    const [digest] = await waitForMail((m) => m.to.includes(coordinator.email) && m.subject.startsWith('Uw overzicht van vandaag'));
    expect(digest!.text).toContain(`Actie nodig: Besluit over geschiktheid — casus ${reference}`);
    expect(digest!.text).toContain('Wacht op uw organisatie (1):');
    expect(digest!.text).toContain(`${reference}: Besluit over geschiktheid, uiterlijk`);
    expect(digest!.text).toMatch(/uiterlijk (maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag) \d+ \w+ \d{4}/);
    // It became overdue since the previous overview (there was none: the last day), and the case changed.
    expect(digest!.text).toContain('Over tijd sinds het vorige overzicht:');
    expect(digest!.text).toMatch(new RegExp(`Wijzigingen in uw casussen:\\n- ${reference}: \\d+ wijziging`));

    // Once per day: a second run, and a retried activity, send nothing more.
    expect((await runDigests(now + 60_000)).sent).toBe(0);
    expect(await createDigestActivities({ sql: h.sql }).sendDigest({ personId: coordinator.personId, now })).toBe('already');
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await mailTo(coordinator.email)).filter((m) => m.subject.startsWith('Uw overzicht'))).toHaveLength(1);
    const [sent] = await h.sql`SELECT outcome FROM digests_sent WHERE person_id = ${coordinator.personId}`;
    expect(sent).toMatchObject({ outcome: 'sent' });
    // Switched off stays off: the reminder was never in the overview either.
    expect(digest!.text).not.toContain('Herinnering');
  });

  it('makes its schedules idempotently: a second start changes nothing', async () => {
    const prefix = `test-${randomUUID().slice(0, 8)}-`;
    const definitions = scheduleDefinitions(h.taskQueue).map((d) => ({ ...d, scheduleId: `${prefix}${d.scheduleId}`, state: { paused: true } }));
    try {
      await ensureSchedules(h.client, definitions);
      await ensureSchedules(h.client, definitions);
      const described = await h.client.schedule.getHandle(`${prefix}daily-digests`).describe();
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'digestWorkflow', taskQueue: h.taskQueue });
      expect(described.spec.intervals).toHaveLength(1);
      expect(described.state.paused).toBe(true);
      const alerts = await h.client.schedule.getHandle(`${prefix}programme-alerts`).describe();
      expect(alerts.action).toMatchObject({ type: 'startWorkflow', workflowType: 'alertsWorkflow', taskQueue: h.taskQueue });
    } finally {
      for (const d of definitions) await h.client.schedule.getHandle(d.scheduleId).delete();
    }
  });

  it('skips an empty overview: recorded, never mailed', async () => {
    const quiet = await createOrganisation(h.sql, 'university');
    expect((await h.call(quiet, 'PUT', '/v1/me/notification-preferences', { preferences: { 'case-update': 'digest' }, digestHour: 0 })).status).toBe(200);
    // Two at once (a retried activity beside a second run): one records it, the other finds it.
    const digests = createDigestActivities({ sql: h.sql });
    const now = Date.now();
    expect((await Promise.all([digests.sendDigest({ personId: quiet.personId, now }), digests.sendDigest({ personId: quiet.personId, now })])).sort()).toEqual(['already', 'skipped']);
    const [row] = await h.sql`SELECT outcome, notification_key FROM digests_sent WHERE person_id = ${quiet.personId}`;
    expect(row).toMatchObject({ outcome: 'skipped', notification_key: null });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await mailTo(quiet.email)).toEqual([]);
    // Saving again keeps a time zone that is not named again.
    expect((await h.call(quiet, 'PUT', '/v1/me/notification-preferences', { digestHour: 9, timeZone: 'Europe/London' })).status).toBe(200);
    const again = await h.call(quiet, 'PUT', '/v1/me/notification-preferences', { preferences: { 'offer-made': 'off' } });
    expect(await again.json()).toMatchObject({ digestHour: null, timeZone: 'Europe/London' });
  });

  it('sends reminders to the delegate while someone is away, and the timeline says for whom', async () => {
    const { parties, members } = await createParties(h.sql, quick, 'en');
    const away = members.coordinator!;
    const delegate = await colleague(away, `Delegate ${randomUUID().slice(0, 4)}`);
    const [{ name: awayName } = { name: '' }] = await h.sql<{ name: string }[]>`SELECT name FROM people WHERE id = ${away.personId}`;
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

    // Bad input: 4xx naming the field.
    const outsider = members.sponsor!;
    expect((await h.call(away, 'POST', '/v1/me/absences', { from: today, until: tomorrow, delegateId: outsider.personId })).status).toBe(400);
    expect((await h.call(away, 'POST', '/v1/me/absences', { from: tomorrow, until: today, delegateId: delegate.personId })).status).toBe(400);
    expect((await h.call(away, 'POST', '/v1/me/absences', { from: 'soon', until: tomorrow, delegateId: delegate.personId })).status).toBe(400);
    expect((await h.call(away, 'PUT', '/v1/me/notification-preferences', { preferences: { escalation: 'off' } })).status).toBe(400);
    expect((await h.call(away, 'PUT', '/v1/me/notification-preferences', { preferences: { reminder: 'digest' }, digestHour: null })).status).toBe(400);
    expect((await h.call(away, 'PUT', '/v1/me/notification-preferences', { timeZone: 'Mars/Olympus' })).status).toBe(400);
    expect((await h.call(away, 'DELETE', `/v1/me/absences/${randomUUID()}`)).status).toBe(404);

    const made = await h.call(away, 'POST', '/v1/me/absences', { from: today, until: tomorrow, delegateId: delegate.personId }, { 'Idempotency-Key': randomUUID() });
    expect(made.status).toBe(201);
    const absence = (await made.json()) as { id: string; current: boolean; delegate: { personId: string } };
    expect(absence).toMatchObject({ current: true, delegate: { personId: delegate.personId } });
    expect((await h.call(away, 'POST', '/v1/me/absences', { from: tomorrow, until: tomorrow, delegateId: delegate.personId })).status).toBe(409);
    expect(((await (await h.call(away, 'GET', '/v1/me/absences')).json()) as { items: unknown[] }).items).toHaveLength(1);

    const { caseId } = await startCase(h.client, h.sql, { taskQueue: h.taskQueue, template: quick, parties });
    const [reminder] = await waitForMail((m) => m.to.includes(delegate.email) && m.subject.startsWith('Reminder:'));
    expect(reminder!.text).toContain(`You receive this for ${awayName}, who is away`);
    // The one away gets no reminder meanwhile (kept for the record); escalations still reach everyone.
    expect((await mailTo(away.email)).filter((m) => m.subject.startsWith('Reminder:'))).toEqual([]);
    await expect.poll(async () => (await h.sql`SELECT reason FROM notifications_withheld WHERE person_id = ${away.personId} AND case_id = ${caseId} AND template = 'reminder'`)[0]).toMatchObject({ reason: 'away' });

    // The delegate decides; the timeline reads "Delegate (for the one away)".
    expect((await h.call(delegate, 'POST', `/v1/cases/${caseId}/gates/eligibility/decision`, { outcome: 'approve' })).status).toBe(200);
    type Timeline = { items: { kind: string; actor: string; by: { onBehalfOf?: { id: string; name: string | null }[] } | null }[] };
    const timeline = async (who: Member) => (await (await h.call(who, 'GET', `/v1/cases/${caseId}/timeline`)).json()) as Timeline;
    // The projection writes the event just after the decision's answer.
    await expect.poll(async () => (await timeline(away)).items.find((e) => e.actor === delegate.personId)?.by?.onBehalfOf).toEqual([{ id: away.personId, name: awayName }]);
    // Another party learns which organisation acted, not who: no names.
    expect((await timeline(outsider)).items.find((e) => e.actor === delegate.personId)?.by?.onBehalfOf).toEqual([{ id: away.personId, name: null }]);

    const v = new Visitor(h.app);
    await signedIn(v, delegate);
    const page = await textOf(await v.get(`/cases/${caseId}`));
    expect(page).toContain(`for ${awayName})`);
    const settings = await textOf(await v.get('/me'));
    expect(settings).toContain('My settings');
    expect(settings).toContain(awayName);
    // The page's form saves the same preferences as the API, and refuses what the API refuses.
    expect((await v.post('/me/preferences', { 'kind-case-update': 'off', 'kind-reminder': 'digest', digestHour: '7' })).headers.get('location')).toBe('/me');
    expect(await textOf(await v.get('/me'))).toContain('Your email settings are saved.');
    expect(((await (await h.call(delegate, 'GET', '/v1/me/notification-preferences')).json()) as { digestHour: number }).digestHour).toBe(7);
    await v.post('/me/absences', { from: today, until: today, delegateId: outsider.personId });
    expect(await textOf(await v.get('/me'))).toContain('the colleague is in your organisation');

    // Called off while under way: it ends now and stays on record for the timeline.
    expect((await h.call(away, 'DELETE', `/v1/me/absences/${absence.id}`)).status).toBe(204);
    const [kept] = await h.sql<{ endsAt: Date }[]>`SELECT ends_at AS "endsAt" FROM absences WHERE id = ${absence.id}`;
    expect(kept!.endsAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await h.call(away, 'DELETE', `/v1/me/absences/${absence.id}`)).status).toBe(404);
  });
});
