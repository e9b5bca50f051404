/** Which template a new case follows, and whether its parties fit that template. */
import { refuseParties } from '../../domain/case-lifecycle.js';
import { PathwayTemplate } from '../../domain/pathway.js';
import { builtInTemplates } from '../../domain/templates/index.js';
import type { Queryable } from '../../infra/db.js';
import { ProblemError } from '../problem.js';

const invalid = (field: string, message: string) => new ProblemError(400, 'Invalid input', message, { errors: [{ field, message }] });

export async function resolveTemplate(sql: Queryable, body: { programmeId?: string; pathwayId?: string }): Promise<PathwayTemplate> {
  if (body.programmeId) {
    const [programme] = await sql<{ template: unknown }[]>`SELECT template FROM programmes WHERE id = ${body.programmeId}`;
    if (!programme) throw invalid('programmeId', 'no programme with this id');
    // A case keeps the template it started with: it is copied into the workflow's input.
    return PathwayTemplate.parse(programme.template);
  }
  const template = body.pathwayId ? builtInTemplates[body.pathwayId] : undefined;
  if (!template) throw invalid('pathwayId', `give a programmeId, or one of the built-in pathways: ${Object.keys(builtInTemplates).join(', ')}`);
  return template;
}

export async function checkParties(sql: Queryable, template: PathwayTemplate, parties: Record<string, string>): Promise<void> {
  const missing = refuseParties(template, parties);
  if (missing) throw invalid('parties', missing);
  const ids = Object.values(parties);
  const rows = await sql<{ id: string; kind: string }[]>`SELECT id, kind FROM organisations WHERE id = ANY(${ids}::uuid[])`;
  const kinds = new Map(rows.map((r) => [r.id, r.kind]));
  for (const slot of template.parties) {
    const kind = kinds.get(parties[slot.id]!);
    if (kind !== slot.kind) throw invalid(`parties.${slot.id}`, `must be an organisation of kind ${slot.kind}${kind ? `, not ${kind}` : ' that exists'}`);
  }
  const unknown = Object.keys(parties).filter((k) => !template.parties.some((p) => p.id === k));
  if (unknown.length) throw invalid('parties', `not parties of this pathway: ${unknown.join(', ')}`);
}
