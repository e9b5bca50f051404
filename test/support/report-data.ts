/**
 * A known history for the programme reports: one coordinator's programmes with cases whose
 * timelines hold the events the projection writes (same kinds, same data) at chosen moments, so a
 * report's medians, percentiles and counts can be asserted exactly. Durations and arrivals are in
 * `durations`, the overdue week ends in `trend`, and cases written by the real projection activity
 * (open steps, whose turn it is now) in `now`.
 *
 * Everything happens in the first half of last year (UTC), so the dates are in the past and
 * within two years of today, whenever the tests run; what is to be left out happened earlier.
 */
import { randomUUID } from 'node:crypto';
import { PathwayTemplate } from '../../domain/pathway.js';
import type { Sql } from '../../infra/db.js';
import { createCaseRow, createParties, createProgrammeRow, type Member } from './fixtures.js';
import { projector } from './projected-cases.js';

const time = (dueIn: string) => ({ dueIn, remindAt: [], escalateEvery: '30 days' });

/** Intake (two decisions, due in 5 and 10 days) → arrival → check-ins. */
export const reportTemplate = PathwayTemplate.parse({
  id: 'report-pathway',
  name: 'Report pathway',
  version: 1,
  parties: [
    { id: 'coordinator', kind: 'coordinator', title: 'Coordinator' },
    { id: 'sponsor', kind: 'sponsor_group', title: 'Sponsor group' },
    { id: 'municipality', kind: 'municipality', title: 'Municipality' },
  ],
  stages: [
    {
      id: 'intake',
      title: 'Intake',
      gates: [
        { id: 'eligibility', kind: 'decision', title: 'Eligibility', actor: 'coordinator', time: time('5 days') },
        { id: 'consent', kind: 'decision', title: 'Municipal consent', actor: 'municipality', time: time('10 days') },
      ],
    },
    { id: 'arrival', title: 'Arrival', arrival: true, gates: [{ id: 'arrived', kind: 'task', title: 'Arrival confirmed', actor: 'sponsor', time: time('14 days') }] },
    { id: 'follow-up', title: 'Follow-up', gates: [{ id: 'followup', kind: 'checkins', title: 'Check-ins', actor: 'sponsor', reportsAt: ['30 days', '60 days'], supportPeriod: '90 days', time: time('14 days') }] },
  ],
});

export const YEAR = new Date().getUTCFullYear() - 1;
/** `MM-DD` of last year (or `-N:MM-DD`, N years before it) at noon UTC, plus `days`. */
export function at(day: string, days = 0): Date {
  const [year, md] = day.startsWith('-') ? [YEAR - Number(day.slice(1, day.indexOf(':'))), day.slice(day.indexOf(':') + 1)] : [YEAR, day];
  return new Date(Date.parse(`${year}-${md}T12:00:00Z`) + days * 86_400_000);
}
/** The period the API is asked about: the first half of last year. */
export const PERIOD = { from: `${YEAR}-01-01`, to: `${YEAR}-06-30` };

type Event = [kind: string, when: Date, data?: Record<string, unknown>];

export interface ReportData {
  members: Record<string, Member>;
  /** Steps and stages closed, arrivals and check-ins. */
  durations: string;
  /** Steps overdue across the 12 weeks before 1 July. */
  trend: string;
  /** Cases projected now, for whose turn it is. */
  now: string;
}

