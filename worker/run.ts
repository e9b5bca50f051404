/** Starts the worker with real dependencies: PostgreSQL, SMTP and Temporal from the config. */
import { Connection } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { RuntimeConfig } from '../infra/config.js';
import { connectDb } from '../infra/db.js';
import { createMailer } from '../infra/mailer.js';
import { migrate } from '../infra/migrate.js';
import { encryptingDataConverter, parseEncryptionKeys } from '../infra/payload-codec.js';
import { ensureSearchAttributes } from '../infra/temporal.js';
import { installWorkerRuntime } from './runtime.js';
import { connectWorkerConnection, createSafeRoutesWorker } from './worker.js';

export interface RunningWorker {
  /** Settles when the worker stops; rejects if it fails. */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startWorker(config: RuntimeConfig): Promise<RunningWorker> {
  // Temporal's INFO lines (bundle contents, state changes) drown the useful output.
  installWorkerRuntime(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const sql = connectDb(config.databaseUrl);
  await migrate(sql);
  const admin = await Connection.connect({ address: config.temporalAddress });
  await ensureSearchAttributes(admin, config.temporalNamespace).finally(() => admin.close());

  const connection = await connectWorkerConnection(config.temporalAddress);
  const workflowBundle: WorkerOptions['workflowBundle'] = config.workflowBundlePath ? { codePath: config.workflowBundlePath } : undefined;
  const worker = await createSafeRoutesWorker({
    connection,
    namespace: config.temporalNamespace,
    workflowBundle,
    dataConverter: encryptingDataConverter(parseEncryptionKeys(config.payloadEncryptionKeys)),
    activityDeps: { sql, mailer: createMailer(config.smtpUrl), mailFrom: config.mailFrom, publicUrl: config.publicUrl },
  });
  const done = worker.run().finally(async () => {
    await connection.close();
    await sql.end({ timeout: 5 });
  });
  return {
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
