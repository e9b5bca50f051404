/**
 * A step that checks the sponsor group's members (every member a certificate of good conduct, one
 * trained…): what it asks, how many members lack what — counts only, as the case holds them; who
 * lacks it is for the group to see on its own page. That it opened again because the group changed
 * is said by the card itself (web/gate-card.tsx, for every step that reopens). The group's own
 * people get a link to "Our group", where they record what is missing.
 */
import type { GateView } from '../../domain/case-view.js';
import type { GateTemplate } from '../../domain/pathway.js';
import { builtInTemplate } from '../../domain/templates/index.js';
import { checkName } from '../group.js';
import type { GateFormProps } from './fields.js';

interface Evaluation {
  members: number;
  missing: { check: string; members: number }[];
}

/** What the step asks of the group, when the page knows its pathway (the built-in ones); otherwise only the counts are worded. */
function requirementOf(pathwayId: string | undefined, gateId: string): { everyMember: string[]; someMember: string[] } | undefined {
  const gate = builtInTemplate(pathwayId ?? '')?.stages.flatMap((s) => s.gates).find((g: GateTemplate) => g.id === gateId);
  return gate?.kind === 'group-check' ? { everyMember: gate.everyMember, someMember: gate.someMember } : undefined;
}

export function GroupCheckCard({ d, g, t, mine }: Omit<GateFormProps, 'c'> & { g: GateView; mine: string }) {
  const s = t.group.step;
  const evaluation = (g.detail.evaluation as Evaluation | null | undefined) ?? null;
  const asked = requirementOf(d.state?.pathway.id, g.id);
  const some = new Set(asked?.someMember ?? []);
  const lacking = (evaluation?.missing ?? []).filter((m) => m.members > 0);
  return (
    <>
      {asked && (
        <>
          <p>{s.requires}</p>
          <ul>
            {asked.everyMember.map((k) => (
              <li>{s.everyMember(checkName(t, k))}</li>
            ))}
            {asked.someMember.map((k) => (
              <li>{s.someMember(checkName(t, k))}</li>
            ))}
          </ul>
        </>
      )}
      {!evaluation ? (
        <p>{s.notRead}</p>
      ) : (
        <>
          <p>{evaluation.members === 0 ? s.noMembers : s.members(evaluation.members)}</p>
          {lacking.length > 0 ? (
            <ul>
              {lacking.map((m) => (
                <li>{some.has(m.check) ? s.nobody(checkName(t, m.check)) : asked ? s.lack(m.members, checkName(t, m.check)) : s.missing(checkName(t, m.check))}</li>
              ))}
            </ul>
          ) : (
            evaluation.members > 0 && <p>{s.met}</p>
          )}
        </>
      )}
      {g.assignee === mine && (
        <p>
          <a href="/group">{s.link}</a>
        </p>
      )}
    </>
  );
}
