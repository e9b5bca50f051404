/** Which template a new case follows, and whether its parties fit that template. */
import { refuseParties } from '../domain/case-lifecycle.js';
import type { OrganisationKind } from '../domain/organisation.js';
import { matchedSlots, PathwayTemplate } from '../domain/pathway.js';
import { builtInTemplate, builtInTemplates } from '../domain/templates/index.js';
import type { Queryable } from '../infra/db.js';
import type { Caller } from './caller.js';
import { invalidInput } from './problem.js';

export async function resolveTemplate(
  sql: Queryable,
  caller: Caller,
  body: { programmeId?: string; pathwayId?: string; parties: Record<string, string> },
): Promise<PathwayTemplate> {
  if (body.programmeId) {
    // The programme's coordinator and MoU signatories see it; any organisation the body names in a
    // slot of its pathway from which a case may be opened (mayOpen) may open a case in it, signatory
    // or not. To anyone else the programme does not exist.
    const [programme] = await sql<{ template: unknown; coordinator: string; takesPart: boolean }[]>`
      SELECT template, coordinator_organisation_id AS coordinator,
             (coordinator_organisation_id = ${caller.organisationId} OR ${caller.organisationId}::uuid = ANY(mou_signatories)) AS "takesPart"
      FROM programmes WHERE id = ${body.programmeId}`;
    const parsed = programme && PathwayTemplate.safeParse(programme.template);
    // Its coordinator slot is the programme's coordinator's, whoever the body names there.
    const coordinatorSlot = parsed?.success ? parsed.data.parties.find((p) => p.kind === 'coordinator')!.id : '';
    const opener = !!programme && !!parsed?.success && mayOpen(parsed.data, { ...body.parties, [coordinatorSlot]: programme.coordinator }, caller.organisationId).length > 0;
    if (!programme || !parsed?.success || (!programme.takesPart && !opener)) {
      throw invalidInput('programmeId', 'no programme with this id in which your organisation takes part');
    }
    // A case keeps the template it started with: it is copied into the workflow's input.
    const template = parsed.data;
    const slot = coordinatorSlot;
    if (body.parties[slot] && body.parties[slot] !== programme.coordinator) {
      throw invalidInput(`parties.${slot}`, "a programme's cases are coordinated by the programme's coordinator");
    }
    body.parties[slot] = programme.coordinator;
    return template;
  }
  const template = body.pathwayId ? builtInTemplate(body.pathwayId) : undefined;
  if (!template) throw invalidInput('pathwayId', `give a programmeId, or one of the built-in pathways: ${Object.keys(builtInTemplates).join(', ')}`);
  return template;
}

/**
 * Who may open a case, as the template allows: the organisation in its coordinator slot, or one in
 * a sponsor group's slot (a sponsor group, host community or student sponsor group). Returns the
 * slots `organisationId` fills among those; none means it may not open this case. The same in a
 * programme, whether or not the organisation signed the programme's MoU.
 */
export const OPENING_KINDS: readonly OrganisationKind[] = ['coordinator', 'sponsor_group'];

export function mayOpen(template: PathwayTemplate, parties: Record<string, string>, organisationId: string): string[] {
  return template.parties.filter((p) => OPENING_KINDS.includes(p.kind) && parties[p.id] === organisationId).map((p) => p.id);
}

export async function checkParties(sql: Queryable, template: PathwayTemplate, parties: Record<string, string>): Promise<void> {
  const missing = refuseParties(template, parties);
  if (missing) throw invalidInput('parties', missing);
  const ids = Object.values(parties);
  const rows = await sql<{ id: string; kind: string }[]>`SELECT id, kind FROM organisations WHERE id = ANY(${ids}::uuid[])`;
  const kinds = new Map(rows.map((r) => [r.id, r.kind]));
  // A slot a match fills during the case is empty now (refuseParties made sure).
  const matched = matchedSlots(template);
  for (const slot of template.parties) {
    if (matched.includes(slot.id)) continue;
    const kind = kinds.get(parties[slot.id]!);
    if (kind !== slot.kind) throw invalidInput(`parties.${slot.id}`, `must be an organisation of kind ${slot.kind}${kind ? `, not ${kind}` : ' that exists'}`);
  }
  const unknown = Object.keys(parties).filter((k) => !template.parties.some((p) => p.id === k));
  if (unknown.length) throw invalidInput('parties', `not parties of this pathway: ${unknown.join(', ')}`);
}
