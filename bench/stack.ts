/**
 * A SafeRoutes of its own for a benchmark: a fresh Temporal dev server and embedded PostgreSQL in
 * a temporary folder, and the worker in this process — so a run measures this machine, not
 * whatever else `npm start` holds. Removed afterwards.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../devstack/embedded-postgres.js';
import { startTemporalDevServer } from '../devstack/temporal-dev-server.js';
import { connectDb, type Sql } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';
import { encryptingDataConverter, parseEncryptionKeys } from '../infra/payload-codec.js';
import { createTemporalClient } from '../infra/temporal.js';
import { connectWorkerConnection, createSafeRoutesWorker } from '../worker/worker.js';
import { installWorkerRuntime } from '../worker/runtime.js';

export interface BenchStack {
  sql: Sql;
  client: Client;
  address: string;
  dataConverter: ReturnType<typeof encryptingDataConverter>;
  /** Runs `fn` with a SafeRoutes worker polling `taskQueue`. */
  withWorker<T>(taskQueue: string, fn: (worker: Worker) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

export async function startBenchStack(ports: { temporal: number; postgres: number }): Promise<BenchStack> {
  installWorkerRuntime('error');
  const dir = mkdtempSync(join(tmpdir(), 'saferoutes-bench-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user when we are root
  const temporal = await startTemporalDevServer({ port: ports.temporal, dbFile: join(dir, 'temporal.db'), logFile: join(dir, 'temporal.log') });
  const pg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: ports.postgres });
  const sql = connectDb(pg.url, { max: 20 });
  await migrate(sql);
  const dataConverter = encryptingDataConverter(parseEncryptionKeys(`bench:${randomBytes(32).toString('base64')}`));
  const { client, connection } = createTemporalClient(temporal.address, 'default', dataConverter);
  return {
    sql,
    client,
    address: temporal.address,
    dataConverter,
    async withWorker(taskQueue, fn) {
      const native = await connectWorkerConnection(temporal.address);
      const worker = await createSafeRoutesWorker({ connection: native, namespace: 'default', taskQueue, dataConverter, activityDeps: { sql, temporal: client } });
      try {
        return await worker.runUntil(fn(worker));
      } finally {
        await native.close();
      }
    },
    async stop() {
      await connection.close().catch(() => undefined);
      await sql.end({ timeout: 5 });
      await pg.stop();
      await temporal.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
