/**
 * Reads a sponsor group's requirements for a case step (domain/case-groups.ts) from its members
 * and their checks: counts only, so no name ever enters a workflow's history. Read-only, so a
 * retry is safe. The roster version comes from the same snapshot as the counts.
 */
import type { Sql } from '../infra/db.js';

export interface GroupRequirementQuery {
  organisationId: string;
  everyMember: string[];
  someMember: string[];
}

export interface GroupCounts {
  rosterVersion: number;
  members: number;
  /** Every-member checks: how many current members lack it; some-member checks: 1 when nobody has it. */
  missing: { check: string; members: number }[];
}

export function createGroupRequirementActivities({ sql }: { sql: Sql }) {
  return {
    async readGroupRequirements(q: GroupRequirementQuery): Promise<GroupCounts> {
      return sql.begin('ISOLATION LEVEL REPEATABLE READ READ ONLY', async (tx) => {
        const [org] = await tx<{ rosterVersion: string }[]>`SELECT roster_version AS "rosterVersion" FROM organisations WHERE id = ${q.organisationId}`;
        const checks = [...new Set([...q.everyMember, ...q.someMember])];
        const rows = await tx<{ kind: string; holders: number; members: number }[]>`
          WITH current_members AS (SELECT id FROM group_members WHERE organisation_id = ${q.organisationId} AND left_at IS NULL)
          SELECT k.kind, count(c.member_id)::int AS holders, (SELECT count(*) FROM current_members)::int AS members
          FROM unnest(${checks}::text[]) AS k(kind)
          LEFT JOIN member_checks c ON c.check_kind = k.kind AND c.member_id IN (SELECT id FROM current_members)
            AND (c.valid_until IS NULL OR c.valid_until >= current_date)
          GROUP BY k.kind`;
        const members = rows[0]?.members ?? (await tx<{ n: number }[]>`SELECT count(*)::int AS n FROM group_members WHERE organisation_id = ${q.organisationId} AND left_at IS NULL`)[0]!.n;
        const holders = new Map(rows.map((r) => [r.kind, r.holders]));
        return {
          rosterVersion: Number(org?.rosterVersion ?? 0),
          members,
          missing: [
            ...q.everyMember.map((check) => ({ check, members: members - (holders.get(check) ?? 0) })),
            ...q.someMember.map((check) => ({ check, members: (holders.get(check) ?? 0) > 0 ? 0 : 1 })),
          ],
        };
      });
    },
  };
}
