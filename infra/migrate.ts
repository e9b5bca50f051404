/** Applies forward-only numbered migrations from migrations/*.sql, each once, in one transaction. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths.js';
import type { Sql } from './db.js';

const MIGRATIONS_DIR = join(projectRoot, 'migrations');
// Any constant: serialises concurrent migrators (worker and API starting together).
const ADVISORY_LOCK = 727_001;

// Read once: the migrations shipped with this code do not change while it runs, and readiness asks often.
let shipped: string[] | undefined;
const migrationFiles = () => (shipped ??= readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort());

/** The migrations this code expects that the database has not applied (readiness: none). */
export async function pendingMigrations(sql: Sql): Promise<string[]> {
  const [table] = await sql<{ exists: boolean }[]>`SELECT to_regclass('schema_migrations') IS NOT NULL AS exists`;
  const done = new Set(table?.exists ? (await sql<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name) : []);
  return migrationFiles().filter((f) => !done.has(f));
}

export async function migrate(sql: Sql): Promise<string[]> {
  const files = migrationFiles();
  return sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${ADVISORY_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`;
    const done = new Set((await tx<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name));
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await tx.unsafe(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
      await tx`INSERT INTO schema_migrations (name) VALUES (${file})`;
      applied.push(file);
    }
    return applied;
  });
}
