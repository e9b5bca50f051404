/**
 * Reading an agreement's words: a case's agreement or a programme's MoU. The workflow knows a
 * version by title, url and content hash; its text stays in PostgreSQL (`agreement_documents`).
 * It is read by those who sign it and by the coordinator who runs it — the coordinator of the case
 * or programme and the organisations among its signatories. Other parties of a case see that there
 * is an agreement and who signed it (the state), not its text: 403. For a programme the two sets
 * are the same as those who may see it at all (scope.ts), so anyone else gets its 404.
 */
import type { CaseView, GateView } from '../domain/case-view.js';
import type { ProgrammeView } from '../domain/programme-model.js';
import type { AgreementDocument } from '../domain/agreement.js';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import type { Deps } from './deps.js';
import { ProblemError } from './problem.js';
import { readCaseState } from './read-case.js';
import { readProgrammeState } from './read-programme.js';
import { visibleCase, visibleProgramme } from './scope.js';

/** The current version of an agreement, with its words. */
export interface AgreementText {
  version: number;
  title: string;
  url: string | null;
  /** The text as published; null when only a url was given. */
  text: string | null;
  /** sha256 of the text (or of the url): what every signatory signs. */
  contentHash: string;
  executedAt: string | null;
}

interface AgreementDetail {
  version: number;
  document: AgreementDocument | null;
  signatories: string[];
  executedAt: string | null;
}

type Owner = { caseId: string } | { programmeId: string };

/** Content hash → the newest stored version with that hash, of this case or programme. */
async function storedVersions(sql: Queryable, owner: Owner, hashes: string[]): Promise<Map<string, { url: string | null; body: string | null }>> {
  if (hashes.length === 0) return new Map();
  const rows = await sql<{ contentHash: string; url: string | null; body: string | null }[]>`
    SELECT DISTINCT ON (content_hash) content_hash AS "contentHash", url, body FROM agreement_documents
    WHERE ${'caseId' in owner ? sql`case_id = ${owner.caseId}` : sql`programme_id = ${owner.programmeId}`} AND content_hash = ANY(${hashes}::text[])
    ORDER BY content_hash, created_at DESC`;
  return new Map(rows.map((r) => [r.contentHash, r]));
}

const textOf = (a: AgreementDetail, stored: { url: string | null; body: string | null } | undefined): AgreementText | undefined =>
  a.document && stored
    ? { version: a.version, title: a.document.title, url: stored.url ?? a.document.url ?? null, text: stored.body, contentHash: a.document.contentHash, executedAt: a.executedAt }
    : undefined;

const mayRead = (caller: Caller, coordinator: string | null, a: AgreementDetail) => coordinator === caller.organisationId || a.signatories.includes(caller.organisationId);

/** Gate id → its current agreement text, for each agreement step of the case the caller signs or coordinates. */
export async function readableCaseAgreements(sql: Queryable, caller: Caller, c: { id: string; coordinator: string | null }, state: CaseView | null): Promise<Map<string, AgreementText>> {
  const gates = (state?.gates ?? []).filter((g) => g.kind === 'agreement').map((g) => ({ id: g.id, a: g.detail as unknown as AgreementDetail }));
  const readable = gates.filter(({ a }) => a.document && mayRead(caller, c.coordinator, a));
  const stored = await storedVersions(sql, { caseId: c.id }, [...new Set(readable.map(({ a }) => a.document!.contentHash))]);
  const texts = new Map<string, AgreementText>();
  for (const { id, a } of readable) {
    const text = textOf(a, stored.get(a.document!.contentHash));
    if (text) texts.set(id, text);
  }
  return texts;
}

const notPublished = (what: string) => new ProblemError(404, 'Agreement not published', `No version of ${what} has been published yet.`);

/** `GET /v1/cases/{id}/gates/{gateId}/document`: the current version of one agreement step. */
export async function caseAgreementText({ sql, temporal }: Deps, caller: Caller, caseId: string, gateId: string): Promise<AgreementText & { gateId: string }> {
  const { coordinator } = await visibleCase(sql, caller, caseId);
  const { state } = await readCaseState(temporal, sql, caseId);
  const gate: GateView | undefined = state?.gates.find((g) => g.id === gateId && g.kind === 'agreement');
  if (!gate) throw new ProblemError(404, 'Agreement not found', `The case has no agreement step "${gateId}" (yet).`);
  if (!mayRead(caller, coordinator, gate.detail as unknown as AgreementDetail)) {
    throw new ProblemError(403, 'Not a signatory', 'Only the signatories of this agreement and the coordinator of the case read its text.');
  }
  const text = (await readableCaseAgreements(sql, caller, { id: caseId, coordinator }, state)).get(gateId);
  if (!text) throw notPublished('this agreement');
  return { gateId, ...text };
}

/** The current MoU version of a programme with its words, for a caller who may see the programme. */
export async function mouText(sql: Queryable, programmeId: string, state: ProgrammeView | null): Promise<AgreementText | undefined> {
  const mou = state?.mou;
  if (!mou?.document) return undefined;
  const stored = await storedVersions(sql, { programmeId }, [mou.document.contentHash]);
  return textOf({ version: mou.version, document: mou.document, signatories: mou.signatories, executedAt: mou.executedAt }, stored.get(mou.document.contentHash));
}

/** `GET /v1/programmes/{id}/agreement`: the current version of the programme's MoU. */
export async function programmeAgreementText({ sql, temporal }: Deps, caller: Caller, programmeId: string): Promise<AgreementText & { programmeId: string }> {
  await visibleProgramme(sql, caller, programmeId);
  const { state } = await readProgrammeState(temporal, sql, programmeId);
  const text = await mouText(sql, programmeId, state);
  if (!text) throw notPublished('the MoU');
  return { programmeId, ...text };
}
