/**
 * One case as the caller may read it — `GET /v1/cases/{id}` and the case page alike: its state
 * (live, or the projection marked stale), the texts it refers to, and the addresses of the housing
 * offers this caller may read (housing-addresses.ts) set on those offers.
 */
import type { CaseView } from '../domain/case-view.js';
import { caseWorkflowId } from '../workflows/contract.js';
import type { Caller } from './caller.js';
import type { Deps } from './deps.js';
import { readableAddresses, withAddresses } from './housing-addresses.js';
import { readCaseState } from './read-case.js';
import { visibleCase } from './scope.js';
import { caseStateTexts } from './texts.js';
import { erasureOf, type ErasureRecord } from './erasure.js';
import { caseDepartureBatch, type CaseDepartureBatch } from './departure-batches.js';
import { asCandidateSees, candidateOnly } from './match.js';

export interface CaseDetail {
  id: string;
  reference: string;
  workflowId: string;
  /** With `address` on each housing offer the caller may read. */
  state: CaseView | null;
  source: 'workflow' | 'projection';
  stale: boolean;
  /** Reasons and comments the state refers to, by id (every party of the case may read them). */
  texts: Map<string, string>;
  /** Offer id → address, the same addresses as on the state's offers. */
  addresses: Map<string, string>;
  coordinatorOrg: string | null;
  /** When and why the case's personal data was erased (usecases/erasure.ts); null while it is held. */
  erasure: ErasureRecord | null;
  /** The departure batch the case is in, or travelled with (usecases/departure-batches.ts); none of its other cases. */
  departureBatch: CaseDepartureBatch | null;
}

export async function readCase({ sql, temporal }: Deps, caller: Caller, id: string): Promise<CaseDetail> {
  const { reference, coordinator } = await visibleCase(sql, caller, id);
  const read = await readCaseState(temporal, sql, id);
  // A match's candidate, no party yet, reads its own proposal only (usecases/match.ts).
  const state = (await candidateOnly(sql, id, caller.organisationId)) ? asCandidateSees(read.state, caller.organisationId) : read.state;
  const addresses = await readableAddresses(sql, caller, { id, coordinator }, state);
  const texts = await caseStateTexts(sql, state);
  const erasure = await erasureOf(sql, id);
  // The case's parties see its batch; a match's candidate (reading a proposal) does not.
  const departureBatch = state === read.state ? await caseDepartureBatch(sql, id) : null;
  return { id, reference, workflowId: caseWorkflowId(id), ...read, state: withAddresses(state, addresses), texts, addresses, coordinatorOrg: coordinator, erasure, departureBatch };
}
