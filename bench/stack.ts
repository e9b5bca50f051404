/**
 * A SafeRoutes of its own for a benchmark: a fresh Temporal dev server and embedded PostgreSQL in
 * a temporary folder, and the workers in this process — so a run measures this machine, not
 * whatever else `npm start` holds. Removed afterwards.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { bundleWorkflowCode, DefaultLogger, Worker, type NativeConnection, type WorkerOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../devstack/embedded-postgres.js';
import { startTemporalDevServer } from '../devstack/temporal-dev-server.js';
import { connectDb, type Sql } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';
import { encryptingDataConverter, parseEncryptionKeys } from '../infra/payload-codec.js';
import { createTemporalClient } from '../infra/temporal.js';
import { connectWorkerConnection, createSafeRoutesWorker, workflowInterceptorModules, workflowsPath, type SafeRoutesWorker } from '../worker/worker.js';
import { installWorkerRuntime } from '../worker/runtime.js';
import { searchAttributeKeys } from '../workflows/contract.js';

/** Another Temporal server than the stack's own (the time-skipping one), for a worker to poll. */
export interface OtherServer {
  nativeConnection: NativeConnection;
  client: Client;
}

export interface BenchStack {
  sql: Sql;
  client: Client;
  address: string;
  databaseUrl: string;
  dataConverter: ReturnType<typeof encryptingDataConverter>;
  /** Runs `fn` with a SafeRoutes worker polling `taskQueue` (on the stack's server unless `server`). */
  withWorker<T>(taskQueue: string, fn: () => Promise<T>, server?: OtherServer): Promise<T>;
  /** Runs `fn` with a worker for bench/raw-workflows.ts, sized like the SafeRoutes worker. */
  withRawWorker<T>(taskQueue: string, fn: () => Promise<T>, options?: { activities?: WorkerOptions['activities']; server?: OtherServer }): Promise<T>;
  stop(): Promise<void>;
}

export async function startBenchStack(ports: { temporal: number; postgres: number }): Promise<BenchStack> {
  await installWorkerRuntime('error');
  const dir = mkdtempSync(join(tmpdir(), 'saferoutes-bench-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user when we are root
  const temporal = await startTemporalDevServer({ searchAttributes: searchAttributeKeys, port: ports.temporal, dbFile: join(dir, 'temporal.db'), logFile: join(dir, 'temporal.log') });
  const pg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: ports.postgres }).catch(async (error: unknown) => {
    await temporal.stop();
    throw error;
  });
  const sql = connectDb(pg.url, { max: 20 });
  const dataConverter = encryptingDataConverter(parseEncryptionKeys(`bench:${randomBytes(32).toString('base64')}`));
  const { client, connection } = createTemporalClient(temporal.address, 'default', dataConverter);
  let stopping: Promise<void> | undefined;
  // Once, however often it is called (a signal may come while a run stops the stack itself). The
  // servers first: stopped on a signal, the work still in flight then fails, instead of finding its
  // connections closed under it.
  const stop = () =>
    (stopping ??= (async () => {
      await temporal.stop();
      await pg.stop();
      await connection.close().catch(() => undefined);
      await sql.end({ timeout: 1 });
      rmSync(dir, { recursive: true, force: true });
    })());
  // A stack half started is stopped before the error goes on: nothing of it outlives the run.
  let bundles: { safeRoutes: WorkflowBundleWithSourceMap; raw: WorkflowBundleWithSourceMap };
  try {
    await migrate(sql);
    // Bundled once: every benchmark starts workers of its own, and bundling takes seconds of CPU.
    const logger = new DefaultLogger('ERROR');
    bundles = {
      safeRoutes: await bundleWorkflowCode({ workflowsPath, workflowInterceptorModules, logger }),
      raw: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./raw-workflows.ts', import.meta.url)), logger }),
    };
  } catch (error) {
    await stop();
    throw error;
  }

  async function run<T>(makeWorker: (connection: NativeConnection) => Promise<Pick<Worker, 'runUntil'> | SafeRoutesWorker>, fn: () => Promise<T>, server?: OtherServer): Promise<T> {
    const own = server ? undefined : await connectWorkerConnection(temporal.address);
    try {
      const worker = await makeWorker((server?.nativeConnection ?? own)!);
      return await worker.runUntil(fn());
    } finally {
      await own?.close();
    }
  }

  return {
    sql,
    client,
    address: temporal.address,
    databaseUrl: pg.url,
    dataConverter,
    withWorker: (taskQueue, fn, server) =>
      run(
        (connection) =>
          createSafeRoutesWorker({ connection, namespace: 'default', taskQueue, dataConverter, workflowBundle: bundles.safeRoutes, activityDeps: { sql, temporal: server?.client ?? client } }),
        fn,
        server,
      ),
    withRawWorker: (taskQueue, fn, options = {}) =>
      run(
        (connection) =>
          Worker.create({ connection, taskQueue, workflowBundle: bundles.raw, activities: options.activities, dataConverter, maxCachedWorkflows: 500, maxConcurrentActivityTaskExecutions: 20, maxConcurrentWorkflowTaskExecutions: 10 }),
        fn,
        options.server,
      ),
    stop,
  };
}
