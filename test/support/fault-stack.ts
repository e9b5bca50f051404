/**
 * A SafeRoutes of its own for fault tests, every part a real process that can be stopped alone:
 * a Temporal dev server (persisting to a file), an embedded PostgreSQL, an SMTP sink, and the
 * worker as `node worker/main.ts` — its own PID, so `kill -9` hits it. The API runs in the test's
 * process against those parts, as `api/run.ts` would. Nothing outlives the test, even if it fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';
import { createApp } from '../../server/app.js';
import { startEmbeddedPostgres, type RunningPostgres } from '../../devstack/embedded-postgres.js';
import { startSmtpSink, type RunningSmtpSink } from '../../devstack/smtp-sink.js';
import { startTemporalDevServer, type RunningTemporal } from '../../devstack/temporal-dev-server.js';
import { connectDb, type Sql } from '../../infra/db.js';
import { createMailer } from '../../infra/mailer.js';
import { migrate } from '../../infra/migrate.js';
import { projectRoot } from '../../infra/paths.js';
import { createTemporalClient } from '../../infra/temporal.js';
import { startMailDispatcher } from '../../notifications/dispatcher.js';
import { TASK_QUEUE, searchAttributeKeys } from '../../workflows/contract.js';
import { freePorts } from './ports.js';
import { PUBLIC_URL, TEST_MAIL_FROM, testDataConverter } from './stack.js';

/** Killed synchronously if the test process exits while they run. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export interface FaultStack {
  dir: string;
  sql: Sql;
  client: Client;
  connection: Connection;
  app: ReturnType<typeof createApp>;
  mailDir: string;
  temporal: { stop(): Promise<void>; start(): Promise<void> };
  postgres: { stop(): Promise<void>; start(): Promise<void> };
  smtp: { stop(): Promise<void>; start(): Promise<void> };
  worker: { start(): Promise<void>; kill9(): Promise<void>; stop(): Promise<void>; pid(): number | undefined };
  stop(): Promise<void>;
}

export async function startFaultStack(label: string): Promise<FaultStack> {
  const [temporalPort, pgPort, smtpPort, httpPort, metricsPort] = (await freePorts(5)) as [number, number, number, number, number];
  const dir = join(inject('scratchDir'), `fault-${label}-${temporalPort}`);
  mkdirSync(dir, { recursive: true });
  const mailDir = join(dir, 'mail');
  const temporalOptions = {
    searchAttributes: searchAttributeKeys,
    port: temporalPort,
    dbFile: join(dir, 'temporal.db'),
    logFile: join(dir, 'temporal.log'),
    extraArgs: ['--http-port', String(httpPort), '--metrics-port', String(metricsPort)],
  };

  let temporalServer: RunningTemporal | undefined = await startTemporalDevServer(temporalOptions);
  let pg: RunningPostgres | undefined = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: pgPort });
  let smtp: RunningSmtpSink | undefined = await startSmtpSink({ port: smtpPort, mailDir });
  const databaseUrl = pg.url;
  const migrator = connectDb(databaseUrl, { max: 1 });
  await migrate(migrator);
  await migrator.end();

  const sql = connectDb(databaseUrl);
  // The mail dispatcher is a process of its own in production; here it lives in the test's
  // process, so killing the worker never cuts it off between SMTP accepting a message and
  // recording so.
  const dispatcher = startMailDispatcher({ sql, mailer: createMailer(smtp.url), mailFrom: TEST_MAIL_FROM, publicUrl: PUBLIC_URL, pollMs: 200, log: () => {} });
  const { client, connection } = createTemporalClient(temporalServer.address, 'default', testDataConverter());
  const app = createApp({ temporal: client, temporalConnection: connection, sql, mailer: createMailer(smtp.url), config: { publicUrl: PUBLIC_URL, mailFrom: TEST_MAIL_FROM }, taskQueue: TASK_QUEUE });

  let worker: ChildProcess | undefined;
  let workerRuns = 0;
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: temporalServer.address,
    DATABASE_URL: databaseUrl,
    SMTP_URL: smtp.url,
    PAYLOAD_ENCRYPTION_KEYS: inject('payloadEncryptionKeys'),
    WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    PUBLIC_URL,
    MAIL_FROM: TEST_MAIL_FROM,
    LOG_LEVEL: 'warn',
    EXIT_WITH_PARENT: '1',
    // The watchdog looks often here, so a stopped case shows within the test.
    WATCHDOG_INTERVAL_MS: '3000',
  };

  async function startWorker(): Promise<void> {
    const out = openSync(join(dir, `worker-${++workerRuns}.log`), 'w');
    // Node itself, not a wrapper: its PID is the worker's.
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'worker', 'main.ts')], { cwd: projectRoot, env, stdio: ['ignore', out, out] });
    children.add(child);
    child.once('exit', () => children.delete(child));
    worker = child;
    // Ready when it polls the task queue.
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}; see ${join(dir, `worker-${workerRuns}.log`)}`);
      const polled = await connection.workflowService
        .describeTaskQueue({ namespace: 'default', taskQueue: { name: TASK_QUEUE } })
        .then((r) => (r.pollers ?? []).some((p) => p.identity?.startsWith(`${child.pid}@`)))
        .catch(() => false);
      if (polled) return;
      if (Date.now() > deadline) throw new Error('the worker did not start polling within 60 s');
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  async function waitForExit(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  }

  return {
    dir,
    sql,
    client,
    connection,
    app,
    mailDir,
    temporal: {
      async stop() {
        await temporalServer?.stop();
        temporalServer = undefined;
      },
      async start() {
        temporalServer = await startTemporalDevServer(temporalOptions);
      },
    },
    postgres: {
      async stop() {
        await pg?.stop();
        pg = undefined;
      },
      async start() {
        pg = await startEmbeddedPostgres({ dir: join(dir, 'pg'), port: pgPort });
      },
    },
    smtp: {
      async stop() {
        await smtp?.stop();
        smtp = undefined;
      },
      async start() {
        smtp = await startSmtpSink({ port: smtpPort, mailDir });
      },
    },
    worker: {
      start: startWorker,
      async kill9() {
        const child = worker;
        if (!child) return;
        child.kill('SIGKILL');
        await waitForExit(child);
        worker = undefined;
      },
      async stop() {
        const child = worker;
        if (!child) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await waitForExit(child);
        clearTimeout(timer);
        worker = undefined;
      },
      pid: () => worker?.pid,
    },
    async stop() {
      await dispatcher.stop().catch(() => undefined);
      if (worker) {
        worker.kill('SIGKILL');
        await waitForExit(worker);
      }
      await connection.close().catch(() => undefined);
      await sql.end({ timeout: 2 }).catch(() => undefined);
      await smtp?.stop().catch(() => undefined);
      await pg?.stop().catch(() => undefined);
      await temporalServer?.stop().catch(() => undefined);
    },
  };
}