export async function buildReportData(sql: Sql, language: 'en' | 'nl' = 'en'): Promise<ReportData> {
  const { members, parties } = await createParties(sql, reportTemplate, language);
  const coordinator = parties.coordinator!;
  const [durations, trend, now] = [await createProgrammeRow(sql, reportTemplate, coordinator, 10), await createProgrammeRow(sql, reportTemplate, coordinator, 5), await createProgrammeRow(sql, reportTemplate, coordinator, 3)];

  async function history(programmeId: string, events: Event[]): Promise<void> {
    const { caseId } = await createCaseRow(sql, reportTemplate, parties, programmeId);
    // Inserted in order of time, as the projection writes a case's events (ids follow them).
    for (const [kind, when, data] of [...events].sort((a, b) => a[1].getTime() - b[1].getTime())) {
      await sql`INSERT INTO case_events (case_id, event_key, kind, actor, data, at) VALUES (${caseId}, ${randomUUID()}, ${kind}, 'system', ${sql.json((data ?? {}) as never)}, ${when})`;
    }
  }
  const opened = (gateId: string, when: Date, dueIn: number): Event => ['gate_opened', when, { gateId, dueAt: new Date(when.getTime() + dueIn * 86_400_000).toISOString() }];

  // Eligibility took 2, 4, 6, 8 and 10 days (median 6, p90 9.2); consent 1, 3, 5 and 7 (median 4,
  // p90 6.4); intake as long as its longer step. The first three arrived (two in March, one in May).
  const start = at('02-01');
  for (const [n, eligibility, consent] of [[1, 2, 1], [2, 4, 3], [3, 6, 5], [4, 8, 7], [5, 10, undefined]] as const) {
    const events: Event[] = [
      ['stage_entered', start, { stage: 'intake' }], opened('eligibility', start, 5),
      ['gate_approved', at('02-01', eligibility), { gateId: 'eligibility' }],
      ['stage_completed', at('02-01', Math.max(eligibility, consent ?? 0)), { stage: 'intake' }],
    ];
    if (consent !== undefined) events.push(opened('consent', start, 10), ['gate_approved', at('02-01', consent), { gateId: 'consent' }]);
    const arrival = { 1: '03-10', 2: '03-20', 3: '05-05' }[n as 1 | 2 | 3];
    if (arrival) events.push(['stage_entered', at(arrival, -3), { stage: 'arrival' }], ['stage_completed', at(arrival), { stage: 'arrival' }]);
    if (n === 1) events.push(['checkin_due', at('04-01'), { gateId: 'followup', report: 1 }], ['checkin_submitted', at('04-03'), { gateId: 'followup', report: 1 }]);
    if (n === 1) events.push(['checkin_due', at('05-01'), { gateId: 'followup', report: 2 }], ['checkin_missed', at('05-20'), { gateId: 'followup', report: 2, escalation: 1 }], ['checkin_submitted', at('05-25'), { gateId: 'followup', report: 2 }]);
    if (n === 2) events.push(['checkin_due', at('04-01'), { gateId: 'followup', report: 1 }], ['checkin_missed', at('04-20'), { gateId: 'followup', report: 1, escalation: 1 }], ['checkin_missed', at('05-20'), { gateId: 'followup', report: 1, escalation: 2 }]);
    // A report sent before it was announced as due; another not yet at its deadline.
    if (n === 3) events.push(['checkin_submitted', at('06-01'), { gateId: 'followup', report: 1 }], ['checkin_due', at('06-25'), { gateId: 'followup', report: 2 }]);
    await history(durations, events);
  }
  // Before the period (and before the page's longest, two years back): a step closed, an arrival
  // (counted as before the period) and a report.
  await history(durations, [
    opened('eligibility', at('-2:11-01'), 5), ['gate_approved', at('-2:11-05'), { gateId: 'eligibility' }],
    ['stage_completed', at('-2:11-15'), { stage: 'arrival' }],
    ['checkin_due', at('-2:12-01'), { gateId: 'followup', report: 1 }], ['checkin_submitted', at('-2:12-02'), { gateId: 'followup', report: 1 }],
  ]);

  // Overdue at the week ends (00:00 UTC, 1 July and every 7 days before it, back to 15 April):
  // A from 22 April until closed on 15 May; B from 6 May until its next stage began on 21 May;
  // C due 10 May, moved on 12 May to 1 June, then on hold 5–12 June: 3, 17 and 24 June and 1 July;
  // a check-in step long past its date never counts.
  await history(trend, [opened('eligibility', at('04-01'), 19), ['gate_approved', at('05-15'), { gateId: 'eligibility' }]]);
  await history(trend, [opened('eligibility', at('05-01'), 4), ['stage_entered', at('05-21'), { stage: 'arrival' }]]);
  await history(trend, [
    opened('consent', at('05-01'), 9), ['deadline_extended', at('05-12'), { gateId: 'consent', from: at('05-10').toISOString(), to: at('06-01').toISOString() }],
    ['case_held', at('06-05')], ['case_resumed', at('06-12'), { heldDays: 7 }],
  ]);
  await history(trend, [opened('followup', at('04-01'), 9)]);

  // Now: opened 7 days ago (eligibility overdue, consent not), 12 days ago (both overdue), and 12
  // days ago but on hold (neither counts).
  const project = projector(sql);
  for (const [daysAgo, held] of [[7, false], [12, false], [12, true]] as const) await project({ template: reportTemplate, parties, programmeId: now, daysAgo, held });
  return { members, durations, trend, now };
}

/** The week ends of the trend, oldest first, and how many steps were overdue at each. */
export const EXPECTED_TREND: [string, number][] = [
  ['04-15', 0], ['04-22', 1], ['04-29', 1], ['05-06', 2], ['05-13', 2], ['05-20', 1],
  ['05-27', 0], ['06-03', 1], ['06-10', 0], ['06-17', 1], ['06-24', 1], ['07-01', 1],
];
