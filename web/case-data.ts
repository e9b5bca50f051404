/**
 * Everything the case page shows, read as the signed-in person: the live state from the workflow
 * (the projection if the workflow is gone), names for ids, and the texts kept in PostgreSQL.
 */
import type { Client } from '@temporalio/client';
import type { CaseView } from '../domain/case-view.js';
import type { PathwayTemplate } from '../domain/pathway.js';
import { builtInTemplate } from '../domain/templates/index.js';
import type { Sql } from '../infra/db.js';
import type { Caller } from '../usecases/caller.js';
import { readCaseState } from '../usecases/read-case.js';
import { visibleCase } from '../usecases/scope.js';
import { caseStateTexts } from '../usecases/texts.js';
import type { TimelineEvent } from './timeline.js';

export interface CasePageData {
  id: string;
  reference: string;
  state: CaseView | null;
  /** The state is the last projection: the workflow did not answer in time. */
  stale: boolean;
  /** Why the case's workflow stopped without the case ending (the board's reason code), if it did. */
  stopped: string | null;
  /** Reasons and comments the state refers to, by id (every party of the case may read them). */
  texts: Map<string, string>;
  coordinatorOrg: string | null;
  /** Organisation id → name, for every organisation the page mentions. */
  orgNames: Map<string, string>;
  /** Person id → their organisation's name (timeline actors). */
  actorOrgs: Map<string, string>;
  /** Gate id → title, and stage id → title. */
  gateTitles: Map<string, string>;
  stageTitles: Map<string, string>;
  /** Offer id → address, only for the offering municipality, the household's sponsor and the coordinator. */
  addresses: Map<string, string>;
  /** The text of the agreement version being signed, by its content hash; for its signatories and the coordinator. */
  documents: Map<string, { title: string; body: string | null; url: string | null }>;
  events: TimelineEvent[];
  /** For reassigning: other organisations by kind. */
  orgsByKind: Map<string, { id: string; name: string }[]>;
}

export async function loadCase(sql: Sql, temporal: Client, caller: Caller, id: string): Promise<CasePageData> {
  const { reference } = await visibleCase(sql, caller, id);
  const [row] = await sql<{ coordinator: string | null; pathwayId: string | null; template: PathwayTemplate | null; stopped: { reason: string } | null }[]>`
    SELECT c.coordinator_organisation_id AS coordinator, c.pathway_id AS "pathwayId", p.template, c.stopped
    FROM cases c LEFT JOIN programmes p ON p.id = c.programme_id WHERE c.id = ${id}`;
  const { state, stale } = await readCaseState(temporal, sql, id);
  const template = row?.template ?? (row?.pathwayId ? builtInTemplate(row.pathwayId) : undefined);
  const stages = template?.stages ?? [];
  const stageTitles = new Map(stages.map((stage) => [stage.id, stage.title]));
  const gateTitles = new Map(stages.flatMap((stage) => stage.gates.map((g) => [g.id, g.title] as const)));
  const events = await sql<TimelineEvent[]>`
    SELECT e.kind, e.actor, COALESCE(t.body, e.reason) AS reason, e.data, e.at
    FROM case_events e LEFT JOIN texts t ON t.id = (CASE WHEN e.data->>'textRef' ~ '^[0-9a-fA-F-]{36}$' THEN (e.data->>'textRef')::uuid END)
    WHERE e.case_id = ${id} ORDER BY e.id DESC LIMIT 500`;
  const texts = await caseStateTexts(sql, state);
  const actors = await sql<{ id: string; org: string }[]>`
    SELECT p.id, o.name AS org FROM people p JOIN organisations o ON o.id = p.organisation_id
    WHERE p.id = ANY(${[...new Set(events.map((e) => e.actor).filter((a) => a !== 'system'))]}::uuid[])`;
  const orgs = await sql<{ id: string; name: string; kind: string }[]>`SELECT id, name, kind FROM organisations ORDER BY name`;
  const orgsByKind = new Map<string, { id: string; name: string }[]>();
  for (const o of orgs) orgsByKind.set(o.kind, [...(orgsByKind.get(o.kind) ?? []), { id: o.id, name: o.name }]);
  // Texts in PostgreSQL go only to those who need them: the address to whoever offers, answers or
  // coordinates the housing; the agreement to whoever signs or coordinates it.
  const org = caller.organisationId;
  const coordinating = row?.coordinator === org;
  const respondents = new Set(state?.gates.filter((g) => g.kind === 'housing').map((g) => g.detail.respondent as string));
  const signing = state?.gates.some((g) => g.kind === 'agreement' && (g.detail.signatories as string[]).includes(org)) ?? false;
  const addresses = await sql<{ id: string; address: string; organisationId: string }[]>`
    SELECT id, address, organisation_id AS "organisationId" FROM housing_offers WHERE case_id = ${id}`;
  const documents = coordinating || signing
    ? await sql<{ contentHash: string; title: string; body: string | null; url: string | null }[]>`
        SELECT content_hash AS "contentHash", title, body, url FROM agreement_documents WHERE case_id = ${id} ORDER BY created_at`
    : [];
  return {
    id,
    reference,
    state,
    stale,
    stopped: row?.stopped?.reason ?? null,
    texts,
    coordinatorOrg: row?.coordinator ?? null,
    orgNames: new Map(orgs.map((o) => [o.id, o.name])),
    actorOrgs: new Map(actors.map((a) => [a.id, a.org])),
    gateTitles,
    stageTitles,
    addresses: new Map(addresses.filter((a) => coordinating || a.organisationId === org || respondents.has(org)).map((a) => [a.id, a.address])),
    documents: new Map(documents.map((d) => [d.contentHash, d])),
    events,
    orgsByKind,
  };
}
