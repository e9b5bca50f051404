/**
 * Everything the case page shows, read as the signed-in person: the live state from the workflow
 * (the projection if the workflow is gone), names for ids, and the texts kept in PostgreSQL — read
 * by the same use cases as the API's, so a page never shows what the API would not.
 */
import type { Client } from '@temporalio/client';
import type { CaseView } from '../domain/case-view.js';
import type { PathwayTemplate } from '../domain/pathway.js';
import { builtInTemplate } from '../domain/templates/index.js';
import type { Sql } from '../infra/db.js';
import type { Caller } from '../usecases/caller.js';
import { readableCaseAgreements } from '../usecases/agreement-texts.js';
import { readCase } from '../usecases/case-detail.js';
import { isHouseholdNotFound, readHousehold, visibleReadLog, type HouseholdView, type ReadLogPage } from '../usecases/household.js';
import { visibleCaseTimeline, type TimelineActor } from '../usecases/timeline.js';
import type { TimelineEvent } from './timeline.js';
import type { ErasureRecord } from '../usecases/erasure.js';

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
  /** The pathway's party slots → the kind of organisation filling each (a match's shortlist offers that kind). */
  slotKinds: Map<string, string>;
  /** The household as the reader may see it (this read is recorded); null when none is recorded. */
  household: HouseholdView | null;
  /** Who read the household, newest first: for the case's coordinator only. */
  reads: ReadLogPage | null;
  /** When and why the case's personal data was erased (usecases/erasure.ts); null while it is held. */
  erasure: ErasureRecord | null;
}

/** "X for Y" on the timeline, when the reader sees both names (usecases/timeline.ts decides who does). */
function actedFor(by: TimelineActor | null): { actedFor?: { who: string; forWhom: string[] } } {
  const forWhom = (by?.onBehalfOf ?? []).flatMap((p) => (p.name ? [p.name] : []));
  return by?.person.name && forWhom.length ? { actedFor: { who: by.person.name, forWhom } } : {};
}

export async function loadCase(sql: Sql, temporal: Client, caller: Caller, id: string): Promise<CasePageData> {
  // What the API answers for this case and its timeline, by the same use cases: the same rules
  // decide who reads an address, an agreement's text or a person's name.
  const detail = await readCase({ sql, temporal }, caller, id);
  const { state } = detail;
  const [row] = await sql<{ pathwayId: string | null; template: PathwayTemplate | null; stopped: { reason: string } | null }[]>`
    SELECT c.pathway_id AS "pathwayId", p.template, c.stopped
    FROM cases c LEFT JOIN programmes p ON p.id = c.programme_id WHERE c.id = ${id}`;
  const template = row?.template ?? (row?.pathwayId ? builtInTemplate(row.pathwayId) : undefined);
  const stages = template?.stages ?? [];
  const stageTitles = new Map(stages.map((stage) => [stage.id, stage.title]));
  const gateTitles = new Map(stages.flatMap((stage) => stage.gates.map((g) => [g.id, g.title] as const)));
  const timeline = await visibleCaseTimeline(sql, caller, { id, coordinator: detail.coordinatorOrg }, { limit: 500, newestFirst: true });
  const agreements = await readableCaseAgreements(sql, caller, { id, coordinator: detail.coordinatorOrg }, state);
  // The household as this reader may see it; the read is recorded (usecases/household.ts).
  const household = await readHousehold({ sql }, caller, id, 'web').catch((error: unknown) => {
    if (isHouseholdNotFound(error)) return null;
    throw error;
  });
  const reads = detail.coordinatorOrg === caller.organisationId ? await visibleReadLog(sql, id, { limit: 20 }) : null;
  const orgs = await sql<{ id: string; name: string; kind: string }[]>`SELECT id, name, kind FROM organisations ORDER BY name`;
  const orgsByKind = new Map<string, { id: string; name: string }[]>();
  for (const o of orgs) orgsByKind.set(o.kind, [...(orgsByKind.get(o.kind) ?? []), { id: o.id, name: o.name }]);
  return {
    id,
    reference: detail.reference,
    state,
    stale: detail.stale,
    stopped: row?.stopped?.reason ?? null,
    texts: detail.texts,
    coordinatorOrg: detail.coordinatorOrg,
    orgNames: new Map(orgs.map((o) => [o.id, o.name])),
    actorOrgs: new Map(timeline.items.flatMap((e) => (e.by ? [[e.actor, e.by.organisation.name] as const] : []))),
    gateTitles,
    stageTitles,
    addresses: detail.addresses,
    documents: new Map([...agreements.values()].map((a) => [a.contentHash, { title: a.title, body: a.text, url: a.url }])),
    events: timeline.items.map((e) => ({ kind: e.kind, actor: e.actor, reason: e.reason, ...(e.reasonErasedAt ? { reasonErasedAt: new Date(e.reasonErasedAt) } : {}), data: e.data, at: new Date(e.at), ...actedFor(e.by) })),
    orgsByKind,
    slotKinds: new Map((template?.parties ?? []).map((p) => [p.id, p.kind])),
    household,
    reads,
    erasure: detail.erasure,
  };
}
