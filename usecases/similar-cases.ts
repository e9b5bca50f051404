/**
 * Before a case is opened: the cases of the caller's own organisation that look like the same one —
 * the same reference once spaces, dashes and case are ignored, a reference that differs by a typo
 * (trigram similarity, pg_trgm), or a principal with the same name. Only cases the caller's
 * organisation takes part in, and only for organisations that open cases (coordinators and sponsor
 * groups, who see the household in full anyway); what comes back is each case's id and reference
 * and what matched, never the stored name.
 */
// zod with OpenAPI metadata: the API can document this very schema.
import { z } from '@hono/zod-openapi';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import { OPENING_KINDS } from './case-template.js';

export const SimilarCasesQuery = z.object({
  reference: z.string().trim().max(64).optional(),
  principalName: z.string().trim().max(200).optional(),
});
export type SimilarCasesQuery = z.infer<typeof SimilarCasesQuery>;

export interface SimilarCase {
  id: string;
  reference: string;
  /** What looks the same: the reference, the principal's name, or both. */
  matches: ('reference' | 'principalName')[];
}

/** At or above this trigram similarity two references count as similar (CS-2027-004 and CS-2027-005 stay apart). */
export const REFERENCE_SIMILARITY = 0.75;
const LIMIT = 10;

/** A reference without case, spaces or punctuation: `cs 2027/004` and `CS-2027-004` are the same. */
export const normalReference = (reference: string): string => reference.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
/** A name without case or repeated spaces. */
export const normalName = (name: string): string => name.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');

export async function similarCases(
  sql: Queryable,
  caller: Caller,
  q: SimilarCasesQuery,
  /** Leaves out the case a request with this key already opened (a double submit finds no duplicate of itself). */
  except?: { key: string },
): Promise<SimilarCase[]> {
  if (!OPENING_KINDS.includes(caller.organisationKind)) return [];
  const reference = q.reference ? normalReference(q.reference) : '';
  const lowered = q.reference?.toLowerCase() ?? '';
  const name = q.principalName ? normalName(q.principalName) : '';
  if (!reference && !name) return [];
  const rows = await sql<{ id: string; reference: string; sameReference: boolean; samePrincipal: boolean }[]>`
    SELECT * FROM (
      SELECT c.id, c.reference, c.created_at,
             ${reference !== ''} AND (regexp_replace(lower(c.reference), '[^[:alnum:]]+', '', 'g') = ${reference}
                                      OR similarity(lower(c.reference), ${lowered}) >= ${REFERENCE_SIMILARITY}) AS "sameReference",
             ${name !== ''} AND coalesce(regexp_replace(lower(btrim(h.principal_name)), '\\s+', ' ', 'g') = ${name}, false) AS "samePrincipal"
      FROM cases c LEFT JOIN case_households h ON h.case_id = c.id
      WHERE EXISTS (SELECT 1 FROM case_parties p WHERE p.case_id = c.id AND p.organisation_id = ${caller.organisationId})
        ${except ? sql`AND c.id NOT IN (SELECT resource_id FROM idempotent_requests WHERE person_id = ${caller.personId} AND key = ${except.key} AND resource_id IS NOT NULL)` : sql``}
    ) s
    WHERE "sameReference" OR "samePrincipal"
    ORDER BY created_at DESC
    LIMIT ${LIMIT}`;
  return rows.map((r) => ({ id: r.id, reference: r.reference, matches: [...(r.sameReference ? ['reference' as const] : []), ...(r.samePrincipal ? ['principalName' as const] : [])] }));
}
