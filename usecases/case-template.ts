/** Which template a new case follows, and whether its parties fit that template. */
import { refuseParties } from '../domain/case-lifecycle.js';
import { PathwayTemplate } from '../domain/pathway.js';
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
    // Only organisations that take part in the programme (its coordinator, its MoU signatories) see it.
    const [programme] = await sql<{ template: unknown; coordinator: string }[]>`
      SELECT template, coordinator_organisation_id AS coordinator FROM programmes
      WHERE id = ${body.programmeId} AND (coordinator_organisation_id = ${caller.organisationId} OR ${caller.organisationId}::uuid = ANY(mou_signatories))`;
    if (!programme) throw invalidInput('programmeId', 'no programme with this id in which your organisation takes part');
    // A case keeps the template it started with: it is copied into the workflow's input.
    const template = PathwayTemplate.parse(programme.template);
    const slot = template.parties.find((p) => p.kind === 'coordinator')!.id;
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

export async function checkParties(sql: Queryable, template: PathwayTemplate, parties: Record<string, string>): Promise<void> {
  const missing = refuseParties(template, parties);
  if (missing) throw invalidInput('parties', missing);
  const ids = Object.values(parties);
  const rows = await sql<{ id: string; kind: string }[]>`SELECT id, kind FROM organisations WHERE id = ANY(${ids}::uuid[])`;
  const kinds = new Map(rows.map((r) => [r.id, r.kind]));
  for (const slot of template.parties) {
    const kind = kinds.get(parties[slot.id]!);
    if (kind !== slot.kind) throw invalidInput(`parties.${slot.id}`, `must be an organisation of kind ${slot.kind}${kind ? `, not ${kind}` : ' that exists'}`);
  }
  const unknown = Object.keys(parties).filter((k) => !template.parties.some((p) => p.id === k));
  if (unknown.length) throw invalidInput('parties', `not parties of this pathway: ${unknown.join(', ')}`);
}
