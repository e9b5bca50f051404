/** Test access to the real servers started by the global setup. */
import { randomUUID } from 'node:crypto';
import { NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { afterAll, beforeAll, inject } from 'vitest';
import type { ActivityDeps } from '../../activities/index.js';
import { connectDb, type Sql } from '../../infra/db.js';
import { createMailer } from '../../infra/mailer.js';
import { encryptingDataConverter, parseEncryptionKeys } from '../../infra/payload-codec.js';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { startMailDispatcher, type RunningDispatcher } from '../../notifications/dispatcher.js';
import { createSafeRoutesWorker, type SafeRoutesWorker } from '../../worker/worker.js';
import { createdOrganisations } from './fixtures.js';

export const PUBLIC_URL = 'http://saferoutes.test';
export const TEST_MAIL_FROM = 'SafeRoutes <no-reply@saferoutes.test>';

export function uniqueTaskQueue(label: string): string {
  return `test-${label}-${randomUUID().slice(0, 8)}`;
}

export function testActivityDeps(sql: Sql, temporal: Client): ActivityDeps {
  return { sql, temporal };
}

/**
 * The mail dispatcher for one test file: real SMTP (or `smtpUrl`), delivering only mail to the
 * organisations this file made (test files share one database).
 */
export function startTestDispatcher(sql: Sql, smtpUrl = inject('smtpUrl')): RunningDispatcher {
  return startMailDispatcher({ sql, mailer: createMailer(smtpUrl), mailFrom: TEST_MAIL_FROM, publicUrl: PUBLIC_URL, pollMs: 200, onlyOrganisations: () => [...createdOrganisations], log: () => {} });
}

/** The data converter every test client and worker shares: payloads encrypted as in production. */
export function testDataConverter(): DataConverter {
  return encryptingDataConverter(parseEncryptionKeys(inject('payloadEncryptionKeys')));
}

export function testClient(connection: Connection): Client {
  return new Client({ connection, dataConverter: testDataConverter() });
}

export function testDb(): Sql {
  return connectDb(inject('databaseUrl'), { max: 4 });
}

export interface TestWorker {
  worker: SafeRoutesWorker;
  stop(): Promise<void>;
}

/** A real worker with the prebuilt bundle and real activities, polling `taskQueue`. */
export async function startTestWorker(options: {
  sql: Sql;
  taskQueue: string;
  connection?: NativeConnection;
  address?: string;
  overrides?: Partial<WorkerOptions>;
  /** The client the activities reach other workflows with (made here if absent). */
  client?: Client;
}): Promise<TestWorker> {
  const ownConnection = options.connection ? undefined : await NativeConnection.connect({ address: options.address ?? inject('temporalAddress') });
  const ownClientConnection = options.client ? undefined : await Connection.connect({ address: options.address ?? inject('temporalAddress') });
  const client = options.client ?? testClient(ownClientConnection!);
  const worker = await createSafeRoutesWorker({
    connection: (options.connection ?? ownConnection)!,
    namespace: 'default',
    taskQueue: options.taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    dataConverter: testDataConverter(),
    activityDeps: testActivityDeps(options.sql, client),
    overrides: options.overrides,
  });
  const running = worker.run();
  let stopped: Promise<void> | undefined;
  return {
    worker,
    // Once, however often it is called (a test's `finally` may stop a worker the test stopped).
    stop: () =>
      (stopped ??= (async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await ownConnection?.close();
        await ownClientConnection?.close();
      })()),
  };
}

export interface DevServerHarness {
  sql: Sql;
  connection: Connection;
  client: Client;
  worker: TestWorker;
  dispatcher: RunningDispatcher;
  taskQueue: string;
}

/**
 * For a test file on the shared dev server: a database client, a Temporal client, a worker on the
 * file's own task queue and a mail dispatcher for the file's own organisations, set up before its
 * tests and torn down after.
 */
export function useDevServer(label: string): DevServerHarness {
  const h = { taskQueue: uniqueTaskQueue(label) } as DevServerHarness;
  beforeAll(async () => {
    h.sql = testDb();
    h.connection = await Connection.connect({ address: inject('temporalAddress') });
    h.client = testClient(h.connection);
    h.worker = await startTestWorker({ sql: h.sql, taskQueue: h.taskQueue, client: h.client });
    h.dispatcher = startTestDispatcher(h.sql);
  });
  afterAll(async () => {
    await h.dispatcher?.stop();
    await h.worker?.stop();
    await h.connection?.close();
    await h.sql?.end();
  });
  return h;
}
