/**
 * Starts the worker process's parts with real dependencies: the Temporal worker and the watchdog.
 * A lost database or Temporal connection never ends the process: each part retries, and a worker
 * that fails is made again after a pause. (Email goes out from its own process: notifications/.)
 */
import { Connection } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { RuntimeConfig } from '../infra/config.js';
import { connectDb, type Sql } from '../infra/db.js';
import { migrate } from '../infra/migrate.js';
import { encryptingDataConverter, parseEncryptionKeys } from '../infra/payload-codec.js';
import { createTemporalClient, ensureSearchAttributes } from '../infra/temporal.js';
import { log } from '../infra/logger.js';
import { Waker } from '../infra/waker.js';
import { TASK_QUEUE, searchAttributeKeys } from '../workflows/contract.js';
import { startMetricsServer } from './metrics-server.js';
import { installWorkerRuntime } from './runtime.js';
import { ensureSchedules, scheduleDefinitions } from './schedules.js';
import { startWatchdog } from './watchdog.js';
import { connectWorkerConnection, createSafeRoutesWorker, type SafeRoutesWorker } from './worker.js';

export interface RunningWorker {
  /** Settles when the worker process's parts have stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

const workerLog = log.child({ component: 'worker' });

/** Retries `attempt` until it succeeds, saying every so often what it waits for. */
async function patiently<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  let said = 0;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() - said > 10_000) {
        workerLog.warn({ err: error }, `waiting for ${what}`);
        said = Date.now();
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export async function startWorker(config: RuntimeConfig): Promise<RunningWorker> {
  // Temporal's INFO lines (bundle contents, state changes) drown the useful output.
  await installWorkerRuntime(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const metrics = config.workerMetrics ? await startMetricsServer(config.workerMetrics.host, config.workerMetrics.port) : undefined;
  if (metrics) workerLog.info({ url: metrics.url }, 'metrics served');
  const sql: Sql = connectDb(config.databaseUrl);
  await patiently('PostgreSQL', () => migrate(sql));
  await patiently('Temporal', async () => {
    const admin = await Connection.connect({ address: config.temporalAddress, connectTimeout: '5 seconds', ...config.temporalSecurity });
    await ensureSearchAttributes(admin, config.temporalNamespace, searchAttributeKeys).finally(() => admin.close());
  });

  const dataConverter = encryptingDataConverter(parseEncryptionKeys(config.payloadEncryptionKeys));
  // Activities and the watchdog talk to workflows through a client of their own, which fails fast
  // when Temporal is away (the activity's own retries take over).
  const { client: temporal, connection: clientConnection } = createTemporalClient(config.temporalAddress, config.temporalNamespace, dataConverter, config.temporalSecurity);
  const watchdog = startWatchdog({ sql, temporal, taskQueue: TASK_QUEUE, everyMs: config.watchdogIntervalMs });
  // In the background: a Temporal that is away delays the schedules, not the worker.
  let stopping = false;
  void (async () => {
    while (!stopping) {
      try {
        return await ensureSchedules(temporal, scheduleDefinitions(TASK_QUEUE, config.retentionMonths));
      } catch (error) {
        workerLog.warn({ err: error }, 'could not make the schedules yet; trying again shortly');
        await new Promise((r) => setTimeout(r, 10_000));
      }
    }
  })();
  const workflowBundle: WorkerOptions['workflowBundle'] = config.workflowBundlePath ? { codePath: config.workflowBundlePath } : undefined;

  let current: SafeRoutesWorker | undefined;
  const pause = new Waker();
  const supervised = (async () => {
    while (!stopping) {
      const connection = await patiently('Temporal', () => connectWorkerConnection(config.temporalAddress, 5_000, config.temporalSecurity));
      try {
        current = await createSafeRoutesWorker({ connection, namespace: config.temporalNamespace, workflowBundle, dataConverter, tuning: config.workerTuning, activityDeps: { sql, temporal } });
        if (stopping) break;
        await current.run();
      } catch (error) {
        workerLog.error({ err: error }, 'the Temporal worker stopped; starting it again shortly');
      } finally {
        current = undefined;
        await connection.close().catch(() => undefined);
      }
      if (!stopping) await pause.sleep(5_000);
    }
  })();

  const done = supervised.finally(async () => {
    await watchdog.stop();
    await metrics?.stop();
    await clientConnection.close().catch(() => undefined);
    await sql.end({ timeout: 5 });
  });
  return {
    done,
    async stop() {
      stopping = true;
      pause.wake();
      if (current?.getState() === 'RUNNING') current.shutdown();
      await done;
    },
  };
}
