/** Builds the SafeRoutes worker from its dependencies; used by worker/run.ts, `npm start` and tests. */
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { programmeTaskQueue, TASK_QUEUE } from '../workflows/contract.js';
import { failingStepsInterceptor } from './failing-steps.js';

export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

/** Bundled with the workflows wherever a bundle is built (worker, tests, the Docker image). */
export const workflowInterceptorModules = [fileURLToPath(new URL('../workflows/legacy-query-guard.ts', import.meta.url))];

export interface SafeRoutesWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  activityDeps: ActivityDeps;
  /** Encrypts payloads; the same converter as the clients'. */
  dataConverter: DataConverter;
  /** A prebuilt bundle (production, tests); without it the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  taskQueue?: string;
  /** Extra options, e.g. test interceptors. */
  overrides?: Partial<WorkerOptions>;
}

/**
 * The worker of one SafeRoutes deployment: a Temporal worker on the cases' queue and one on the
 * programmes' queue (workflows/contract.ts says why they are apart), made, run and stopped as one.
 */
export interface SafeRoutesWorker {
  /** Runs both until they are shut down; rejects (after stopping the other) if either fails. */
  run(): Promise<void>;
  /** Runs both until `work` settles, then shuts them down; resolves with its result. */
  runUntil<T>(work: Promise<T>): Promise<T>;
  shutdown(): void;
  /** RUNNING only while both run. */
  getState(): ReturnType<Worker['getState']>;
}

export async function createSafeRoutesWorker(options: SafeRoutesWorkerOptions): Promise<SafeRoutesWorker> {
  const caseQueue = options.taskQueue ?? TASK_QUEUE;
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
    activities: createActivities(options.activityDeps),
    dataConverter: options.dataConverter,
    interceptors: {
      // A prebuilt bundle has them built in (see workflowInterceptorModules).
      workflowModules: options.workflowBundle ? [] : workflowInterceptorModules,
      activity: [failingStepsInterceptor(options.activityDeps.sql)],
    },
  } satisfies Partial<WorkerOptions>;
  // Sized for a 2-core machine: bounded cache and concurrency. Programmes are few, each busy.
  const workers = [
    await Worker.create({ ...common, taskQueue: caseQueue, maxCachedWorkflows: 500, maxConcurrentActivityTaskExecutions: 20, maxConcurrentWorkflowTaskExecutions: 10, ...options.overrides }),
    await Worker.create({ ...common, taskQueue: programmeTaskQueue(caseQueue), maxCachedWorkflows: 50, maxConcurrentActivityTaskExecutions: 10, maxConcurrentWorkflowTaskExecutions: 4, ...options.overrides }),
  ];
  const shutdown = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  return {
    async run() {
      // Both run until both stopped; the first failure stops the other and is what run() rejects with.
      const outcomes = await Promise.allSettled(workers.map((w) => w.run().catch((error: unknown) => (shutdown(), Promise.reject(error)))));
      const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) throw failed.reason;
    },
    async runUntil(work) {
      // Settles only when both have stopped, so the caller may close their connection then.
      const [first, ...rest] = await Promise.allSettled(workers.map((w) => w.runUntil(work)));
      const failed = [first, ...rest].find((o): o is PromiseRejectedResult => o?.status === 'rejected');
      if (failed) throw failed.reason;
      return (first as PromiseFulfilledResult<Awaited<typeof work>>).value;
    },
    shutdown,
    getState: () => workers.find((w) => w.getState() !== 'RUNNING')?.getState() ?? 'RUNNING',
  };
}

/** Connects to Temporal, retrying while it comes up (or is away). */
export async function connectWorkerConnection(address: string, timeoutMs = 60_000): Promise<NativeConnection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await NativeConnection.connect({ address });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}
