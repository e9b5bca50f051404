/** What the "open a case" form offers: where a case may run, and the organisations for each of its roles. */
import type { PathwayTemplate } from '../domain/pathway.js';
import { builtInTemplates } from '../domain/templates/index.js';
import type { Queryable } from '../infra/db.js';
import type { Caller } from '../usecases/caller.js';
import { OPENING_KINDS } from '../usecases/case-template.js';
import { PathwayTemplate as TemplateSchema } from '../domain/pathway.js';

/** Where the case runs: a programme (its template, coordinator and, if the caller takes part in it, its signatories) or a built-in pathway. */
export interface Setting {
  template: PathwayTemplate;
  programme?: { id: string; name: string; coordinator: string; signatories: string[] | null };
}

export interface Organisation {
  id: string;
  name: string;
  kind: string;
}

/** The caller's organisation is of a kind that opens cases (coordinators, sponsor groups). */
export const opensCases = (caller: Caller): boolean => OPENING_KINDS.includes(caller.organisationKind);

/** The caller's organisation may open a case on this template: it has a slot of the caller's kind that opens cases. */
export const opensOn = (template: PathwayTemplate, caller: Caller): boolean =>
  OPENING_KINDS.includes(caller.organisationKind) && template.parties.some((p) => p.kind === caller.organisationKind);

/** The programmes the caller's organisation runs or signed, not closed, and the built-in pathways, where it may open a case. */
export async function settings(sql: Queryable, caller: Caller): Promise<{ programmes: { id: string; name: string; pathway: string }[]; pathways: PathwayTemplate[] }> {
  const rows = await sql<{ id: string; name: string; template: unknown }[]>`
    SELECT id, name, template FROM programmes
    WHERE status <> 'closed' AND (coordinator_organisation_id = ${caller.organisationId} OR mou_signatories @> ARRAY[${caller.organisationId}]::uuid[])
    ORDER BY created_at DESC LIMIT 100`;
  const programmes = rows.flatMap((r) => {
    const t = TemplateSchema.safeParse(r.template);
    return t.success && opensOn(t.data, caller) ? [{ id: r.id, name: r.name, pathway: t.data.name }] : [];
  });
  return { programmes, pathways: Object.values(builtInTemplates).filter((t) => opensOn(t, caller)) };
}

/**
 * One programme or pathway the caller may open a case in, or undefined. A programme is found when
 * the caller's organisation runs it, signed its MoU, or may open a case in it as a party of its
 * pathway (create-case's rule); its signatories are shown only to those that take part in it.
 */
export async function settingOf(sql: Queryable, caller: Caller, choice: { programmeId?: string; pathwayId?: string }): Promise<Setting | undefined> {
  if (choice.programmeId) {
    if (!/^[0-9a-f-]{36}$/i.test(choice.programmeId)) return undefined;
    const [row] = await sql<{ id: string; name: string; template: unknown; coordinator: string; signatories: string[]; takesPart: boolean }[]>`
      SELECT id, name, template, coordinator_organisation_id AS coordinator, mou_signatories AS signatories,
             (coordinator_organisation_id = ${caller.organisationId} OR ${caller.organisationId}::uuid = ANY(mou_signatories)) AS "takesPart"
      FROM programmes WHERE id = ${choice.programmeId} AND status <> 'closed'`;
    const template = row && TemplateSchema.safeParse(row.template);
    if (!row || !template?.success || !opensOn(template.data, caller)) return undefined;
    if (!row.takesPart && caller.organisationKind !== 'sponsor_group') return undefined;
    return { template: template.data, programme: { id: row.id, name: row.name, coordinator: row.coordinator, signatories: row.takesPart ? [row.coordinator, ...row.signatories] : null } };
  }
  const template = choice.pathwayId && Object.hasOwn(builtInTemplates, choice.pathwayId) ? builtInTemplates[choice.pathwayId] : undefined;
  return template && opensOn(template, caller) ? { template } : undefined;
}

/**
 * The organisations each role may be filled with: the caller's own organisation in a role of its
 * kind; a programme's coordinator in its coordinator role; in a programme the caller takes part
 * in, its parties of that kind (all of that kind when it has none); otherwise all of that kind.
 */
export async function partyOptions(sql: Queryable, caller: Caller, setting: Setting): Promise<Record<string, Organisation[]>> {
  const kinds = [...new Set(setting.template.parties.map((p) => p.kind))];
  // Of the caller's own kind only its own organisation is ever offered.
  const all = await sql<Organisation[]>`
    SELECT id, name, kind FROM organisations
    WHERE kind = ANY(${kinds}) AND (kind <> ${caller.organisationKind} OR id = ${caller.organisationId})
    ORDER BY name, id`;
  const options: Record<string, Organisation[]> = {};
  for (const slot of setting.template.parties) {
    const ofKind = all.filter((o) => o.kind === slot.kind);
    const programme = setting.programme;
    let chosen: Organisation[];
    if (slot.kind === 'coordinator' && programme) chosen = ofKind.filter((o) => o.id === programme.coordinator);
    else if (slot.kind === caller.organisationKind) chosen = ofKind.filter((o) => o.id === caller.organisationId);
    else if (programme?.signatories) {
      const parties = ofKind.filter((o) => programme.signatories!.includes(o.id));
      chosen = parties.length ? parties : ofKind;
    } else chosen = ofKind;
    options[slot.id] = chosen;
  }
  return options;
}
