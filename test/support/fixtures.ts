/** Rows the tests need, written straight to PostgreSQL. */
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../infra/db.js';

export interface SponsorGroup {
  organisationId: string;
  personId: string;
  email: string;
}

export async function createSponsorGroup(sql: Sql, language: 'en' | 'nl' = 'en'): Promise<SponsorGroup> {
  const tag = randomUUID().slice(0, 8);
  const [org] = await sql<{ id: string }[]>`INSERT INTO organisations (name, kind) VALUES (${`Sponsor group ${tag}`}, 'sponsor_group') RETURNING id`;
  const email = `sponsor-${tag}@example.test`;
  const [person] = await sql<{ id: string }[]>`
    INSERT INTO people (organisation_id, name, email, role, language)
    VALUES (${org!.id}, ${`Sponsor ${tag}`}, ${email}, 'sponsor', ${language}) RETURNING id`;
  return { organisationId: org!.id, personId: person!.id, email };
}

/** A case row as the API would write it, for tests that start workflows directly. */
export async function createCaseRow(sql: Sql, sponsor: SponsorGroup): Promise<{ caseId: string; reference: string }> {
  const caseId = randomUUID();
  const reference = `T-${caseId.slice(0, 6)}`;
  await sql`INSERT INTO cases (id, reference, sponsor_organisation_id) VALUES (${caseId}, ${reference}, ${sponsor.organisationId})`;
  await sql`INSERT INTO case_households (case_id, principal_name) VALUES (${caseId}, 'Test Principal')`;
  return { caseId, reference };
}
