import type { Queryable } from '../infra/db.js';

/** Organisation id → name, for showing who a case waits on. Names are not personal data. */
export async function organisationNames(sql: Queryable): Promise<Map<string, string>> {
  return new Map((await sql<{ id: string; name: string }[]>`SELECT id, name FROM organisations`).map((o) => [o.id, o.name]));
}
