/**
 * What `npm start` runs from this checkout: the API's address and the database it uses, written to
 * `DATA_DIR/running-stack.json` while it runs. `npm run seed` and `npm run token` read it, so they
 * reach the very stack that `npm start` started, whatever ports it was given, and never another
 * checkout's.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../infra/config.js';

export interface RunningStack {
  apiUrl: string;
  databaseUrl: string;
  pid: number;
}

const fileIn = (dataDir: string) => join(dataDir, 'running-stack.json');

/** Records the stack for this process; returns a function that removes the record. */
export function recordRunningStack(dataDir: string, stack: Omit<RunningStack, 'pid'>): () => void {
  const file = fileIn(dataDir);
  // It holds the embedded database's password (loopback only), so only this user reads it.
  writeFileSync(file, JSON.stringify({ ...stack, pid: process.pid }), { mode: 0o600 });
  return () => rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The stack `npm start` runs from `dataDir`, if one is running. */
export function runningStack(dataDir: string): RunningStack | undefined {
  try {
    const stack = JSON.parse(readFileSync(fileIn(dataDir), 'utf8')) as RunningStack;
    return alive(stack.pid) ? stack : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where a command-line tool finds SafeRoutes: DATABASE_URL (and the API on PORT) when set, else the
 * stack `npm start` runs from this checkout. Throws a sentence saying what to do when neither is.
 */
export function stackToUse(env: Env, dataDir: string): { databaseUrl: string; apiUrl: string } {
  if (env.DATABASE_URL) return { databaseUrl: env.DATABASE_URL, apiUrl: `http://localhost:${env.PORT}` };
  const running = runningStack(dataDir);
  if (running) return running;
  throw new Error(
    `No SafeRoutes is running from this folder (no live ${fileIn(dataDir)}): start it with \`npm start\` in another terminal first, or set DATABASE_URL to the database to use.`,
  );
}
