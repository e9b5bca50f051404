/**
 * One programme as its coordinator and MoU signatories read it — `GET /v1/programmes/{id}` and the
 * programme page alike: its state (live, or the projection marked stale), the texts it refers to,
 * and the MoU change requests it keeps in words: which organisation asked, when, for which
 * version, and what it wrote. Every change request, not only the newest the state keeps, is in the
 * programme's timeline (timeline.ts).
 */
import type { ProgrammeView } from '../domain/programme-model.js';
import { programmeWorkflowId } from '../workflows/contract.js';
import type { Caller } from './caller.js';
import type { Deps } from './deps.js';
import { programmeStateTexts, readProgrammeState } from './read-programme.js';
import { visibleProgramme } from './scope.js';

export interface MouChangeRequest {
  organisation: { id: string; name: string };
  version: number;
  comment: string | null;
  at: string;
}

export interface ProgrammeDetail {
  id: string;
  name: string;
  workflowId: string;
  state: ProgrammeView | null;
  source: 'workflow' | 'projection';
  stale: boolean;
  texts: Map<string, string>;
  /** The newest change requests of the MoU, oldest first. */
  changeRequests: MouChangeRequest[];
  coordinatorOrg: string;
}

export async function readProgramme({ sql, temporal }: Deps, caller: Caller, id: string): Promise<ProgrammeDetail> {
  const { name, coordinator } = await visibleProgramme(sql, caller, id);
  const read = await readProgrammeState(temporal, sql, id);
  const texts = await programmeStateTexts(sql, read.state);
  const requests = read.state?.mou.changeRequests ?? [];
  const orgIds = [...new Set(requests.map((r) => r.organisationId))];
  const names = new Map(
    orgIds.length ? (await sql<{ id: string; name: string }[]>`SELECT id, name FROM organisations WHERE id = ANY(${orgIds}::uuid[])`).map((o) => [o.id, o.name]) : [],
  );
  const changeRequests = requests.map((r) => ({
    organisation: { id: r.organisationId, name: names.get(r.organisationId) ?? r.organisationId },
    version: r.version,
    comment: texts.get(r.commentRef) ?? null,
    at: r.at,
  }));
  return { id, name, workflowId: programmeWorkflowId(id), ...read, texts, changeRequests, coordinatorOrg: coordinator };
}
