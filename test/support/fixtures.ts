/** Rows and inputs the tests need: organisations and people for a pathway's parties, case rows. */
import { randomUUID } from 'node:crypto';
import type { ActorRef } from '../../domain/case-actions.js';
import type { OrganisationKind, Role } from '../../domain/organisation.js';
import type { PathwayTemplate, TimePolicy } from '../../domain/pathway.js';
import type { Sql } from '../../infra/db.js';

const ROLE_OF: Record<OrganisationKind, Role> = {
  coordinator: 'coordinator',
  sponsor_group: 'sponsor',
  municipality: 'municipal_officer',
  university: 'university_officer',
  national_agency: 'agency_officer',
};

/** Every organisation this test file made: its mail dispatcher delivers to these only. */
export const createdOrganisations = new Set<string>();

export interface Member {
  organisationId: string;
  personId: string;
  email: string;
  actor: ActorRef;
}

export async function createOrganisation(sql: Sql, kind: OrganisationKind, language: 'en' | 'nl' = 'en', label: string = kind): Promise<Member> {
  const tag = randomUUID().slice(0, 8);
  const [org] = await sql<{ id: string }[]>`INSERT INTO organisations (name, kind) VALUES (${`${label} ${tag}`}, ${kind}) RETURNING id`;
  createdOrganisations.add(org!.id);
  const email = `${label}-${tag}@example.test`;
  const role = ROLE_OF[kind];
  const [person] = await sql<{ id: string }[]>`
    INSERT INTO people (organisation_id, name, email, role, language)
    VALUES (${org!.id}, ${`Person ${tag}`}, ${email}, ${role}, ${language}) RETURNING id`;
  return { organisationId: org!.id, personId: person!.id, email, actor: { personId: person!.id, organisationId: org!.id, role } };
}

/** One organisation (with one person) for each party slot of the template. */
export async function createParties(sql: Sql, template: PathwayTemplate, language: 'en' | 'nl' = 'en') {
  const members: Record<string, Member> = {};
  for (const slot of template.parties) members[slot.id] = await createOrganisation(sql, slot.kind, language, slot.id);
  const parties = Object.fromEntries(Object.entries(members).map(([slot, m]) => [slot, m.organisationId]));
  return { members, parties };
}

/** Gives the group at each of the template's group-check steps a member who has completed every check they name. */
export async function giveEveryCheck(sql: Sql, template: PathwayTemplate, parties: Record<string, string>): Promise<void> {
  for (const gate of template.stages.flatMap((s) => s.gates)) {
    if (gate.kind !== 'group-check') continue;
    const organisationId = parties[gate.group]!;
    const memberId = randomUUID();
    await sql`INSERT INTO group_members (id, organisation_id, name) VALUES (${memberId}, ${organisationId}, 'Test Member')`;
    for (const check of new Set([...gate.everyMember, ...gate.someMember])) {
      await sql`INSERT INTO member_checks (member_id, check_kind, completed_on) VALUES (${memberId}, ${check}, current_date) ON CONFLICT DO NOTHING`;
    }
    await sql`UPDATE organisations SET roster_version = roster_version + 1 WHERE id = ${organisationId}`;
  }
}

/** A case row as the API writes it, for tests that start workflows directly. */
export async function createCaseRow(sql: Sql, template: PathwayTemplate, parties: Record<string, string>, programmeId?: string, reference?: string) {
  const caseId = randomUUID();
  reference ??= `T-${caseId.slice(0, 6)}`;
  const sponsorSlot = template.parties.find((p) => p.kind === 'sponsor_group')?.id;
  const coordinatorSlot = template.parties.find((p) => p.kind === 'coordinator')!.id;
  await sql`
    INSERT INTO cases (id, reference, sponsor_organisation_id, coordinator_organisation_id, programme_id, pathway_id)
    VALUES (${caseId}, ${reference}, ${(sponsorSlot && parties[sponsorSlot]) ?? null}, ${parties[coordinatorSlot]!}, ${programmeId ?? null}, ${template.id})`;
  await sql`INSERT INTO case_parties ${sql(Object.entries(parties).map(([slot, organisation_id]) => ({ case_id: caseId, slot, organisation_id })))}`;
  await sql`INSERT INTO case_households (case_id, principal_name) VALUES (${caseId}, 'Test Principal')`;
  return { caseId, reference: reference! };
}

export async function createProgrammeRow(sql: Sql, template: PathwayTemplate, coordinatorOrg: string, quota: number) {
  const programmeId = randomUUID();
  await sql`
    INSERT INTO programmes (id, name, pathway_id, template, coordinator_organisation_id, quota)
    VALUES (${programmeId}, ${`Programme ${programmeId.slice(0, 6)}`}, ${template.id}, ${sql.json(template as never)}, ${coordinatorOrg}, ${quota})`;
  return programmeId;
}

/** The same pathway on a clock of seconds, so a real server runs it end to end in a test. */
export function withTimePolicy(template: PathwayTemplate, time: TimePolicy, reportEvery = '4 seconds'): PathwayTemplate {
  const step = Number(reportEvery.split(' ')[0]);
  return {
    ...template,
    stages: template.stages.map((stage) => ({
      ...stage,
      gates: stage.gates.map((g) =>
        g.kind === 'checkins'
          ? { ...g, time, reportsAt: g.reportsAt.map((_, i) => `${step * (i + 1)} seconds`), supportPeriod: `${step * g.reportsAt.length} seconds` }
          : g.kind === 'housing'
            ? { ...g, time, offerReminderBefore: '2 seconds' }
            : { ...g, time },
      ),
    })),
  };
}
