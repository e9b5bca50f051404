// A match offer's clock on the time-skipping server, with the real case workflow and activities:
// the candidate is reminded before its answer date, a proposal that lapses goes to the next
// candidate, and the last lapse gives the step back to the coordinator, escalated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInTemplates } from '../../domain/templates/index.js';
import type { Sql } from '../../infra/db.js';
import { act, startCase, view, waitForCase } from '../support/cases.js';
import { createOrganisation, createParties } from '../support/fixtures.js';
import { recordHistory } from '../support/histories.js';
import { waitForMail } from '../support/mail.js';
import { testDb } from '../support/stack.js';
import { DAY_MS, startTimeSkipping, type TimeSkipping } from '../support/time-skipping.js';

const template = builtInTemplates['matched-sponsorship']!;

describe('a match offer lapsing on the time-skipping server', () => {
  let sql: Sql;
  let ts: TimeSkipping;

  beforeAll(async () => {
    sql = testDb();
    ts = await startTimeSkipping(sql, 'match');
  });
  afterAll(async () => {
    await ts?.stop();
    await sql?.end();
  });

  const sent = async (caseId: string, personId: string, template: string, detail?: string) =>
    (await sql<{ n: number }[]>`
      SELECT count(*)::int AS n FROM notifications
      WHERE case_id = ${caseId} AND person_id = ${personId} AND template = ${template} AND (${detail ?? null}::text IS NULL OR payload->>'detail' = ${detail ?? null})`)[0]!.n;

  it('reminds the candidate, passes a lapsed proposal on, and gives an empty shortlist back to the coordinator', async () => {
    const { members, parties } = await createParties(sql, template);
    delete parties.sponsor;
    const coordinator = members.coordinator!;
    const a = await createOrganisation(sql, 'sponsor_group', 'en', 'lapse-a');
    const b = await createOrganisation(sql, 'sponsor_group', 'nl', 'lapse-b');
    const { caseId, reference, handle } = await startCase(ts.env.client, sql, { taskQueue: ts.taskQueue, template, parties });

    await waitForCase(handle, (v) => v.stage?.id === 'eligibility');
    await act(handle, 'decide', { gateId: 'eligibility', actor: coordinator.actor, outcome: 'approve' });
    const matching = await waitForCase(handle, (v) => v.stage?.id === 'matching');
    expect(matching.gates[0]!.turn).toMatchObject({ todo: 'propose-match', organisations: [coordinator.organisationId] });

    const start = await ts.env.currentTimeMs();
    const proposed = await act(handle, 'propose_match', { gateId: 'sponsor-match', actor: coordinator.actor, candidates: [a.organisationId, b.organisationId] }, 'propose-1');
    // The same update id again applies nothing a second time.
    expect(await act(handle, 'propose_match', { gateId: 'sponsor-match', actor: coordinator.actor, candidates: [a.organisationId, b.organisationId] }, 'propose-1')).toMatchObject({ version: proposed.version });
    expect(proposed.proposedTo).toEqual({ sponsor: a.organisationId });
    const [first] = proposed.gates[0]!.detail.proposals as { proposedAt: string; answerBy: string }[];
    expect(Date.parse(first!.proposedAt)).toBeGreaterThanOrEqual(start);
    expect(Date.parse(first!.answerBy) - Date.parse(first!.proposedAt)).toBe(14 * DAY_MS);
    expect(proposed.gates[0]!.turn).toMatchObject({ todo: 'answer-match', organisations: [a.organisationId], dueAt: first!.answerBy });
    await waitForMail((m) => m.to.includes(a.email) && m.subject === `Proposed to you: case ${reference}`);

    // Three days before its answer date, A is reminded (and nobody else about the proposal).
    await ts.env.sleep('10 days');
    expect(await sent(caseId, a.personId, 'reminder', 'match-answer')).toBe(0);
    await ts.env.sleep('1 day');
    await waitForMail((m) => m.to.includes(a.email) && m.subject.startsWith('Reminder:') && m.text.includes('Please accept or decline the case proposed to you.'));
    expect(await sent(caseId, a.personId, 'reminder', 'match-answer')).toBe(1);

    // A does not answer within 14 days: its proposal lapses and B is asked, with 14 days of its own.
    await ts.env.sleep('3 days');
    const toB = await waitForCase(handle, (v) => v.proposedTo.sponsor === b.organisationId);
    const proposals = toB.gates[0]!.detail.proposals as { organisationId: string; status: string }[];
    expect(proposals.map((p) => [p.organisationId, p.status])).toEqual([
      [a.organisationId, 'lapsed'],
      [b.organisationId, 'open'],
    ]);
    await waitForMail((m) => m.to.includes(b.email) && m.subject === `Aan u voorgesteld: casus ${reference}`);
    // The projection lets B read the case now, and A no longer.
    await expect.poll(async () => (await sql<{ organisation_id: string }[]>`SELECT organisation_id FROM case_parties WHERE case_id = ${caseId} AND slot = 'proposed:sponsor'`).map((r) => r.organisation_id)).toEqual([b.organisationId]);

    // B lets it lapse too: the shortlist is empty, the coordinator's turn again, escalated to it.
    await ts.env.sleep('14 days');
    const back = await waitForCase(handle, (v) => v.gates[0]?.turn?.todo === 'propose-match');
    expect(back.gates[0]!.turn).toMatchObject({ organisations: [coordinator.organisationId], declines: 2 });
    expect(back.proposedTo).toEqual({});
    expect(back.stage!.id).toBe('matching');
    expect(back.parties.sponsor).toBeUndefined();
    await waitForMail((m) => m.to.includes(coordinator.email) && m.subject.startsWith('Stuck:') && m.text.includes('Nobody on the shortlist took the case'));
    expect(await sent(caseId, coordinator.personId, 'escalation', 'match-shortlist-empty')).toBe(1);
    await expect.poll(async () => (await sql`SELECT count(*)::int AS n FROM case_parties WHERE case_id = ${caseId} AND slot LIKE 'proposed:%'`)[0]!.n).toBe(0);
    await expect.poll(async () => (await sql<{ todo: string }[]>`SELECT todo FROM open_gates WHERE case_id = ${caseId}`).map((r) => r.todo)).toEqual(['propose-match']);
    const kinds = (await sql<{ kind: string }[]>`SELECT kind FROM case_events WHERE case_id = ${caseId} ORDER BY id`).map((e) => e.kind);
    expect(kinds.filter((k) => k.startsWith('match_'))).toEqual(['match_shortlisted', 'match_proposed', 'match_reminder', 'match_lapsed', 'match_proposed', 'match_reminder', 'match_lapsed', 'match_shortlist_empty']);
    expect((await view(handle)).status).toBe('active');

    await recordHistory(handle, 'case-match-lapsed');
  });
});
