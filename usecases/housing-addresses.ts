/**
 * Who may read a housing offer's address. The address is personal data of the household-to-be
 * and stays in PostgreSQL (`housing_offers`); the workflow knows the offer by id only. It goes to
 * those who need it to act: the organisation that offered it, the organisation that must answer
 * the offer (the housing step's respondent: the sponsor or host group), and the case's
 * coordinator. Other parties of the case see that there is an offer, never where.
 */
import type { CaseView } from '../domain/case-view.js';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';

interface Offer {
  offerId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The offers of every housing step whose respondent is `organisationId`. */
function offersAnsweredBy(state: CaseView | null, organisationId: string): string[] {
  return (state?.gates ?? [])
    .filter((g) => g.kind === 'housing' && g.detail.respondent === organisationId)
    .flatMap((g) => ((g.detail.offers as Offer[] | undefined) ?? []).map((o) => o.offerId))
    .filter((id) => UUID.test(id));
}

/** Offer id → address, for the offers of this case whose address the caller may read. */
export async function readableAddresses(sql: Queryable, caller: Caller, c: { id: string; coordinator: string | null }, state: CaseView | null): Promise<Map<string, string>> {
  const org = caller.organisationId;
  const coordinating = c.coordinator === org;
  const answering = offersAnsweredBy(state, org);
  // The filter is in the query, so an address nobody here may read is never even fetched.
  const rows = await sql<{ id: string; address: string }[]>`
    SELECT id, address FROM housing_offers
    WHERE case_id = ${c.id} AND erased_at IS NULL ${coordinating ? sql`` : sql`AND (organisation_id = ${org} OR id = ANY(${answering}::uuid[]))`}`;
  return new Map(rows.map((r) => [r.id, r.address]));
}

/** The state with `address` on each housing offer the map holds (and on no other). */
export function withAddresses(state: CaseView | null, addresses: Map<string, string>): CaseView | null {
  if (!state || addresses.size === 0) return state;
  return {
    ...state,
    gates: state.gates.map((g) => {
      if (g.kind !== 'housing') return g;
      const offers = ((g.detail.offers as Offer[] | undefined) ?? []).map((o) => (addresses.has(o.offerId) ? { ...o, address: addresses.get(o.offerId)! } : o));
      return { ...g, detail: { ...g.detail, offers } };
    }),
  };
}
