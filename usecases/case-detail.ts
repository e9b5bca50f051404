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
}

export async function readCase({ sql, temporal }: Deps, caller: Caller, id: string): Promise<CaseDetail> {
  const { reference, coordinator } = await visibleCase(sql, caller, id);
  const read = await readCaseState(temporal, sql, id);
  const addresses = await readableAddresses(sql, caller, { id, coordinator }, read.state);
  const texts = await caseStateTexts(sql, read.state);
  return { id, reference, workflowId: caseWorkflowId(id), ...read, state: withAddresses(read.state, addresses), texts, addresses, coordinatorOrg: coordinator };
}
