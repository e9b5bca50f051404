/** Runs `temporal server start-dev` as a child process with our own, generous readiness wait. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { findTool } from './tools.js';
import type { SearchAttributeType } from '@temporalio/common';
import { stopChild } from './process.js';

const CLI_TYPE: Record<SearchAttributeType, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

export interface TemporalDevServerOptions {
  port: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  /** The Web UI decrypts payloads through this codec endpoint. */
  uiCodecEndpoint?: string;
  /** SQLite file to persist to; omit to keep everything in memory. */
  dbFile?: string;
  namespace?: string;
  /** Where the server's own output goes (it is chatty). */
  logFile: string;
  /** The custom search attributes to register (what the workflows set: workflows/contract.ts). */
  searchAttributes: readonly { name: string; type: SearchAttributeType }[];
  extraArgs?: string[];
  readyTimeoutMs?: number;
}

export interface RunningTemporal {
  address: string;
  uiUrl?: string;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<RunningTemporal> {
  const address = `127.0.0.1:${options.port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--log-level', 'warn'];
  if (options.namespace) args.push('--namespace', options.namespace);
  if (options.dbFile) {
    mkdirSync(dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  if (options.uiPort) args.push('--ui-port', String(options.uiPort), '--ui-disable-news-fetch');
  if (options.uiPort && options.uiCodecEndpoint) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  else args.push('--headless');
  for (const key of options.searchAttributes) args.push('--search-attribute', `${key.name}=${CLI_TYPE[key.type]}`);
  args.push(...(options.extraArgs ?? []));

  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const child = spawn(findTool('temporal'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  // A binary that cannot be run is an error to report, not an unhandled event that ends this
  // process and leaves whatever else it started running.
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError ??= error));

  try {
    await waitUntilServing(address, child, options.readyTimeoutMs ?? 90_000, () => spawnError);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message} (server log: ${options.logFile})`);
  }
  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    stop: () => stopChild(child),
  };
}

async function waitUntilServing(address: string, child: ChildProcess, timeoutMs: number, spawnError: () => Error | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    const cannotRun = spawnError();
    if (cannotRun) throw new Error(`temporal server could not be run: ${cannotRun.message}`);
    if (child.exitCode !== null) throw new Error(`temporal server exited with code ${child.exitCode} before it was ready`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        const { status } = await connection.healthService.check({});
        if (status === 1 /* SERVING */) return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Temporal at ${address} not serving after ${timeoutMs} ms: ${String(lastError)}`);
}
