/**
 * A versioned document a set of organisations must all sign: a case's agreement or a programme's
 * MoU. A new version voids earlier signatures; executed when every signatory signed the current
 * version. Pure functions: used inside the case and programme workflows alike. The state stays
 * bounded: signatures of earlier versions are dropped and only the newest change requests kept.
 */
import type { Refusal } from './refusal.js';
import { keepLast, type TextRef } from './text-ref.js';

export interface AgreementDocument {
  title: string;
  /** Where the text lives (the text itself stays out of workflow history). */
  url?: string;
  /** sha256 of the text, so every party can see they sign the same words. */
  contentHash: string;
}

export interface Signature {
  organisationId: string;
  personId: string;
  version: number;
  at: number;
}

export interface ChangeRequest {
  organisationId: string;
  personId: string;
  version: number;
  commentRef: TextRef;
  at: number;
}

/** How many change requests the state keeps; every one is in the timeline and in PostgreSQL. */
export const KEPT_CHANGE_REQUESTS = 5;

export interface AgreementState {
  /** 0 until the first version is published. */
  version: number;
  document?: AgreementDocument;
  signatories: string[];
  /** Signatures on the current version only. */
  signatures: Signature[];
  changeRequestCount: number;
  /** The newest few change requests, oldest first. */
  changeRequests: ChangeRequest[];
  executedAt?: number;
}

export function newAgreement(signatories: string[]): AgreementState {
  return { version: 0, signatories: [...new Set(signatories)], signatures: [], changeRequestCount: 0, changeRequests: [] };
}

/** Organisations whose signature on the current version is still missing. */
export function unsigned(a: AgreementState): string[] {
  const signed = new Set(a.signatures.filter((s) => s.version === a.version).map((s) => s.organisationId));
  return a.signatories.filter((o) => !signed.has(o));
}

export function refuseSign(a: AgreementState, organisationId: string, version: number): Refusal | undefined {
  if (a.executedAt !== undefined) return { code: 'agreement-executed' };
  if (a.version === 0) return { code: 'agreement-unpublished' };
  if (!a.signatories.includes(organisationId)) return { code: 'not-a-signatory' };
  if (version !== a.version) return { code: 'agreement-version-stale', version, currentVersion: a.version };
  if (!unsigned(a).includes(organisationId)) return { code: 'agreement-already-signed', version: a.version };
  return undefined;
}

export function refuseRequestChanges(a: AgreementState, organisationId: string): Refusal | undefined {
  if (a.executedAt !== undefined) return { code: 'agreement-executed' };
  if (a.version === 0) return { code: 'agreement-unpublished' };
  if (!a.signatories.includes(organisationId)) return { code: 'not-a-signatory' };
  return undefined;
}

export function refusePublish(a: AgreementState): Refusal | undefined {
  if (a.executedAt !== undefined) return { code: 'agreement-executed-no-new-version' };
  return undefined;
}

export function sign(a: AgreementState, organisationId: string, personId: string, now: number): void {
  a.signatures.push({ organisationId, personId, version: a.version, at: now });
  if (unsigned(a).length === 0) a.executedAt = now;
}

export function requestChanges(a: AgreementState, organisationId: string, personId: string, commentRef: TextRef, now: number): void {
  a.changeRequestCount += 1;
  a.changeRequests.push({ organisationId, personId, version: a.version, commentRef, at: now });
  keepLast(a.changeRequests, KEPT_CHANGE_REQUESTS);
}

/** Publishes version n+1; signatures on earlier versions no longer count and are dropped. */
export function publish(a: AgreementState, document: AgreementDocument): void {
  a.version += 1;
  a.document = document;
  a.signatures = [];
}
